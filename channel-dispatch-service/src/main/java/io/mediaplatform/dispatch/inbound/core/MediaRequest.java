package io.mediaplatform.dispatch.inbound.core;

/**
 * One customer media ingest asks dispatch to download from its provider (a signed request to
 * {@code GET /v1/providers/{provider}/inbound-media}).
 *
 * @param provider where it is
 * @param tenantId tenant owning the inbox (for the logs; bound by the signature)
 * @param mediaId  the platform's media id of the attachment (for the logs; bound by the signature)
 * @param ref      the provider's reference: the WhatsApp media id, or the Twilio {@code MediaUrlN} /
 *                 notification-API media URL
 */
public record MediaRequest(InboundProvider provider, String tenantId, String mediaId, String ref) {

    @Override
    public String toString() {
        // no ref: a provider URL may carry a signature
        return "MediaRequest[provider=" + provider.wireName() + ", tenantId=" + tenantId + ", mediaId=" + mediaId + "]";
    }
}
