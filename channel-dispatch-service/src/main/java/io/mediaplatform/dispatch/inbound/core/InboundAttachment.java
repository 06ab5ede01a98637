package io.mediaplatform.dispatch.inbound.core;

import java.util.Objects;

/**
 * One media of a customer's message, as the provider announced it, with the platform ids it will be known by.
 *
 * @param index           position in the provider message, from 0
 * @param messageId       platform message id of this media's message (deterministic, see {@link InboundIds})
 * @param mediaId         platform media id the fetched bytes are stored under (deterministic)
 * @param kind            message kind
 * @param voice           a voice note (WhatsApp audio with {@code voice: true})
 * @param providerMediaId the provider's media id to resolve into a download URL (WhatsApp), else null
 * @param url             the download URL the provider gave (Twilio, notification API), else null
 * @param contentType     content type as declared by the provider, or null
 * @param sha256          SHA-256 as the provider gave it (hex or base64), or null
 * @param caption         caption, or null
 * @param fileName        file name of a document, or null
 */
public record InboundAttachment(int index, String messageId, String mediaId, InboundKind kind, boolean voice,
                                String providerMediaId, String url, String contentType, String sha256, String caption,
                                String fileName) {

    public InboundAttachment {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(mediaId, "mediaId");
        Objects.requireNonNull(kind, "kind");
    }
}
