package io.mediaplatform.ingest.inbound.core;

/**
 * One customer media to fetch, as plain values (the Kafka adapter reads them from an {@code InboundAttachment} and
 * its {@code InboundMessage}).
 *
 * @param tenantId        tenant owning the inbox
 * @param provider        where it comes from
 * @param mediaId         the attachment's deterministic media id: the object key, so a second download overwrites
 * @param conversationId  conversation of the customer ({@code <CHANNEL>:<from>})
 * @param channel         channel name (WHATSAPP, MMS, RCS, WEBCHAT)
 * @param inboxId         inbox the provider address is routed to, or null
 * @param kind            kind the provider gave
 * @param voice           a voice note
 * @param providerMediaId WhatsApp media id to resolve, or null
 * @param url             download URL the provider gave (Twilio, notification API), or null
 * @param contentType     content type the provider declared, or null
 * @param sha256          SHA-256 the provider gave (hex or base64), or null
 * @param fileName        file name the customer's app gave, or null
 */
public record InboundMedia(String tenantId, Provider provider, String mediaId, String conversationId, String channel,
                           String inboxId, InboundContent.Kind kind, boolean voice, String providerMediaId, String url,
                           String contentType, String sha256, String fileName) {

    @Override
    public String toString() {
        // no URL: a provider URL may carry a signature
        return "InboundMedia[tenantId=" + tenantId + ", provider=" + provider + ", mediaId=" + mediaId + "]";
    }
}
