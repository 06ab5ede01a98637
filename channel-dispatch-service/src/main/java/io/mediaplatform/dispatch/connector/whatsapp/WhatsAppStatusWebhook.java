package io.mediaplatform.dispatch.connector.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.dispatch.inbound.core.InboundService;
import io.mediaplatform.dispatch.inbound.core.ProviderMessage;
import io.mediaplatform.dispatch.send.core.Correlation;
import io.mediaplatform.dispatch.status.core.DeliveryState;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.status.core.StatusUpdate;
import io.mediaplatform.dispatch.status.core.WhatsAppStatuses;
import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a WhatsApp webhook into platform statuses and inbound messages: checks the signature over the raw bytes, walks
 * {@code entry[].changes[].value.statuses[]}, decodes the correlation from {@code biz_opaque_callback_data},
 * normalises the status and publishes it, keyed by the conversation key. Statuses that are ignored
 * ({@code deleted}, {@code warning}) or cannot be correlated are logged and skipped.
 *
 * <p>The customers' messages of the same webhook ({@code value.messages[]}, possibly next to statuses) that carry
 * media are read by {@link WhatsAppInboundMessages} and handed to the {@link InboundService} (routing, ids,
 * {@code message.inbound.v1}); messages without media are logged and skipped.
 *
 * <p>Replays: Meta signs the raw body only, with no delivery time in the signature (the statuses' own
 * {@code timestamp} is when the status happened, and Meta re-delivers for days), so there is no stale-timestamp check
 * here. Instead each status is an event named by provider, tenant, our message id, {@code wamid}, normalised status,
 * provider word and provider {@code timestamp}; an event already taken (see {@link ReplayGuard}) is skipped, the
 * webhook still answered 200 so Meta does not retry it. An event is remembered only once it is on the topic, so a
 * webhook that failed half-way is taken again for the statuses it had not published.
 */
public final class WhatsAppStatusWebhook {

    /** What became of a webhook. */
    public enum Outcome {
        /** Signed and read: every status and message in it published, skipped or already taken before (a replay). */
        ACCEPTED,
        /** Missing or wrong signature: nothing published. */
        BAD_SIGNATURE,
        /** Signed but not a JSON object. */
        NOT_JSON,
        /** A status or message in it is being taken by another request right now; the provider should send it again later. */
        BUSY
    }

    private enum Taken { PUBLISHED, SKIPPED, REPLAYED, IN_PROGRESS }

    private static final Logger log = LoggerFactory.getLogger(WhatsAppStatusWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookSignature signature;
    private final StatusSink statuses;
    private final InboundService inbound;
    private final Clock clock;

    /** Statuses only: customers' messages are logged and skipped. */
    public WhatsAppStatusWebhook(WebhookSignature signature, StatusSink statuses, Clock clock) {
        this(signature, statuses, null, clock);
    }

    /**
     * @param inbound takes the customers' media messages; null: they are logged and skipped
     */
    public WhatsAppStatusWebhook(WebhookSignature signature, StatusSink statuses, InboundService inbound, Clock clock) {
        this.signature = signature;
        this.statuses = statuses;
        this.inbound = inbound;
        this.clock = clock;
        if (!signature.configured()) {
            log.warn("No WhatsApp app secret configured (WHATSAPP_APP_SECRET): every status webhook will be refused");
        }
    }

    /**
     * Checks and publishes; publishing failures propagate (the provider will retry the webhook).
     *
     * @param body            the raw body
     * @param signatureHeader {@code X-Hub-Signature-256}
     * @param replays         the events already taken, consulted and updated per status and per message
     */
    public Outcome receive(byte[] body, String signatureHeader, ReplayGuard replays) {
        return receive(body, signatureHeader, false, replays);
    }

    /**
     * Like {@link #receive(byte[], String, ReplayGuard)}; {@code tokenAuthenticated}: the request carried the
     * configured webhook token (360dialog, which does not sign), so no signature is needed.
     */
    public Outcome receive(byte[] body, String signatureHeader, boolean tokenAuthenticated, ReplayGuard replays) {
        if (!tokenAuthenticated && !signature.verify(body, signatureHeader)) {
            log.warn("WhatsApp status webhook refused: {} signature", signatureHeader == null ? "missing" : "bad");
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
        EnumMap<Taken, Integer> counts = new EnumMap<>(Taken.class);
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                for (JsonNode status : value.path("statuses")) {
                    counts.merge(handle(status, replays), 1, Integer::sum);
                }
                for (JsonNode message : value.path("messages")) {
                    counts.merge(handleMessage(value, message, replays), 1, Integer::sum);
                }
            }
        }
        if (counts.containsKey(Taken.REPLAYED)) {
            log.info("WhatsApp webhook: {} statuses or messages already taken (replayed or re-delivered) skipped, {} "
                    + "published", counts.get(Taken.REPLAYED), counts.getOrDefault(Taken.PUBLISHED, 0));
        } else {
            log.debug("WhatsApp webhook: {} statuses or messages published", counts.getOrDefault(Taken.PUBLISHED, 0));
        }
        return counts.containsKey(Taken.IN_PROGRESS) ? Outcome.BUSY : Outcome.ACCEPTED;
    }

