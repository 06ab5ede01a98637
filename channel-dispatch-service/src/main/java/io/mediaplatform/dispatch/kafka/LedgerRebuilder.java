package io.mediaplatform.dispatch.kafka;

import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Rebuilds the {@link SendLedger} from {@code message.status.v1} when {@code media.accepted.v1} partitions are
 * assigned: statuses are keyed by the conversation key like the accepted media, so with equal partition counts the
 * statuses of partition {@code p}'s messages are all on status partition {@code p} (otherwise every status
 * partition is read). Reads committed records only, from {@code now - retention} up to the last stable offset,
 * and remembers every message id with SENT, DELIVERED, READ or FAILED.
 */
public final class LedgerRebuilder {

    private static final Logger log = LoggerFactory.getLogger(LedgerRebuilder.class);
    private static final Set<MessageStatus> FINISHED =
            Set.of(MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ, MessageStatus.FAILED);

    private final ConsumerFactory<Object, Object> consumers;
    private final SendLedger ledger;
    private final Clock clock;
    private final Duration maxTime;

    /**
     * @param consumers the service's consumer factory (Avro values, read_committed)
     * @param ledger    what to fill
     * @param clock     clock
     * @param maxTime   longest a rebuild may take before the partitions are processed anyway
     */
    public LedgerRebuilder(ConsumerFactory<Object, Object> consumers, SendLedger ledger, Clock clock, Duration maxTime) {
        this.consumers = consumers;
        this.ledger = ledger;
        this.clock = clock;
        this.maxTime = maxTime;
    }

    /** Reads the statuses belonging to these {@code media.accepted.v1} partitions into the ledger. */
    public void rebuild(Collection<Integer> acceptedPartitions) {
        if (acceptedPartitions.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        Instant now = clock.instant();
        ledger.prune(now);
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        int found = 0;
        try (Consumer<Object, Object> consumer = consumers.createConsumer("dispatch-ledger", "dispatch-ledger", null,
                overrides)) {
            List<TopicPartition> partitions = statusPartitions(consumer, acceptedPartitions);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> since = new HashMap<>();
            long from = now.minus(ledger.retention()).toEpochMilli();
            partitions.forEach(p -> since.put(p, from));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(since);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = starts.get(partition);
                consumer.seek(partition, start != null ? start.offset() : end.getOrDefault(partition, 0L));
            }
            long deadline = System.nanoTime() + maxTime.toNanos();
            while (!reachedEnd(consumer, partitions, end)) {
                if (System.nanoTime() > deadline) {
                    log.warn("Ledger rebuild of media.accepted partitions {} stopped after {}: some redelivered "
                            + "messages may be sent again", acceptedPartitions, maxTime);
                    break;
                }
                for (ConsumerRecord<Object, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof DeliveryStatus status && FINISHED.contains(status.getStatus())) {
                        ledger.record(status.getMessageId(), Instant.ofEpochMilli(record.timestamp()));
                        found++;
                    }
                }
            }
        }
        log.info("Send ledger rebuilt for media.accepted partitions {}: {} finished statuses read in {} ms ({} ids held)",
                acceptedPartitions, found, (System.nanoTime() - started) / 1_000_000, ledger.size());
    }

    private static List<TopicPartition> statusPartitions(Consumer<Object, Object> consumer,
                                                         Collection<Integer> acceptedPartitions) {
        List<PartitionInfo> status = consumer.partitionsFor(Topics.MESSAGE_STATUS_NAME);
        List<PartitionInfo> accepted = consumer.partitionsFor(Topics.MEDIA_ACCEPTED_NAME);
        List<TopicPartition> result = new ArrayList<>();
        if (status.size() == accepted.size()) {
            acceptedPartitions.forEach(p -> result.add(new TopicPartition(Topics.MESSAGE_STATUS_NAME, p)));
        } else {
            status.forEach(p -> result.add(new TopicPartition(Topics.MESSAGE_STATUS_NAME, p.partition())));
        }
        return result;
    }

    private static boolean reachedEnd(Consumer<Object, Object> consumer, List<TopicPartition> partitions,
                                      Map<TopicPartition, Long> end) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < end.getOrDefault(partition, 0L)) {
                return false;
            }
        }
        return true;
    }
}
