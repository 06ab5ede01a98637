package io.mediaplatform.dispatch.connector.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaplatform.dispatch.inbound.core.InboundAddresses;
import io.mediaplatform.dispatch.inbound.core.InboundKind;
import io.mediaplatform.dispatch.inbound.core.ProviderMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads a customer's media message from a WhatsApp webhook: one element of
 * {@code entry[].changes[].value.messages[]} with its {@code value} (for {@code metadata.phone_number_id}, the
 * business address). Types {@code image}, {@code video}, {@code audio} (with {@code voice}), {@code document} (with
 * {@code filename}) and {@code sticker} carry a media: its {@code id} (resolved by ingest into a download URL),
 * {@code mime_type}, {@code sha256} and {@code caption}. Other types (text, location, reaction, ...) carry none and
 * are skipped with a log line; so is a message without {@code id}, {@code from} or phone number id. {@code from}
 * (a {@code wa_id}, digits only) becomes E.164 with its '+'.
 */
final class WhatsAppInboundMessages {

    private static final Logger log = LoggerFactory.getLogger(WhatsAppInboundMessages.class);

    private WhatsAppInboundMessages() {
    }

    /** The media message, or empty when the message carries no media (logged). */
    static Optional<ProviderMessage> parse(JsonNode value, JsonNode message) {
        String wamid = text(message.path("id"));
        String type = text(message.path("type"));
        String from = InboundAddresses.e164(text(message.path("from")));
        String to = text(value.path("metadata").path("phone_number_id"));
        Optional<InboundKind> kind = InboundKind.ofWhatsAppType(type);
        if (kind.isEmpty()) {
            log.info("WhatsApp message {} of type '{}' ignored: it carries no media", wamid, type);
            return Optional.empty();
        }
        if (wamid == null || from == null || from.isEmpty() || to == null) {
            log.warn("WhatsApp {} message {} skipped: no message id, sender or metadata.phone_number_id", type, wamid);
            return Optional.empty();
        }
        JsonNode media = message.path(type);
        ProviderMessage.Media announced = new ProviderMessage.Media(kind.get(),
                kind.get() == InboundKind.AUDIO && media.path("voice").asBoolean(false),
                text(media.path("id")), null, text(media.path("mime_type")), text(media.path("sha256")),
                text(media.path("caption")), text(media.path("filename")));
        return Optional.of(new ProviderMessage(WhatsAppConnector.PROVIDER, WhatsAppConnector.CHANNEL, wamid, from, to,
                timestamp(message), null, List.of(announced)));
    }

    private static Instant timestamp(JsonNode message) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(message.path("timestamp").asText()));
        } catch (NumberFormatException e) {
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
