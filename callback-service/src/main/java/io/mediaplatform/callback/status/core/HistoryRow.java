package io.mediaplatform.callback.status.core;

import io.mediaplatform.callback.status.core.Status;

import java.time.Instant;

/**
 * One stored row of a message's status history.
 *
 * @param id                 row id: the order statuses were recorded in
 * @param eventId            id of the source event
 * @param status             the status
 * @param at                 when it happened
 * @param providerMessageId  provider's id of the message
 * @param reason             reason code
 * @param detail             human-readable detail
 * @param callbacksEnqueued  whether the message's own callback URLs were told of it
 */
public record HistoryRow(long id, String eventId, Status status, Instant at, String providerMessageId, String reason,
                         String detail, boolean callbacksEnqueued) {
}
