package io.mediaplatform.dispatch.connector.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.dispatch.inbound.core.InboundService;
import io.mediaplatform.dispatch.inbound.core.ProviderMessage;
import io.mediaplatform.dispatch.status.core.DeliveryState;
import io.mediaplatform.dispatch.status.core.NotifyStatuses;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.status.core.StatusUpdate;
import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import io.mediaplatform.dispatch.webhook.core.TimestampTolerance;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Status callbacks of the generic notification API. The product pages describe no signature, so the platform
 * requires the Standard Webhooks scheme (the one it uses for its own client webhooks): headers {@code webhook-id},
 * {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature: v1,<base64
 * HMAC-SHA256(secret, id + "." + timestamp + "." + raw body)>} with {@code NOTIFY_WEBHOOK_SECRET}
 * ({@code whsec_<base64>} or plain text). The body is JSON {@code {"transactionId", "status", "timestamp"?,
 * "errorCode"?, "errorMessage"?}}; the correlation rides in the callback URL's query ({@code t, m, c, to, ch}).
 *
 * <p>Replays, in two steps. The signature covers {@code webhook-timestamp}, so a callback whose signed time is further
 * from now than the {@link TimestampTolerance} (5 minutes by default) is refused ({@link Outcome#STALE}, 401): an
 * old captured callback cannot be replayed. Within the tolerance each callback is an event named by provider,
 * tenant, our message id, {@code transactionId}, normalised status, provider word and the body's {@code timestamp}
 * (or, without one, the signed {@code webhook-id}, which Standard Webhooks keeps across re-deliveries); an event
 * already taken (see {@link ReplayGuard}) publishes nothing and is answered like a first delivery.
 *
 * <p>Customers' messages come to the same URL (without query) with the same signature and tolerance: a body with
 * {@code "type":"message.received"} is read by {@link NotifyInboundMessages} and handed to the
 * {@link InboundService} (routing, ids, {@code message.inbound.v1}, its own replay check by {@code messageId}).
 */
public final class NotifyStatusWebhook {

    /** What became of a callback. */
    public enum Outcome {
        /** Published (a status, or an inbound message: routed, or dead-lettered without a route). */
        ACCEPTED,
        /** A status word dispatch does not report, or an inbound message without attachments. */
        IGNORED,
        /** Missing or wrong signature (or headers): nothing published. */
        BAD_SIGNATURE,
        /** Rightly signed, but the signed timestamp is outside the tolerance: nothing published. */
        STALE,
        /** Signed but not a JSON object. */
        NOT_JSON,
        /** Signed, but without our correlation in the URL. */
        NOT_OURS,
        /** The same event was already taken (a replay or a re-delivery): nothing published. */
        REPLAYED,
        /** The same event is being taken by another request right now; the provider should send it again later. */
        BUSY
    }

    private static final Logger log = LoggerFactory.getLogger(NotifyStatusWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String secret;
    private final StatusSink statuses;
    private final InboundService inbound;
    private final String sender;
    private final Clock clock;

    /** Statuses only: inbound messages are logged and skipped. */
    public NotifyStatusWebhook(String secret, StatusSink statuses, Clock clock) {
        this(secret, statuses, null, null, clock);
    }

    /**
     * @param secret   Standard Webhooks secret ({@code NOTIFY_WEBHOOK_SECRET}); blank: every callback refused
     * @param statuses where statuses go
     * @param inbound  takes the customers' media messages; null: they are logged and skipped
     * @param sender   the business's sender id ({@code NOTIFY_SENDER}), the inbound {@code to} when the body has none
     * @param clock    clock
     */
    public NotifyStatusWebhook(String secret, StatusSink statuses, InboundService inbound, String sender, Clock clock) {
        this.secret = secret == null || secret.isBlank() ? null : secret;
        this.statuses = statuses;
        this.inbound = inbound;
        this.sender = sender;
        this.clock = clock;
        if (this.secret == null) {
            log.info("No notification API webhook secret configured (NOTIFY_WEBHOOK_SECRET): every callback will be refused");
        }
    }

    /**
     * Checks and publishes one callback.
     *
     * @param query     the callback URL's decoded query (our correlation)
     * @param body      the raw body
     * @param id        {@code webhook-id}
     * @param timestamp {@code webhook-timestamp}
     * @param signature {@code webhook-signature}
     * @param replays   the events already taken
     * @param tolerance how far the signed timestamp may be from now
     */
    public Outcome receive(Map<String, String> query, byte[] body, String id, String timestamp, String signature,
                           ReplayGuard replays, TimestampTolerance tolerance) {
        String text = new String(body, StandardCharsets.UTF_8);
        Instant signedAt = epochSeconds(timestamp);
        // the signature first, at its own signed time; then whether that time is fresh enough
        if (secret == null || signedAt == null
                || !StandardWebhooks.verify(secret, id, timestamp, text, signature, signedAt, Duration.ZERO)) {
            log.warn("Notification API callback refused: {} signature", signature == null ? "missing" : "bad");
            return Outcome.BAD_SIGNATURE;
        }
        if (!tolerance.accepts(signedAt, clock.instant())) {
            log.warn("Notification API callback {} refused: webhook-timestamp {} is outside the tolerance of {}", id,
                    signedAt, tolerance.tolerance());
            return Outcome.STALE;
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
        if (NotifyInboundMessages.isInboundMessage(root)) {
            return receiveMessage(root, replays);
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
        boolean providerTime = root.path("timestamp").canConvertToLong() && root.path("timestamp").asLong() > 0;
        Instant at = providerTime ? Instant.ofEpochMilli(root.path("timestamp").asLong()) : clock.instant();
        StatusUpdate update = new StatusUpdate(tenant, messageId, conversation, null, channel, to, state.get(), at,
                NotifyConnector.PROVIDER, transactionId, word, reason, detail);
        String event = ReplayGuard.key(NotifyConnector.PROVIDER, tenant, messageId, transactionId, state.get().name(),
                word.trim().toLowerCase(Locale.ROOT),
                providerTime ? "at:" + root.path("timestamp").asLong() : "id:" + id);
        return switch (replays.once(event, () -> statuses.publish(Topics.conversationKey(conversation, channel, to),
                update))) {
            case FIRST -> Outcome.ACCEPTED;
            case REPLAY -> {
                log.info("Notification API status '{}' of {} already taken (replayed or re-delivered): not published "
                        + "again", word, transactionId);
                yield Outcome.REPLAYED;
            }
            case IN_PROGRESS -> Outcome.BUSY;
        };
    }

    private Outcome receiveMessage(JsonNode root, ReplayGuard replays) {
        if (inbound == null) {
            log.info("Notification API message {} skipped: inbound messages are not taken here",
                    root.path("messageId").asText(null));
            return Outcome.IGNORED;
        }
        Optional<ProviderMessage> message = NotifyInboundMessages.parse(root, sender);
        if (message.isEmpty()) {
            return Outcome.IGNORED;
        }
        return switch (inbound.take(message.get(), replays)) {
            case PUBLISHED, UNROUTED -> Outcome.ACCEPTED;
            case REPLAYED -> Outcome.REPLAYED;
            case IN_PROGRESS -> Outcome.BUSY;
        };
    }

    private static Instant epochSeconds(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }
}
