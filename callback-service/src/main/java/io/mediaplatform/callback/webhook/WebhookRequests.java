package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.webhook.core.AttemptResult;
import io.mediaplatform.callback.webhook.core.ClaimedDelivery;
import io.mediaplatform.callback.webhook.core.WebhookSecrets;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the request of one webhook attempt: the body completed for the attempt (a fresh media download link in a
 * {@code message.received} of accepted media) and its Standard Webhooks headers ({@code webhook-id} = delivery id)
 * signed with the tenant's secret, or for a tenant endpoint with the endpoint's secret(s) (two during a rotation
 * overlap); or, when there is nothing to sign with, the result the attempt ends with.
 */
final class WebhookRequests {

    private static final String USER_AGENT = "media-platform-callback/1";

    /** The request of an attempt, or why none can be made. */
    sealed interface Prepared {
    }

    /** The signed request: its headers (trace headers are added to them when it is sent) and its exact body. */
    record Signed(Map<String, String> headers, String body) implements Prepared {
    }

    /** No request can be made: the attempt ends with {@code result}. */
    record Refused(AttemptResult result) implements Prepared {
    }

    private final WebhookSecrets secrets;
    private final WebhookEndpoints endpoints;
    private final WebhookPayloads payloads;
    private final Clock clock;

    WebhookRequests(WebhookSecrets secrets, WebhookEndpoints endpoints, WebhookPayloads payloads, Clock clock) {
        this.secrets = secrets;
        this.endpoints = endpoints;
        this.payloads = payloads;
        this.clock = clock;
    }

    Prepared prepare(ClaimedDelivery delivery) {
        List<String> signingSecrets;
        if (delivery.endpointId() != null) {
            signingSecrets = endpoints.signingSecrets(delivery.endpointId(), clock.instant());
            if (signingSecrets.isEmpty()) {
                return new Refused(new AttemptResult.Blocked("the webhook endpoint was deleted"));
            }
        } else {
            Optional<String> secret = secrets.secretFor(delivery.tenantId());
            if (secret.isEmpty()) {
                return new Refused(new AttemptResult.Errored("no webhook secret configured for the tenant"));
            }
            signingSecrets = List.of(secret.get());
        }
        String id = delivery.id().toString();
        Instant now = clock.instant();
        long timestamp = now.getEpochSecond();
        // A message.received of accepted media gets a download link made now, so each attempt carries a fresh one
        String body = payloads.forAttempt(delivery.tenantId(), delivery.payload(), delivery.linkMediaId(), now);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.putAll(WebhookSigner.headers(signingSecrets, id, timestamp, body));
        return new Signed(headers, body);
    }
}
