package io.mediaplatform.dispatch;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.StorageLocation;

import java.time.Instant;
import java.util.UUID;

/**
 * The {@code media.accepted.v1} records the service tests publish: a message from {@code +15550001111} with the
 * caption "Look at this" (images) or the file name report.pdf (documents), its media {@code media-<messageId>}.
 */
final class AcceptedMedia {

    private AcceptedMedia() {
    }

    static OutboundMessage message(String messageId, String to, MediaKind kind) {
        return OutboundMessage.newBuilder().setMessageId(messageId).setFrom("+15550001111").setTo(to).setKind(kind)
                .setCaption(kind == MediaKind.IMAGE ? "Look at this" : null)
                .setFileName(kind == MediaKind.DOCUMENT ? "report.pdf" : null)
                .build();
    }

    static MediaRef media(String tenant, String mediaId, String conversation, Channel channel, Direction direction) {
        return MediaRef.newBuilder().setMediaId(mediaId).setConversationId(conversation).setChannel(channel)
                .setDirection(direction).setSize(1234).setSha256("00".repeat(32))
                .setStorage(StorageLocation.newBuilder().setBucket("media").setKey(tenant + "/" + mediaId).build())
                .build();
    }

    static MediaAccepted accepted(String tenant, Channel channel, Direction direction, String conversation,
                                  OutboundMessage message) {
        return MediaAccepted.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setTenantId(tenant)
                .setReceivedEventId(UUID.randomUUID().toString())
                .setMedia(media(tenant, "media-" + message.getMessageId(), conversation, channel, direction))
                .setDetectedContentType(message.getKind() == MediaKind.DOCUMENT ? "application/pdf" : "image/jpeg")
                .setKind(message.getKind())
                .setMessage(message)
                .build();
    }
}
