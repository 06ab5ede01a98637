package io.mediaplatform.ingest.settings.kafka;

import io.mediaplatform.events.InboxMediaSettings;
import io.mediaplatform.ingest.settings.core.InboxSettings;
import io.mediaplatform.ingest.settings.core.InboxSettingsView;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads the whole compacted {@code inbox.media-settings.v1} topic into the in-memory view. Every instance
 * needs every inbox, so each instance consumes with a group of its own ({@code ingest-settings-<uuid>}) from
 * the earliest offset instead of sharing the partitions of the {@code ingest} group.
 */
@Component
public class InboxSettingsListener {

    private final InboxSettingsView view;

    public InboxSettingsListener(InboxSettingsView view) {
        this.view = view;
    }

    @KafkaListener(id = "ingest-inbox-settings", idIsGroup = false,
            groupId = "ingest-settings-#{T(java.util.UUID).randomUUID().toString()}",
            topics = Topics.INBOX_MEDIA_SETTINGS_NAME,
            properties = {"auto.offset.reset=earliest", "enable.auto.commit=false"})
    public void on(ConsumerRecord<String, Object> record) {
        if (record.value() instanceof InboxMediaSettings s) {
            view.apply(new InboxSettings(s.getTenantId(), s.getInboxId(), s.getSendEnabled(), s.getReceiveEnabled(),
                    s.getRejectionMessage(), s.getUpdatedAt(), s.getProfile()));
        } else if (record.value() == null && record.key() != null && record.key().contains("/")) {
            int slash = record.key().indexOf('/');
            view.remove(record.key().substring(0, slash), record.key().substring(slash + 1));
        }
    }
}
