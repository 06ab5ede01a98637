package io.mediaplatform.dispatch.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.dispatch.send.core.Correlation;
import io.mediaplatform.dispatch.status.core.DeliveryState;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.status.core.StatusUpdate;
import io.mediaplatform.dispatch.status.core.WhatsAppStatuses;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a WhatsApp status webhook into platform statuses: checks the signature over the raw bytes, walks
 * {@code entry[].changes[].value.statuses[]}, decodes the correlation from {@code biz_opaque_callback_data},
 * normalises the status and publishes it, keyed by the conversation key. Statuses that are ignored
 * ({@code deleted}, {@code warning}) or cannot be correlated are logged and skipped.
 */
public final class WhatsAppStatusWebhook {

    /** What became of a webhook. */
    public enum Outcome { ACCEPTED, BAD_SIGNATURE, NOT_JSON }

    private static final Logger log = LoggerFactory.getLogger(WhatsAppStatusWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookSignature signature;
    private final StatusSink statuses;
    private final Clock clock;

    public WhatsAppStatusWebhook(WebhookSignature signature, StatusSink statuses, Clock clock) {
        this.signature = signature;
        this.statuses = statuses;
        this.clock = clock;
        if (!signature.configured()) {
            log.warn("No WhatsApp app secret configured (WHATSAPP_APP_SECRET): every status webhook will be refused");
        }
    }

    /** Checks and publishes; publishing failures propagate (the provider will retry the webhook). */
    public Outcome receive(byte[] body, String signatureHeader) {
        if (!signature.verify(body, signatureHeader)) {
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
        int published = 0;
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                for (JsonNode status : change.path("value").path("statuses")) {
                    if (handle(status)) {
                        published++;
                    }
                }
            }
        }
        log.debug("WhatsApp status webhook: {} statuses published", published);
        return Outcome.ACCEPTED;
    }

    private boolean handle(JsonNode status) {
        String wamid = status.path("id").asText(null);
        String word = status.path("status").asText(null);
        Optional<DeliveryState> state = WhatsAppStatuses.normalise(word);
        if (state.isEmpty()) {
            log.info("WhatsApp status '{}' of {} ignored", word, wamid);
            return false;
        }
        Optional<Correlation> correlation = CallbackData.decode(status.path("biz_opaque_callback_data").asText(null));
        if (correlation.isEmpty()) {
            log.warn("WhatsApp status '{}' of {} skipped: no platform correlation in biz_opaque_callback_data", word, wamid);
            return false;
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
        statuses.publish(Topics.conversationKey(c.conversationId(), WhatsAppConnector.CHANNEL, to), update);
        return true;
    }

    private Instant timestamp(JsonNode status) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(status.path("timestamp").asText()));
        } catch (NumberFormatException e) {
            return clock.instant();
        }
    }
}
