package io.mediaplatform.dispatch.status.core;

/** The delivery states dispatch reports (docs/ARCHITECTURE.md §6), mapped one to one onto the event's MessageStatus. */
public enum DeliveryState {
    QUEUED, SENT, DELIVERED, READ, FAILED
}
