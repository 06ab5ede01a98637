package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.MediaChannel;
import io.mediaplatform.validation.policy.core.MediaDirection;

import java.time.Clock;
import java.util.UUID;

/** Translation between the Avro events and the validation core, and the answers to a media.received event. */
final class DecisionEvents {

    private final Clock clock;

    DecisionEvents(Clock clock) {
        this.clock = clock;
    }

    MediaAccepted accepted(MediaReceived received, Decision.Accepted decision, MediaRendition rendition) {
        return MediaAccepted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(clock.instant())
                .setTenantId(received.getTenantId())
                .setReceivedEventId(received.getEventId())
                .setMedia(received.getMedia())
                .setDetectedContentType(decision.detectedType())
                .setKind(MediaKind.valueOf(decision.kind().name()))
                .setMessage(withMessageRules(received, decision.kind()))
                .setInbound(received.getInbound())
                .setRendition(rendition)
                .build();
    }

    MediaRejected rejected(MediaReceived received, Decision.Rejected decision, String detectedContentType) {
        return MediaRejected.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(clock.instant())
                .setTenantId(received.getTenantId())
                .setReceivedEventId(received.getEventId())
                .setMedia(received.getMedia())
                .setDetectedContentType(detectedContentType)
                .setReason(RejectionReason.valueOf(decision.reason().name()))
                .setReasonMessage(decision.message())
                .setCustomerMessage(decision.customerMessage())
                .setMessage(received.getMessage())
                .setInbound(received.getInbound())
                .build();
    }

    /**
     * The outbound message with the rules of its kind applied (docs/ARCHITECTURE.md §5): the caption only for image and
     * video, the file name only for documents (the media's original name when the message gave none).
     */
    static OutboundMessage withMessageRules(MediaReceived received, Kind kind) {
        OutboundMessage message = received.getMessage();
        if (message == null) {
            return null;
        }
        String fileName = message.getFileName() != null ? message.getFileName() : received.getMedia().getDeclaredFileName();
        return OutboundMessage.newBuilder(message)
                .setKind(MediaKind.valueOf(kind.name()))
                .setCaption(kind.carriesCaption() ? message.getCaption() : null)
                .setFileName(kind.carriesFileName() ? fileName : null)
                .build();
    }

    static MediaChannel channel(Channel channel) {
        return channel == null || channel == Channel.UNKNOWN ? null : MediaChannel.valueOf(channel.name());
    }

    static MediaDirection direction(Direction direction) {
        return direction == null || direction == Direction.UNKNOWN ? null : MediaDirection.valueOf(direction.name());
    }

    static Kind kind(MediaKind kind) {
        return kind == null || kind == MediaKind.UNKNOWN ? null : Kind.valueOf(kind.name());
    }
}
