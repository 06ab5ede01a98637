package io.mediaplatform.dispatch.inbound.core;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The platform ids of a customer's message, derived from what the provider gave, so that the same provider message
 * gets the same ids however often (and on whichever dispatch instance) its webhook arrives:
 * {@code UUID.nameUUIDFromBytes("inbound-message|<tenant>|<provider>|<providerMessageId>|<index>")} for the
 * message id and {@code "inbound-media|..."} for the media id, as lower-case UUID strings; and the conversation id
 * {@code <CHANNEL>:<customer address>}.
 */
public final class InboundIds {

    private InboundIds() {
    }

    /** The platform message id of the {@code index}-th media of a provider message. */
    public static String messageId(String tenantId, String provider, String providerMessageId, int index) {
        return nameUuid("inbound-message", tenantId, provider, providerMessageId, index);
    }

    /** The platform media id of the {@code index}-th media of a provider message. */
    public static String mediaId(String tenantId, String provider, String providerMessageId, int index) {
        return nameUuid("inbound-media", tenantId, provider, providerMessageId, index);
    }

    /** {@code <CHANNEL>:<from>}, e.g. {@code WHATSAPP:+15557654321}. */
    public static String conversationId(String channel, String from) {
        return channel + ":" + from;
    }

    private static String nameUuid(String prefix, String tenantId, String provider, String providerMessageId,
                                   int index) {
        String name = prefix + "|" + tenantId + "|" + provider + "|" + providerMessageId + "|" + index;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
