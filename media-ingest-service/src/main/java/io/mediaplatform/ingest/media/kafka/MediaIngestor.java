package io.mediaplatform.ingest.media.kafka;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.media.UploadMeters;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import java.time.Clock;

/**
 * Turns staged bytes into media: refuses empty content, commits the object with its metadata, and announces
 * it on {@code media.received.v1} (waiting for the broker, so a 201 means the event is durable). When the
 * event cannot be written the object is deleted again, so no media exists that validation never heard of.
 */
@Service
public class MediaIngestor {

    private static final Logger log = LoggerFactory.getLogger(MediaIngestor.class);

    private final MediaStore store;
    private final EventPublisher publisher;
    private final Clock clock;
    private final MeterRegistry meters;

    public MediaIngestor(MediaStore store, EventPublisher publisher, Clock clock, ObjectProvider<MeterRegistry> meters) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
    }

    /**
     * Commits staged bytes as the media described by {@code draft}.
     *
     * @throws InvalidInputException when the content is empty (the staged object is deleted)
     */
    public MediaInfo commit(MediaStore.Staged staged, MediaInfo draft) {
        if (staged.size() == 0) {
            uploaded(draft, "rejected", 0);
            store.discard(staged);
            throw new InvalidInputException("file", "The file is empty (0 bytes)");
        }
        return store.commit(staged, draft);
    }

    /** Publishes a plain upload (no message) keyed by its conversation. */
    public void announceUpload(MediaInfo media) {
        announce(media, MediaEvents.ref(media, store.bucket(), MediaKeys.media(media.tenantId(), media.mediaId())), null);
    }

    /** Publishes stored media with the message to send, keyed by {@code ref.conversationId}. */
    public void announce(MediaInfo media, MediaRef ref, OutboundMessage message) {
        MediaReceived event = MediaEvents.received(media.tenantId(), ref, message, null, clock.instant());
        try {
            publisher.sendAndWait(Topics.MEDIA_RECEIVED, ref.getConversationId(), event);
            log.info("Media received tenant={} mediaId={} size={} eventId={}", media.tenantId(), media.mediaId(),
                    media.size(), event.getEventId());
            uploaded(media, "stored", media.size());
        } catch (RuntimeException e) {
            uploaded(media, "failed", 0);
            log.warn("Could not announce media tenant={} mediaId={}; deleting it", media.tenantId(), media.mediaId());
            store.delete(media.tenantId(), media.mediaId());
            throw e;
        }
    }

    /** The upload meters ({@link UploadMeters}) of one media. */
    private void uploaded(MediaInfo media, String outcome, long bytes) {
        String direction = media.direction() == null ? "outbound" : media.direction().toLowerCase(java.util.Locale.ROOT);
        UploadMeters.record(meters, media.channel(), direction, outcome, bytes);
    }
}
