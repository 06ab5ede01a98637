package io.mediaplatform.dispatch.support;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.ConsumerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The Kafka plumbing the send ledger, the retry parking and the record copies share: a committed-only scan of
 * partitions up to their end at the time of the call, and a send that waits for the broker.
 */
public final class PartitionScan {

    /** Where a scan starts reading its partitions (after they are assigned to {@code reader}). */
    @FunctionalInterface
    public interface Start {
        void seek(Consumer<Object, Object> reader, List<TopicPartition> partitions, Map<TopicPartition, Long> end);
    }

    private PartitionScan() {
    }

    /**
     * Reads committed records of the partitions {@code partitionsOf} picks (it may look up the topics' partitions
     * with the reader) from {@code start} up to their end offsets, with a consumer of
     * {@code groupId} that never commits.
     *
     * @return whether the end was reached before {@code maxTime}
     */
    public static boolean readToEnd(ConsumerFactory<Object, Object> consumers, String groupId, String clientId,
                             Function<Consumer<Object, Object>, List<TopicPartition>> partitionsOf, Start start,
                             Duration maxTime,
                             BiConsumer<Consumer<Object, Object>, ConsumerRecord<Object, Object>> visit) {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        try (Consumer<Object, Object> reader = consumers.createConsumer(groupId, clientId, null, overrides)) {
            List<TopicPartition> partitions = partitionsOf.apply(reader);
            reader.assign(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            start.seek(reader, partitions, end);
            long deadline = System.nanoTime() + maxTime.toNanos();
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.getOrDefault(p, 0L))) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                for (ConsumerRecord<Object, Object> record : reader.poll(Duration.ofMillis(200))) {
                    visit.accept(reader, record);
                }
            }
            return true;
        }
    }
}
