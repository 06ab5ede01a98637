package io.mediaplatform.callback.webhook.core;

import java.util.UUID;

/**
 * A webhook delivery claimed from the outbox for one attempt.
 *
 * @param attempts    the attempts made so far
 * @param endpointId  the tenant endpoint it goes to, null for a message's own callback URL
 * @param linkMediaId the media a fresh download link is put in the body for at this attempt, or null
 * @param trace       the trace of its message, stored when it was enqueued, or null
 */
public record ClaimedDelivery(UUID id, String tenantId, String messageId, String url, String payload, int attempts,
                              UUID endpointId, String linkMediaId, TraceContext trace) {

    /** The meter tag of its target: {@code callback} (a URL of the message) or {@code endpoint} (a tenant endpoint). */
    public String target() {
        return endpointId == null ? "callback" : "endpoint";
    }
}
