package io.mediaplatform.dispatch.support;

import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.status.core.Conversion;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Optional;

/**
 * Turns an accepted-media record (from {@code media.accepted.v1} or the retry topic) into the send it asks for,
 * with a freshly signed media link for the provider to fetch (to the rendition, when validation converted the media).
 */
public final class AcceptedSends {

    private final MediaLinks links;

    public AcceptedSends(MediaLinks links) {
        this.links = links;
    }

    /** The send, when the record is outbound media with a message; empty for anything dispatch does not send. */
    public Optional<OutboundSend> toSend(ConsumerRecord<String, MediaAccepted> record) {
        MediaAccepted event = record.value();
        OutboundMessage message = event == null ? null : event.getMessage();
        if (message == null || event.getMedia().getDirection() != Direction.OUTBOUND) {
            return Optional.empty();
        }
        MediaRef media = event.getMedia();
        return Optional.of(OutboundSend.media(event.getTenantId(), message.getMessageId(), media.getChannel().name(),
                        message.getFrom(), message.getTo(), kind(message.getKind(), event.getKind()),
                        message.getCaption(), message.getFileName(),
                        links.linkTo(event.getTenantId(), sentMediaId(event), media.getChannel().name()),
                        media.getMediaId(), media.getConversationId())
                .withReferences(message.getExternalId(), message.getClientId())
                .withConversion(conversion(event.getRendition())));
    }

    /** What validation converted, as the QUEUED status tells it; null when the media is sent as it came. */
    private static Conversion conversion(MediaRendition rendition) {
        return rendition == null ? null : new Conversion(rendition.getMediaId(), rendition.getFromContentType(),
                rendition.getContentType(), rendition.getFromSize(), rendition.getSize(), rendition.getConversion());
    }

    /**
     * The media the provider is sent: the rendition validation made when it converted the media to fit the channel
     * (auto-fit, ARCHITECTURE §5: a JPEG for a WebP, a copy without GPS), else the accepted media itself. The link
     * serves the rendition with its own type; statuses keep naming the media the client sent.
     */
    static String sentMediaId(MediaAccepted event) {
        return event.getRendition() != null ? event.getRendition().getMediaId() : event.getMedia().getMediaId();
    }

    /** The conversation key statuses are published under: the record's key, or the one ARCHITECTURE §3 derives. */
    public static String key(ConsumerRecord<String, MediaAccepted> record) {
        if (record.key() != null) {
            return record.key();
        }
        MediaRef media = record.value().getMedia();
        return Topics.conversationKey(media.getConversationId(), media.getChannel().name(),
                record.value().getMessage().getTo());
    }

    private static SendKind kind(MediaKind asked, MediaKind accepted) {
        MediaKind kind = asked == null || asked == MediaKind.UNKNOWN ? accepted : asked;
        return switch (kind) {
            case IMAGE -> SendKind.IMAGE;
            case VIDEO -> SendKind.VIDEO;
            case AUDIO -> SendKind.AUDIO;
            case STICKER -> SendKind.STICKER;
            case DOCUMENT, UNKNOWN -> SendKind.DOCUMENT;
        };
    }
}
