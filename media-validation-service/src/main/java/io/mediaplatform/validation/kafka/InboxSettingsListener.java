package io.mediaplatform.validation.kafka;

import io.mediaplatform.events.InboxMediaSettings;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.inbox.core.InboxMediaRules;
import io.mediaplatform.validation.inbox.core.InboxSettingsBook;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Keeps {@link InboxSettingsBook} up to date from the compacted {@code inbox.media-settings.v1} topic. Every
 * instance reads the whole topic from the beginning under a group id of its own (so each instance sees
 * every inbox), and tombstones remove an inbox.
 */
public class InboxSettingsListener {

    private static final Logger log = LoggerFactory.getLogger(InboxSettingsListener.class);

    private final InboxSettingsBook book;

    public InboxSettingsListener(InboxSettingsBook book) {
        this.book = book;
    }

    /** Applies one settings record (or tombstone). */
    @KafkaListener(id = "validation-inbox-settings", topics = Topics.INBOX_MEDIA_SETTINGS_NAME,
            groupId = "validation-settings-${random.uuid}", properties = "auto.offset.reset=earliest")
    public void on(ConsumerRecord<String, SpecificRecord> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                book.removeKey(record.key());
            }
            return;
        }
        if (!(record.value() instanceof InboxMediaSettings settings)) {
            log.warn("ignoring a {} on {}", record.value().getSchema().getFullName(), record.topic());
            return;
        }
        book.put(settings.getTenantId(), new InboxMediaRules(settings.getInboxId(), settings.getSendEnabled(),
                settings.getReceiveEnabled(), settings.getRejectionMessage()));
        log.info("inbox media settings tenant={} inbox={} send={} receive={}", settings.getTenantId(),
                settings.getInboxId(), settings.getSendEnabled(), settings.getReceiveEnabled());
    }
}
