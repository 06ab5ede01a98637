package io.mediaplatform.ingest.media.kafka;

import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaRef;
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
        record(event.getTenantId(), event.getMedia(), new ValidationOutcome(ValidationOutcome.ACCEPTED, null, null,
                event.getDetectedContentType(), event.getOccurredAt()));
    }

    @KafkaListener(id = "ingest-media-rejected", idIsGroup = false, topics = Topics.MEDIA_REJECTED_NAME)
    public void onRejected(MediaRejected event) {
        record(event.getTenantId(), event.getMedia(), new ValidationOutcome(ValidationOutcome.REJECTED,
                event.getReason().name(), event.getReasonMessage(), event.getDetectedContentType(), event.getOccurredAt()));
    }

    private void record(String tenantId, MediaRef media, ValidationOutcome outcome) {
        if (tenantId == null || tenantId.isBlank() || tenantId.contains("/") || media.getStorage() == null) {
            return;
        }
        String key = media.getStorage().getKey();
        boolean ours = MediaKeys.mediaIdOf(tenantId, key).filter(id -> id.equals(media.getMediaId())).isPresent();
        if (ours && store.outcomeUnchanged(tenantId, media.getMediaId(), outcome)) {
            log.debug("Validation outcome tenant={} mediaId={} status={} unchanged", tenantId, media.getMediaId(),
                    outcome.status());
            return;
        }
        if (!ours || store.find(tenantId, media.getMediaId()).isEmpty()) {
            log.debug("Skipping {} outcome of media {} not stored by ingest for tenant {}", outcome.status(),
                    media.getMediaId(), tenantId);
            return;
        }
        store.writeOutcome(tenantId, media.getMediaId(), outcome);
        log.info("Validation outcome tenant={} mediaId={} status={} reason={}", tenantId, media.getMediaId(),
                outcome.status(), outcome.reason());
    }
}
