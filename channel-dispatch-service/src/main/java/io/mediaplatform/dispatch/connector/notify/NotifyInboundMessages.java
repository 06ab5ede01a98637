package io.mediaplatform.dispatch.connector.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaplatform.dispatch.inbound.core.InboundKind;
import io.mediaplatform.dispatch.inbound.core.ProviderMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a customer's message from a notification-API inbound callback (JSON, POSTed to the same URL as the status
 * callbacks with the same Standard Webhooks signature): {@code {"type":"message.received", "messageId", "channel"
 * (RCS, WEBCHAT), "from", "to" (the business's sender id), "timestamp" (ISO-8601, or epoch milliseconds), "text"?,
 * "attachments":[{"type" (image, video, audio, document, sticker), "url", "contentType", "size", "sha256",
 * "fileName", "caption"}]}}. Without {@code to} the configured sender ({@code NOTIFY_SENDER}) is the business address.
 * A message without attachments, id, channel or sender is skipped with a log line.
 */
final class NotifyInboundMessages {

    /** The {@code type} of an inbound callback. */
    static final String TYPE = "message.received";

    private static final Logger log = LoggerFactory.getLogger(NotifyInboundMessages.class);

    private NotifyInboundMessages() {
    }

    /** Whether a callback body is an inbound message rather than a status. */
    static boolean isInboundMessage(JsonNode root) {
        return TYPE.equals(root.path("type").asText(null));
    }

    /**
     * The media message, or empty when it carries none or lacks what identifies it (logged).
     *
     * @param sender the business's sender id on the notification API ({@code NOTIFY_SENDER}), used when the body
     *               names no {@code to}; may be null
     */
    static Optional<ProviderMessage> parse(JsonNode root, String sender) {
        String id = text(root.path("messageId"));
        String channel = text(root.path("channel"));
        String from = text(root.path("from"));
        String to = text(root.path("to"));
        if (to == null && sender != null && !sender.isBlank()) {
            to = sender.trim();
        }
        JsonNode attachments = root.path("attachments");
        if (!attachments.isArray() || attachments.isEmpty()) {
            log.info("Notification API message {} ignored: it carries no attachment", id);
            return Optional.empty();
        }
        if (id == null || channel == null || from == null) {
            log.warn("Notification API message {} skipped: no messageId, channel or from", id);
            return Optional.empty();
        }
        List<ProviderMessage.Media> media = new ArrayList<>();
        for (JsonNode attachment : attachments) {
            String contentType = text(attachment.path("contentType"));
            media.add(new ProviderMessage.Media(
                    InboundKind.ofNotifyType(text(attachment.path("type")), contentType),
                    attachment.path("voice").asBoolean(false), null, text(attachment.path("url")), contentType,
                    text(attachment.path("sha256")), text(attachment.path("caption")),
                    text(attachment.path("fileName"))));
        }
        return Optional.of(new ProviderMessage(NotifyConnector.PROVIDER, channel.toUpperCase(Locale.ROOT), id, from,
                to == null ? "" : to, timestamp(root.path("timestamp")), text(root.path("text")), media));
    }

    private static Instant timestamp(JsonNode node) {
        if (node.canConvertToLong() && node.isNumber()) {
            return node.asLong() > 0 ? Instant.ofEpochMilli(node.asLong()) : null;
        }
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String text = node.asText().trim();
        return text.isEmpty() ? null : text;
    }
}
