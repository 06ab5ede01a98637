package io.mediaplatform.callback.inbound.kafka;

import io.mediaplatform.callback.inbound.core.InboundStatus;
import io.mediaplatform.callback.inbound.core.ReceivedMessage;
import io.mediaplatform.common.kafka.PoisonRecordException;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.InboundDetails;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.OutboundMessage;

import java.time.Instant;

/**
 * Validation's decisions about a customer's media ({@code media.accepted.v1}, {@code media.rejected.v1} with
 * direction INBOUND) as {@link ReceivedMessage}s. For INBOUND the event's {@code message} is the customer's
 * message (from = customer, to = business address) and {@code inbound} what the provider said about it.
 */
public final class InboundDecisionEvents {

    private InboundDecisionEvents() {
    }

    /** Whether the media is a customer's (direction INBOUND). */
    public static boolean isInbound(MediaRef media) {
        return media != null && media.getDirection() == Direction.INBOUND;
    }

    public static ReceivedMessage accepted(MediaAccepted event) {
        MediaRef media = event.getMedia();
        OutboundMessage message = message(event.getEventId(), event.getMessage());
        return received(event.getEventId(), event.getTenantId(), InboundStatus.ACCEPTED, event.getOccurredAt(), media,
                message, event.getInbound(), null, null, event.getDetectedContentType(),
                kind(message.getKind() != null ? message.getKind() : event.getKind()), null);
    }

    public static ReceivedMessage rejected(MediaRejected event) {
        MediaRef media = event.getMedia();
        OutboundMessage message = message(event.getEventId(), event.getMessage());
        return received(event.getEventId(), event.getTenantId(), InboundStatus.REJECTED, event.getOccurredAt(), media,
                message, event.getInbound(), event.getReason() == null ? null : event.getReason().name(),
                event.getReasonMessage(), event.getDetectedContentType(), kind(message.getKind()), event.getCustomerMessage());
    }

    private static ReceivedMessage received(String eventId, String tenantId, InboundStatus status, Instant decidedAt,
                                            MediaRef media, OutboundMessage message, InboundDetails inbound, String reason,
                                            String reasonMessage, String detectedType, String kind,
                                            String customerMessage) {
        boolean stored = media.getStorage() != null;
        return new ReceivedMessage(eventId, tenantId, message.getMessageId(), status, channel(media.getChannel()),
                message.getFrom(), message.getTo(), media.getConversationId(), media.getInboxId(), kind,
                message.getCaption(), message.getFileName(),
                inbound == null ? null : inbound.getProvider(),
                inbound == null ? null : inbound.getProviderMessageId(),
                inbound == null ? null : inbound.getText(),
                reason, reasonMessage,
                inbound == null ? null : inbound.getSentAt(),
                decidedAt,
                new ReceivedMessage.Media(media.getMediaId(), detectedType, stored ? media.getSize() : null,
                        stored ? media.getSha256() : null), customerMessage);
    }

    /** The customer's message; without its id the event cannot be recorded and goes to the dead-letter topic. */
    private static OutboundMessage message(String eventId, OutboundMessage message) {
        if (message == null || message.getMessageId() == null || message.getMessageId().isBlank()) {
            throw new PoisonRecordException("INBOUND_WITHOUT_MESSAGE",
                    "inbound media event " + eventId + " carries no customer message to record");
        }
        return message;
    }

    private static String channel(Channel channel) {
        return channel == null || channel == Channel.UNKNOWN ? null : channel.name();
    }

    private static String kind(MediaKind kind) {
        return kind == null || kind == MediaKind.UNKNOWN ? null : kind.name();
    }
}
