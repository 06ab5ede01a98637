package io.mediaplatform.dispatch.ledger.kafka;

import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.support.PartitionScan;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
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
        int[] found = {0};
        long from = now.minus(ledger.retention()).toEpochMilli();
        boolean complete = PartitionScan.readToEnd(consumers, "dispatch-ledger", "dispatch-ledger",
                    reader -> statusPartitions(reader, acceptedPartitions), (reader, partitions, end) -> {
                        Map<TopicPartition, Long> since = new HashMap<>();
                        partitions.forEach(p -> since.put(p, from));
                        Map<TopicPartition, OffsetAndTimestamp> starts = reader.offsetsForTimes(since);
                        for (TopicPartition partition : partitions) {
                            OffsetAndTimestamp start = starts.get(partition);
                            reader.seek(partition, start != null ? start.offset() : end.getOrDefault(partition, 0L));
                        }
                    }, maxTime, (reader, record) -> {
                        if (record.value() instanceof DeliveryStatus status && FINISHED.contains(status.getStatus())) {
                            ledger.record(status.getMessageId(), Instant.ofEpochMilli(record.timestamp()));
                            found[0]++;
                        }
                    });
        if (!complete) {
            log.warn("Ledger rebuild of media.accepted partitions {} stopped after {}: some redelivered "
                    + "messages may be sent again", acceptedPartitions, maxTime);
        }
        log.info("Send ledger rebuilt for media.accepted partitions {}: {} finished statuses read in {} ms ({} ids held)",
                acceptedPartitions, found[0], (System.nanoTime() - started) / 1_000_000, ledger.size());
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
}
