package io.mediaplatform.validation.inbox.kafka;

import io.mediaplatform.events.InboxMediaSettings;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.inbox.core.InboxMediaRules;
import io.mediaplatform.validation.inbox.core.InboxSettingsBook;
import io.mediaplatform.validation.inbox.core.SettingsReadiness;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.serializer.SerializationUtils;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Keeps {@link InboxSettingsBook} up to date from the compacted {@code inbox.media-settings.v1} topic. Every
 * instance reads the whole topic from the beginning under a group id of its own (so each instance sees
 * every inbox), and tombstones remove an inbox. When the partitions are first assigned it asks the broker for
 * their end offsets and opens {@link SettingsReadiness} once every partition has been read up to them (batches
 * are applied whole before the consumer position is compared).
 */
public class InboxSettingsListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(InboxSettingsListener.class);

    private final InboxSettingsBook book;
    private final SettingsReadiness readiness;
    private final Supplier<Admin> admin;
    private final Map<TopicPartition, Long> targets = new ConcurrentHashMap<>();

    public InboxSettingsListener(InboxSettingsBook book, SettingsReadiness readiness, Supplier<Admin> admin) {
        this.book = book;
        this.readiness = readiness;
        this.admin = admin;
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        if (readiness.isLoaded() || assignments.isEmpty()) {
            return;
        }
        try (Admin client = admin.get()) {
            Map<TopicPartition, OffsetSpec> latest = assignments.keySet().stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            client.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            ends.forEach((tp, end) -> {
                Long position = assignments.get(tp);
                if (position == null || position < end) {
                    targets.put(tp, end);
                }
            });
        } catch (Exception e) {
            log.warn("could not read the end offsets of {}: media waits for the bounded settings time-out ({})",
                    Topics.INBOX_MEDIA_SETTINGS_NAME, e.toString());
            return;
        }
        openWhenCaughtUp(null);
    }

    /** Applies one poll's settings records (and tombstones), then checks whether the topic has been read to its end. */
    @KafkaListener(id = "validation-inbox-settings", topics = Topics.INBOX_MEDIA_SETTINGS_NAME, batch = "true",
            groupId = "validation-settings-${random.uuid}", properties = "auto.offset.reset=earliest")
    public void on(List<ConsumerRecord<String, SpecificRecord>> records, Consumer<?, ?> consumer) {
        records.forEach(this::apply);
        openWhenCaughtUp(consumer);
    }

    private void openWhenCaughtUp(Consumer<?, ?> consumer) {
        if (readiness.isLoaded()) {
            return;
        }
        if (consumer != null) {
            targets.entrySet().removeIf(target -> consumer.assignment().contains(target.getKey())
                    && consumer.position(target.getKey()) >= target.getValue());
        }
        if (targets.isEmpty()) {
            readiness.markLoaded();
            log.info("inbox media settings loaded: {} inboxes", book.size());
        }
    }

    private void apply(ConsumerRecord<String, SpecificRecord> record) {
        if (record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null) {
            log.warn("skipping an undecodable record on {} at partition {} offset {}", record.topic(),
                    record.partition(), record.offset());
            return;
        }
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
                settings.getReceiveEnabled(), settings.getRejectionMessage(), settings.getProfile()));
        log.info("inbox media settings tenant={} inbox={} send={} receive={} profile={}", settings.getTenantId(),
                settings.getInboxId(), settings.getSendEnabled(), settings.getReceiveEnabled(), settings.getProfile());
    }
}