    private Taken handle(JsonNode status, ReplayGuard replays) {
        String wamid = status.path("id").asText(null);
        String word = status.path("status").asText(null);
        Optional<DeliveryState> state = WhatsAppStatuses.normalise(word);
        if (state.isEmpty()) {
            log.info("WhatsApp status '{}' of {} ignored", word, wamid);
            return Taken.SKIPPED;
        }
        Optional<Correlation> correlation = CallbackData.decode(status.path("biz_opaque_callback_data").asText(null));
        if (correlation.isEmpty()) {
            log.warn("WhatsApp status '{}' of {} skipped: no platform correlation in biz_opaque_callback_data", word, wamid);
            return Taken.SKIPPED;
        }
        Correlation c = correlation.get();
        String to = c.to() != null ? c.to() : status.path("recipient_id").asText(null);
        String reason = null;
        String detail = null;
        JsonNode error = status.path("errors").path(0);
        if (!error.isMissingNode()) {
            reason = error.has("code") ? error.path("code").asText() : "PROVIDER_ERROR";
            String title = error.path("title").asText(error.path("message").asText(""));
            String more = error.at("/error_data/details").asText("");
            detail = more.isBlank() ? title : title + ": " + more;
        } else if (state.get() == DeliveryState.FAILED) {
            reason = "PROVIDER_ERROR";
        }
        StatusUpdate update = new StatusUpdate(c.tenantId(), c.messageId(), c.conversationId(), null,
                WhatsAppConnector.CHANNEL, to, state.get(), timestamp(status), WhatsAppConnector.PROVIDER, wamid, word,
                reason, detail);
        String event = ReplayGuard.key(WhatsAppConnector.PROVIDER, c.tenantId(), c.messageId(), wamid,
                state.get().name(), word.trim().toLowerCase(Locale.ROOT), status.path("timestamp").asText(""));
        return switch (replays.once(event, () -> statuses.publish(
                Topics.conversationKey(c.conversationId(), WhatsAppConnector.CHANNEL, to), update))) {
            case FIRST -> Taken.PUBLISHED;
            case REPLAY -> Taken.REPLAYED;
            case IN_PROGRESS -> Taken.IN_PROGRESS;
        };
    }

    private Taken handleMessage(JsonNode value, JsonNode message, ReplayGuard replays) {
        if (inbound == null) {
            log.info("WhatsApp message {} skipped: inbound messages are not taken here", message.path("id").asText(null));
            return Taken.SKIPPED;
        }
        Optional<ProviderMessage> media = WhatsAppInboundMessages.parse(value, message);
        if (media.isEmpty()) {
            return Taken.SKIPPED;
        }
        return switch (inbound.take(media.get(), replays)) {
            case PUBLISHED, UNROUTED -> Taken.PUBLISHED;
            case REPLAYED -> Taken.REPLAYED;
            case IN_PROGRESS -> Taken.IN_PROGRESS;
        };
    }

    private Instant timestamp(JsonNode status) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(status.path("timestamp").asText()));
        } catch (NumberFormatException e) {
            return clock.instant();
        }
    }
}
