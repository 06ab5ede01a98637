package io.mediaplatform.callback.status.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One status event for a message, whatever topic it came from, with the message facts it carries (any of them
 * may be null when the event does not know them).
 *
 * @param eventId           unique id of the source event: processing is idempotent by it
 * @param tenantId          owner of the message
 * @param messageId         platform message id
 * @param status            the status
 * @param at                when the status happened
 * @param channel           channel name
 * @param to                recipient address
 * @param conversationId    conversation id
 * @param externalId        client's own id of the message
 * @param clientId          client (application, agent) id
 * @param mediaId           media id
 * @param callbackUrls      client webhook URLs of the message (empty when the event does not carry them)
 * @param providerMessageId provider's id of the message
 * @param reason            reason code (upper case) for REJECTED or FAILED
 * @param detail            human-readable detail
 * @param fallbackOf        for a channel-fallback attempt, the client's message it falls back from; else null
 * @param attempt           the attempt number of a channel-fallback attempt (2, 3, ...); null when not known
 * @param converted         for QUEUED, what validation converted so the media fits the channel (its sentence the
 *                          detail); else null
 */
public record StatusEvent(String eventId, String tenantId, String messageId, Status status, Instant at,
                          String channel, String to, String conversationId, String externalId, String clientId,
                          String mediaId, List<String> callbackUrls, String providerMessageId, String reason,
                          String detail, String fallbackOf, Integer attempt, Conversion converted) {

    /** An event that tells of no conversion. */
    public StatusEvent(String eventId, String tenantId, String messageId, Status status, Instant at, String channel,
                       String to, String conversationId, String externalId, String clientId, String mediaId,
                       List<String> callbackUrls, String providerMessageId, String reason, String detail,
                       String fallbackOf, Integer attempt) {
        this(eventId, tenantId, messageId, status, at, channel, to, conversationId, externalId, clientId, mediaId,
                callbackUrls, providerMessageId, reason, detail, fallbackOf, attempt, null);
    }

    /** An event that says nothing about channel fallback. */
    public StatusEvent(String eventId, String tenantId, String messageId, Status status, Instant at, String channel,
                       String to, String conversationId, String externalId, String clientId, String mediaId,
                       List<String> callbackUrls, String providerMessageId, String reason, String detail) {
        this(eventId, tenantId, messageId, status, at, channel, to, conversationId, externalId, clientId, mediaId,
                callbackUrls, providerMessageId, reason, detail, null, null);
    }

    public StatusEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        callbackUrls = callbackUrls == null ? List.of() : List.copyOf(callbackUrls);
    }
}
