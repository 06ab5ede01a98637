package io.mediaplatform.dispatch.inbound.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A customer's message with media, taken from a signed provider webhook and routed to a tenant's inbox: what
 * dispatch publishes on {@code message.inbound.v1} (and, without a route, on its dead-letter twin).
 *
 * @param occurredAt        when the customer sent it, as the provider stamped it (the webhook time when it gives none)
 * @param receivedAt        when dispatch took the webhook
 * @param tenantId          tenant of the route; {@link #UNROUTED_TENANT} when no route matched
 * @param inboxId           inbox of the route, or null
 * @param channel           channel name (WHATSAPP, MMS, RCS, WEBCHAT)
 * @param provider          provider connector (whatsapp, twilio, notify)
 * @param providerMessageId the provider's message id (wamid, MessageSid, notification-API id)
 * @param from              the customer's address (E.164 with '+' for phone numbers)
 * @param to                the business address the customer wrote to
 * @param conversationId    {@code <CHANNEL>:<from>}; also the Kafka key
 * @param text              text that came with the media besides captions (Twilio {@code Body}), or null
 * @param attachments       the media, in the provider's order (at least one)
 */
public record InboundMessage(Instant occurredAt, Instant receivedAt, String tenantId, String inboxId, String channel,
                             String provider, String providerMessageId, String from, String to, String conversationId,
                             String text, List<InboundAttachment> attachments) {

    /** Tenant of a message whose business address has no route (it goes to the dead-letter topic). */
    public static final String UNROUTED_TENANT = "";

    public InboundMessage {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(conversationId, "conversationId");
        attachments = List.copyOf(attachments);
    }

    /** Whether a route gave the message a tenant. */
    public boolean routed() {
        return !UNROUTED_TENANT.equals(tenantId);
    }
}
