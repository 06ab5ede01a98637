package io.mediaplatform.dispatch.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.dispatch.status.core.DeliveryState;
import io.mediaplatform.dispatch.status.core.NotifyStatuses;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.status.core.StatusUpdate;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Status callbacks of the generic notification API. The product pages describe no signature, so the platform
 * requires the Standard Webhooks scheme (the one it uses for its own client webhooks): headers {@code webhook-id},
 * {@code webhook-timestamp} (Unix seconds, within 5 minutes) and {@code webhook-signature: v1,<base64
 * HMAC-SHA256(secret, id + "." + timestamp + "." + raw body)>} with {@code NOTIFY_WEBHOOK_SECRET}
 * ({@code whsec_<base64>} or plain text). The body is JSON {@code {"transactionId", "status", "timestamp"?,
 * "errorCode"?, "errorMessage"?}}; the correlation rides in the callback URL's query ({@code t, m, c, to, ch}).
 */
public final class NotifyStatusWebhook {

    /** What became of a callback. */
    public enum Outcome { ACCEPTED, IGNORED, BAD_SIGNATURE, NOT_JSON, NOT_OURS }

    private static final Logger log = LoggerFactory.getLogger(NotifyStatusWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final String secret;
    private final StatusSink statuses;
    private final Clock clock;

    public NotifyStatusWebhook(String secret, StatusSink statuses, Clock clock) {
        this.secret = secret == null || secret.isBlank() ? null : secret;
        this.statuses = statuses;
        this.clock = clock;
        if (this.secret == null) {
            log.info("No notification API webhook secret configured (NOTIFY_WEBHOOK_SECRET): every callback will be refused");
        }
    }

    /** Checks and publishes one callback. */
    public Outcome receive(Map<String, String> query, byte[] body, String id, String timestamp, String signature) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (secret == null || !StandardWebhooks.verify(secret, id, timestamp, text, signature, clock.instant(), TOLERANCE)) {
            log.warn("Notification API callback refused: {} signature", signature == null ? "missing" : "bad");
            return Outcome.BAD_SIGNATURE;
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return Outcome.NOT_JSON;
        }
        if (root == null || !root.isObject()) {
            return Outcome.NOT_JSON;
        }
        String tenant = query.get("t");
        String messageId = query.get("m");
        String word = root.path("status").asText(null);
        String transactionId = root.path("transactionId").asText(null);
        if (tenant == null || messageId == null) {
            log.warn("Notification API status '{}' of {} skipped: no platform correlation in the callback URL", word,
                    transactionId);
            return Outcome.NOT_OURS;
        }
        Optional<DeliveryState> state = NotifyStatuses.normalise(word);
        if (state.isEmpty()) {
            log.debug("Notification API status '{}' of {} ignored", word, transactionId);
            return Outcome.IGNORED;
        }
        String channel = query.getOrDefault("ch", "UNKNOWN");
        String conversation = query.get("c");
        String to = query.get("to");
        String reason = null;
        String detail = null;
        if (state.get() == DeliveryState.FAILED) {
            reason = root.path("errorCode").asText("PROVIDER_ERROR");
            detail = root.path("errorMessage").asText("The notification API reported the message " + word);
        }
        Instant at = root.path("timestamp").canConvertToLong() && root.path("timestamp").asLong() > 0
                ? Instant.ofEpochMilli(root.path("timestamp").asLong()) : clock.instant();
        statuses.publish(Topics.conversationKey(conversation, channel, to), new StatusUpdate(tenant, messageId,
                conversation, null, channel, to, state.get(), at, NotifyConnector.PROVIDER, transactionId, word, reason,
                detail));
        return Outcome.ACCEPTED;
    }
}
