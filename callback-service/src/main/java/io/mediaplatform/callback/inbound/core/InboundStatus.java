package io.mediaplatform.callback.inbound.core;

/** What validation decided about a customer's media: the status of the inbound message. */
public enum InboundStatus {
    /** The media passed validation: the client may download it. */
    ACCEPTED,
    /** The media was refused (inbox receive off, malware, could not be fetched, too large, ...): it is not handed out. */
    REJECTED
}
