package io.mediaplatform.validation.conversion.kafka;

import io.mediaplatform.common.cache.RecentValues;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.conversion.imageio.ImageConverter;
import io.mediaplatform.validation.conversion.imageio.Thumbnailer;
import io.mediaplatform.validation.conversion.core.ThumbnailSize;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Makes the thumbnails of accepted media once (ARCHITECTURE §15), and of the copy auto-fit made of it, under a
 * consumer group of its own on {@code media.accepted.v1}, so that decisions never wait for them: the renditions are written beside the media
 * ({@link ThumbnailSize#key}); when none can be made the reason is written instead ({@link ThumbnailSize#REFUSED_SUFFIX}),
 * which ingest answers as a problem. Media already done (the same media accepted for another message) is skipped:
 * the media this instance did lately are remembered ({@link #DONE_ENTRIES}), so a campaign of one media costs no
 * storage round trip per message after its first (a media's bytes never change under its key, and its thumbnails go
 * only with it); others are looked up with a HEAD of the rendition and of the refusal.
 */
public class ThumbnailListener {

    private static final Logger log = LoggerFactory.getLogger(ThumbnailListener.class);

    private final ObjectStorage storage;
    private final Thumbnailer thumbnailer;
    private final long maxInput;
    /** Storage keys of media whose thumbnails (or refusal) this instance wrote or found lately. */
    private final RecentValues<String, Boolean> done = RecentValues.counted(DONE_ENTRIES, Duration.ofHours(1));

    /** How many media keys done are remembered (about 200 bytes each). */
    static final int DONE_ENTRIES = 10_000;

    public ThumbnailListener(ObjectStorage storage, Thumbnailer thumbnailer, long maxInput) {
        this.storage = storage;
        this.thumbnailer = thumbnailer;
        this.maxInput = maxInput;
    }

    @KafkaListener(id = "validation-thumbnails", topics = Topics.MEDIA_ACCEPTED_NAME, groupId = "validation-thumbnails",
            autoStartup = "${validation.thumbnails.enabled:true}")
    public void on(ConsumerRecord<String, SpecificRecord> record) {
        if (!(record.value() instanceof MediaAccepted accepted)) {
            return;
        }
        MediaRef media = accepted.getMedia();
        if (media.getStorage() != null) {
            thumbnails(accepted.getTenantId(), media.getMediaId(), media.getStorage(), media.getSize(),
                    accepted.getDetectedContentType());
        }
        MediaRendition rendition = accepted.getRendition();
        if (rendition != null) {
            // the copy auto-fit made is media of its own, fetched by its own id: it gets thumbnails too
            thumbnails(accepted.getTenantId(), rendition.getMediaId(), rendition.getStorage(), rendition.getSize(),
                    rendition.getContentType());
        }
    }

    private void thumbnails(String tenantId, String mediaId, StorageLocation location, long size, String contentType) {
        if (!Thumbnailer.handles(contentType)) {
            return;
        }
        String key = location.getKey();
        if (!storage.bucket().equals(location.getBucket()) || done.get(key).isPresent()) {
            return;
        }
        if (storage.head(ThumbnailSize.ALL.getFirst().key(key)).isPresent()
                || storage.head(key + ThumbnailSize.REFUSED_SUFFIX).isPresent()) {
            done.put(key, Boolean.TRUE);
            return;
        }
        Map<String, String> metadata = Map.of("tenant", tenantId, "thumbnail-of", mediaId);
        try {
            if (size > maxInput) {
                throw new ImageConverter.ConversionFailedException("the media is larger than the "
                        + maxInput + " bytes read whole for a thumbnail");
            }
            byte[] bytes;
            try (InputStream in = storage.open(key, null)) {
                bytes = in.readAllBytes();
            }
            for (Thumbnailer.Thumbnail thumbnail : thumbnailer.make(bytes, contentType)) {
                storage.put(thumbnail.size().key(key), new ByteArrayInputStream(thumbnail.jpeg()), "image/jpeg", metadata,
                        thumbnail.jpeg().length);
            }
            done.put(key, Boolean.TRUE);
            log.info("thumbnails made tenant={} mediaId={} type={}", tenantId, mediaId, contentType);
        } catch (ImageConverter.ConversionFailedException e) {
            byte[] reason = ("No thumbnail: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
            storage.put(key + ThumbnailSize.REFUSED_SUFFIX, new ByteArrayInputStream(reason), "text/plain; charset=utf-8",
                    metadata, reason.length);
            done.put(key, Boolean.TRUE);
            log.info("no thumbnail tenant={} mediaId={}: {}", tenantId, mediaId, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
