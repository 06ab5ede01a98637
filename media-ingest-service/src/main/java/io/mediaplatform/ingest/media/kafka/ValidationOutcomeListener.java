package io.mediaplatform.ingest.media.kafka;

import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.core.ValidationOutcome;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the validation outcome of this service's media next to the bytes
 * ({@code tenants/<t>/media/<id>.outcome.json}), so {@code GET /v1/media/{id}} can show it. Events about
 * media stored elsewhere (a key that is not the tenant's media key) or media deleted since are skipped, and so is
 * an outcome this instance has just written for the same media (a campaign's messages naming one media).
 */
@Component
public class ValidationOutcomeListener {

    private static final Logger log = LoggerFactory.getLogger(ValidationOutcomeListener.class);

    private final MediaStore store;

    public ValidationOutcomeListener(MediaStore store) {
        this.store = store;
    }

    @KafkaListener(id = "ingest-media-accepted", idIsGroup = false, topics = Topics.MEDIA_ACCEPTED_NAME)
    public void onAccepted(MediaAccepted event) {
        record(event.getTenantId(), event.getMedia().getMediaId(), event.getMedia().getStorage(),
                new ValidationOutcome(ValidationOutcome.ACCEPTED, null, null, event.getDetectedContentType(), event.getOccurredAt()));
        MediaRendition rendition = event.getRendition();
        if (rendition != null) {
            // the copy auto-fit made is media of its own, accepted for the channel it was made for
            record(event.getTenantId(), rendition.getMediaId(), rendition.getStorage(), new ValidationOutcome(
                    ValidationOutcome.ACCEPTED, null, null, rendition.getContentType(), event.getOccurredAt()));
        }
    }

    @KafkaListener(id = "ingest-media-rejected", idIsGroup = false, topics = Topics.MEDIA_REJECTED_NAME)
    public void onRejected(MediaRejected event) {
        record(event.getTenantId(), event.getMedia().getMediaId(), event.getMedia().getStorage(),
                new ValidationOutcome(ValidationOutcome.REJECTED, event.getReason().name(), event.getReasonMessage(),
                        event.getDetectedContentType(), event.getOccurredAt()));
    }

    private void record(String tenantId, String mediaId, StorageLocation storage, ValidationOutcome outcome) {
        if (tenantId == null || tenantId.isBlank() || tenantId.contains("/") || storage == null) {
            return;
        }
        String key = storage.getKey();
        boolean ours = MediaKeys.mediaIdOf(tenantId, key).filter(id -> id.equals(mediaId)).isPresent();
        if (ours && store.outcomeUnchanged(tenantId, mediaId, outcome)) {
            log.debug("Validation outcome tenant={} mediaId={} status={} unchanged", tenantId, mediaId,
                    outcome.status());
            return;
        }
        if (!ours || store.find(tenantId, mediaId).isEmpty()) {
            log.debug("Skipping {} outcome of media {} not stored by ingest for tenant {}", outcome.status(),
                    mediaId, tenantId);
            return;
        }
        store.writeOutcome(tenantId, mediaId, outcome);
        log.info("Validation outcome tenant={} mediaId={} status={} reason={}", tenantId, mediaId,
                outcome.status(), outcome.reason());
    }
}
