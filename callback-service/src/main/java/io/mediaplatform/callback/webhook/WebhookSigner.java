package io.mediaplatform.callback.webhook;

import io.mediaplatform.common.signing.StandardWebhooks;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Standard Webhooks headers of one webhook. With several secrets (a rotated endpoint secret in its overlap)
 * {@code webhook-signature} carries one {@code v1,<signature>} per secret, separated by spaces, so a receiver
 * holding either secret verifies it.
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    /**
     * @param secrets          {@code whsec_...} secrets, at least one
     * @param id               {@code webhook-id}
     * @param timestampSeconds {@code webhook-timestamp}
     * @param body             the exact body sent
     */
    public static Map<String, String> headers(List<String> secrets, String id, long timestampSeconds, String body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook is signed with at least one secret");
        }
        String signatures = secrets.stream().map(secret -> StandardWebhooks.sign(secret, id, timestampSeconds, body))
                .collect(Collectors.joining(" "));
        return Map.of(StandardWebhooks.ID_HEADER, id, StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestampSeconds),
                StandardWebhooks.SIGNATURE_HEADER, signatures);
    }
}
