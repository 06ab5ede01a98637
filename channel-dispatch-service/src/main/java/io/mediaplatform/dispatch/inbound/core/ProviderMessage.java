package io.mediaplatform.dispatch.inbound.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A customer's message as a provider webhook announced it, before routing: what the WhatsApp, Twilio and
 * notification-API adapters read from their bodies.
 *
 * @param provider          provider connector (whatsapp, twilio, notify)
 * @param channel           channel name
 * @param providerMessageId the provider's message id
 * @param from              the customer's address, already normalised (E.164 with '+' for phone numbers)
 * @param to                the business address (routing key with the provider)
 * @param occurredAt        the provider's time of the message, or null when it gives none
 * @param text              text besides captions, or null
 * @param media             the media announced, in order (at least one)
 */
public record ProviderMessage(String provider, String channel, String providerMessageId, String from, String to,
                              Instant occurredAt, String text, List<Media> media) {

    public ProviderMessage {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        media = List.copyOf(media);
        if (media.isEmpty()) {
            throw new IllegalArgumentException("a provider message without media is not an inbound media message");
        }
    }

    /**
     * One announced media.
     *
     * @param kind            message kind
     * @param voice           a voice note
     * @param providerMediaId the provider's media id (WhatsApp), or null
     * @param url             the download URL (Twilio, notification API), or null
     * @param contentType     declared content type, or null
     * @param sha256          declared SHA-256 (hex or base64), or null
     * @param caption         caption, or null
     * @param fileName        file name, or null
     */
    public record Media(InboundKind kind, boolean voice, String providerMediaId, String url, String contentType,
                        String sha256, String caption, String fileName) {

        public Media {
            Objects.requireNonNull(kind, "kind");
        }
    }
}
