package io.mediaplatform.callback.messages.core;

import java.time.Instant;
import java.util.List;

/** What the status API answers. Null members are left out of the JSON. */
public final class MessageViews {

    private MessageViews() {
    }

    /**
     * A message with its history and webhook attempts ({@code GET /v1/messages/{id}}). An inbound message (a
     * customer's, {@code direction} INBOUND) has {@code from} (the customer), {@code to} (the business address), its
     * provider facts and media, {@code status} ACCEPTED or REJECTED with {@code reason} and {@code reasonMessage} (and
     * {@code customerMessage}, what the customer was answered, e.g. the inbox's rejection message), and no status history. A channel-fallback attempt has {@code fallbackOf} (the client's message) and {@code attempt};
     * the client's message lists its attempts on other channels in {@code fallbacks} (ids, in attempt order).
     */
    public record MessageDetail(String messageId, String direction, String status, String channel, String from, String to,
                                String conversationId, String inboxId, String externalId, String clientId, String kind,
                                String caption, String fileName, String provider, String providerMessageId, String text,
                                String mediaId, String mediaType, Long mediaSize, String mediaSha256, String reason,
                                String reasonMessage, String customerMessage, Instant receivedAt, Instant createdAt, Instant updatedAt,
                                String fallbackOf, Integer attempt, List<String> fallbacks,
                                List<HistoryEntry> history, List<WebhookAttempt> webhookAttempts) {
    }

    /** A message in a search result. */
    public record MessageSummary(String messageId, String direction, String status, String channel, String from, String to,
                                 String conversationId, String inboxId, String externalId, String clientId, String mediaId,
                                 String reason, Instant createdAt, Instant updatedAt) {
    }

    /**
     * One status of the history.
     *
     * @param converted on the QUEUED that follows validation's acceptance, what auto-fit converted; else null
     */
    public record HistoryEntry(String status, Instant at, String providerMessageId, String reason, String detail,
                               Converted converted) {
    }

    /**
     * What auto-fit converted so the media fits the channel: the original's type and size, the rendition's (sent
     * instead; the message keeps the original's media id).
     */
    public record Converted(String from, String to, long sizeBefore, long sizeAfter, String renditionMediaId) {
    }

    /**
     * One webhook attempt.
     *
     * @param eventType      what the webhook told: message.status.updated or message.received
     * @param eventStatus    the status the webhook told
     * @param deliveryStatus the delivery's state now: PENDING, DELIVERED, FAILED or DISABLED
     */
    public record WebhookAttempt(String url, int attempt, Instant at, Integer statusCode, long latencyMs, String error,
                                 String eventType, String eventStatus, String deliveryStatus) {
    }

    /**
     * A page of a search.
     *
     * @param items      the messages, newest first
     * @param nextCursor where the next page starts ({@code cursor=}); absent on the last page
     */
    public record MessageList(List<MessageSummary> items, String nextCursor) {
    }
}
