package io.mediaplatform.callback.webhook.core;

import java.time.Instant;
import java.util.UUID;

/**
 * A webhook delivery to enqueue, as the outbox makes it from a recorded status or an inbound message, before it is
 * written.
 *
 * @param eventType   {@code message.status.updated} or {@code message.received}
 * @param eventStatus the status the webhook tells
 * @param linkMediaId the media a fresh download link is put in the body for at each attempt, or null
 * @param endpointId  the tenant endpoint it goes to, null for a message's own callback URL
 * @param first       when its first attempt is due
 * @param now         when it is enqueued
 */
public record NewDelivery(String tenantId, String messageId, String eventType, String eventStatus, String linkMediaId,
                          String url, UUID endpointId, String payload, Instant first, Instant now) {
}
