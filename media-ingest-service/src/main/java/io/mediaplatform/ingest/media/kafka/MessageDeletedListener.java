package io.mediaplatform.ingest.media.kafka;

import io.mediaplatform.events.MessageDeleted;
import io.mediaplatform.ingest.asset.core.AssetCatalog;
import io.mediaplatform.ingest.media.core.MediaDisposal;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Media that dies with its message (ARCHITECTURE §10): on {@code message.deleted.v1} the message's media is deleted (bytes,
 * outcome sidecar, name), customers' inbound files included, unless another live message still names it. Deleting is
 * idempotent, so a redelivered event or two messages that shared one media do no harm.
 */
@Component
public class MessageDeletedListener {

    private static final Logger log = LoggerFactory.getLogger(MessageDeletedListener.class);

    private final MediaStore store;
    private final AssetCatalog assets;

    public MessageDeletedListener(MediaStore store, AssetCatalog assets) {
        this.store = store;
        this.assets = assets;
    }

    @KafkaListener(id = "ingest-message-deleted", idIsGroup = false, topics = Topics.MESSAGE_DELETED_NAME)
    public void on(MessageDeleted event) {
        String tenantId = event.getTenantId();
        if (tenantId == null || tenantId.isBlank() || tenantId.contains("/")) {
            return;
        }
        String mediaId = event.getMediaId();
        boolean asset = MediaKeys.isMediaId(mediaId) && assets.findByMedia(tenantId, mediaId).isPresent();
        switch (MediaDisposal.of(mediaId, event.getMediaStillReferenced(), asset)) {
            case MediaDisposal.Delete delete -> {
                store.delete(tenantId, delete.mediaId());
                log.info("Media deleted with its message tenant={} messageId={} mediaId={} reason={}", tenantId,
                        event.getMessageId(), delete.mediaId(), event.getReason());
            }
            case MediaDisposal.Keep keep -> log.info("Media {} of deleted message {} of tenant {} kept: {}",
                    event.getMediaId(), event.getMessageId(), tenantId, keep.reason());
        }
    }
}
