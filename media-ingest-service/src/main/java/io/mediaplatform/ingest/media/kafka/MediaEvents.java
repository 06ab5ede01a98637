package io.mediaplatform.ingest.media.kafka;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.ingest.media.core.MediaInfo;

import java.time.Instant;
import java.util.UUID;

/** Builds the {@code media.received.v1} events of stored (or unfetchable) media. */
public final class MediaEvents {

    private MediaEvents() {
    }

    /** The reference to stored media, in the context of {@code conversationId}, channel and direction given. */
    public static MediaRef ref(MediaInfo info, String bucket, String key, String conversationId, Channel channel,
                               Direction direction, String inboxId) {
        return MediaRef.newBuilder()
                .setMediaId(info.mediaId())
                .setConversationId(conversationId)
                .setInboxId(inboxId)
                .setChannel(channel)
                .setDirection(direction)
                .setDeclaredFileName(info.fileName())
                .setDeclaredContentType(info.contentType())
                .setSize(info.size())
                .setSha256(info.sha256() == null ? "" : info.sha256())
                .setStorage(StorageLocation.newBuilder().setBucket(bucket).setKey(key).setEtag(info.etag()).build())
                .build();
    }

    /** The reference to stored media in its own upload context. */
    public static MediaRef ref(MediaInfo info, String bucket, String key) {
        return ref(info, bucket, key, info.conversationId(), Channel.valueOf(info.channel()),
                Direction.valueOf(info.direction()), info.inboxId());
    }

    /** The event for the media, with the message to send when there is one. */
    public static MediaReceived received(String tenantId, MediaRef media, OutboundMessage message, String fetchFailure,
                                         Instant at) {
        return MediaReceived.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at)
                .setTenantId(tenantId)
                .setMedia(media)
                .setMessage(message)
                .setFetchFailure(fetchFailure)
                .build();
    }
}
