package io.mediaplatform.dispatch.status.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One status of one message, as dispatch publishes it on {@code message.status.v1}.
 *
 * @param tenantId          tenant owning the message
 * @param messageId         platform message id
 * @param conversationId    conversation id, when known
 * @param mediaId           media id, when known
 * @param channel           channel name
 * @param to                recipient, when known
 * @param state             normalised state
 * @param occurredAt        when it happened (provider time for webhooks)
 * @param provider          provider connector name, when a provider is involved
 * @param providerMessageId provider's message id, when known
 * @param providerStatus    provider's own status word, before normalisation
 * @param reason            reason code for FAILED
 * @param detail            human-readable detail for FAILED (for QUEUED, what validation converted)
 * @param converted         for QUEUED, what validation converted so the media fits the channel; else null
 */
public record StatusUpdate(String tenantId, String messageId, String conversationId, String mediaId, String channel,
                           String to, DeliveryState state, Instant occurredAt, String provider,
                           String providerMessageId, String providerStatus, String reason, String detail,
                           Conversion converted) {

    /** A status that tells of no conversion. */
    public StatusUpdate(String tenantId, String messageId, String conversationId, String mediaId, String channel,
                        String to, DeliveryState state, Instant occurredAt, String provider,
                        String providerMessageId, String providerStatus, String reason, String detail) {
        this(tenantId, messageId, conversationId, mediaId, channel, to, state, occurredAt, provider, providerMessageId,
                providerStatus, reason, detail, null);
    }

    public StatusUpdate {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /** The same status, telling what validation converted (null for nothing). */
    public StatusUpdate withConverted(Conversion conversion) {
        return new StatusUpdate(tenantId, messageId, conversationId, mediaId, channel, to, state, occurredAt, provider,
                providerMessageId, providerStatus, reason, detail, conversion);
    }
}
