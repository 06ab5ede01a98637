package io.mediaplatform.dispatch.connector.twilio;

import io.mediaplatform.dispatch.inbound.core.InboundAddresses;
import io.mediaplatform.dispatch.inbound.core.InboundKind;
import io.mediaplatform.dispatch.inbound.core.ProviderMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a customer's message from a Twilio incoming-message webhook (form-encoded, POSTed to the same URL as the
 * status callbacks): a form with {@code NumMedia} and without {@code MessageStatus} is an incoming message.
 * {@code MessageSid}, {@code From} and {@code To} ({@code whatsapp:+1555…} for WhatsApp through Twilio: channel
 * WHATSAPP and the prefix dropped; else MMS), {@code Body}, and up to {@value #MAX_MEDIA} media
 * {@code MediaUrl<N>} / {@code MediaContentType<N>}, the kind taken from the content type. {@code Body} is kept as the
 * message's text and as the caption of the first media. {@code NumMedia=0} (a text-only message) is skipped.
 */
final class TwilioInboundMessages {

    /** Most media Twilio puts in one message. */
    static final int MAX_MEDIA = 10;

    private static final Logger log = LoggerFactory.getLogger(TwilioInboundMessages.class);

    private TwilioInboundMessages() {
    }

    /** Whether the form is an incoming message rather than a status callback. */
    static boolean isInboundMessage(Map<String, List<String>> post) {
        return post.containsKey("NumMedia") && !post.containsKey("MessageStatus");
    }

    /** The media message, or empty when the form carries no media or no message id (logged). */
    static Optional<ProviderMessage> parse(Map<String, List<String>> post) {
        String sid = first(post, "MessageSid");
        String rawFrom = first(post, "From");
        String rawTo = first(post, "To");
        int count;
        try {
            count = Integer.parseInt(first(post, "NumMedia") == null ? "" : first(post, "NumMedia").trim());
        } catch (NumberFormatException e) {
            log.warn("Twilio message {} skipped: NumMedia '{}' is not a number", sid, first(post, "NumMedia"));
            return Optional.empty();
        }
        if (count <= 0) {
            log.info("Twilio message {} ignored: it carries no media (NumMedia={})", sid, count);
            return Optional.empty();
        }
        if (sid == null || rawFrom == null || rawFrom.isBlank() || rawTo == null || rawTo.isBlank()) {
            log.warn("Twilio message {} skipped: no MessageSid, From or To", sid);
            return Optional.empty();
        }
        if (count > MAX_MEDIA) {
            log.warn("Twilio message {} announces {} media; only the first {} are taken", sid, count, MAX_MEDIA);
            count = MAX_MEDIA;
        }
        boolean whatsApp = InboundAddresses.isWhatsApp(rawFrom) || InboundAddresses.isWhatsApp(rawTo);
        String body = first(post, "Body");
        String text = body == null || body.isBlank() ? null : body;
        List<ProviderMessage.Media> media = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String contentType = blankToNull(first(post, "MediaContentType" + i));
            media.add(new ProviderMessage.Media(InboundKind.ofContentType(contentType), false, null,
                    blankToNull(first(post, "MediaUrl" + i)), contentType, null, i == 0 ? text : null, null));
        }
        return Optional.of(new ProviderMessage(TwilioConnector.PROVIDER, whatsApp ? "WHATSAPP" : "MMS", sid.trim(),
                InboundAddresses.withoutWhatsAppPrefix(rawFrom), InboundAddresses.withoutWhatsAppPrefix(rawTo), null,
                text, media));
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
