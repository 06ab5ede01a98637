package io.mediaplatform.dispatch.retry.kafka;

import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.retry.kafka.PausedPartitions.Waiting;
import io.mediaplatform.dispatch.retry.kafka.RetryAttempt.Outcome;
import io.micrometer.observation.ObservationRegistry;
import io.mediaplatform.dispatch.support.AcceptedSends;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.dispatch.retry.core.ProviderHealth;
import io.mediaplatform.dispatch.retry.core.RetryHead;
import io.mediaplatform.dispatch.retry.core.RetryParking;
import io.mediaplatform.dispatch.retry.core.RetryProbes;
import io.mediaplatform.dispatch.retry.core.RetryRounds;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.mediaplatform.dispatch.retry.kafka.SendRetries.GROUP;

/**
 * The retry topic's one worker thread ({@link SendRetries} starts and stops it): its polling loop reads the retry
 * partitions matching the {@code media.accepted.v1} partitions this instance holds, strictly in partition order,
 * pausing a partition whose head is not due (or probing it early, as {@link RetryProbes} decides); a due record is one
 * round ({@link RetryAttempt}), in a Kafka transaction with the retry consumer's offset, whose metadata keeps the
 * waiting head's round and due time ({@link RetryHead}).
 */
final class RetryWorker {

    private static final Logger log = LoggerFactory.getLogger(RetryWorker.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(2);

    private final ConsumerFactory<Object, Object> consumers;
    private final KafkaTemplate<Object, Object> template;
    private final TransactionTemplate transactions;
    private final SendService sendService;
    private final RetryParking parking;
    private final Clock clock;
    private final RetryAttempt attempts;
    private final PausedPartitions paused;

    private final BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    private volatile boolean running = true;

    // worker thread only
    private Consumer<Object, Object> consumer;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Map<TopicPartition, RetryHead> heads = new HashMap<>();

    RetryWorker(ConsumerFactory<Object, Object> consumers, KafkaTemplate<Object, Object> template,
                TransactionTemplate transactions, AcceptedSends sends, SendService sendService, StatusSink statuses,
                SendLedger ledger, RetryParking parking, RetryRounds rounds, RetryProbes probes, ProviderHealth health,
                DeadLetters deadLetters, Clock clock) {
        this.consumers = consumers;
        this.template = template;
        this.transactions = transactions;
        this.sendService = sendService;
        this.parking = parking;
        this.clock = clock;
        this.paused = new PausedPartitions(probes, health, clock);
        this.attempts = new RetryAttempt(sends, sendService, statuses, ledger, parking, rounds, deadLetters, clock);
    }

    /** Traces retried sends in the trace their record carries. */
    void observations(ObservationRegistry registry) {
        attempts.observations(registry);
    }

    /** Runs {@code command} on the worker thread, between polls. */
    void submit(Runnable command) {
        commands.add(command);
    }

    /** Ends the loop after the record in hand. */
    void stopRunning() {
        running = false;
    }


    /** The worker thread's loop, until {@link #stopRunning}. */
    void run() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");
        try (Consumer<Object, Object> created = consumers.createConsumer(GROUP, "dispatch-retry", null, overrides)) {
            consumer = created;
            while (running) {
                drainCommands();
                paused.resumeDue(consumer, assigned);
                if (assigned.isEmpty()) {
                    Runnable command = commands.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (command != null) {
                        command.run();
                    }
                    continue;
                }
                ConsumerRecords<Object, Object> records = consumer.poll(POLL);
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<Object, Object> record : records.records(partition)) {
                        if (!running || !assigned.contains(partition) || !handle(partition, record)) {
                            break;
                        }
                    }
                    drainCommands();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("The retry worker stopped: messages waiting on {} are not retried until a restart",
                    Topics.SEND_RETRY_NAME, e);
        } finally {
            consumer = null;
            running = false;
            Runnable left;
            while ((left = commands.poll()) != null) {
                try {
                    left.run();
                } catch (RuntimeException ignored) {
                    // the consumer is closed; the command's waiter is released all the same
                }
            }
        }
    }

    private void drainCommands() {
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run();
        }
    }

    /** Takes up the retry partitions of these {@code media.accepted.v1} partitions (worker thread). */
    void assign(Collection<Integer> partitions) {
        Set<TopicPartition> added = new HashSet<>();
        for (int partition : partitions) {
            TopicPartition tp = new TopicPartition(Topics.SEND_RETRY_NAME, partition);
            if (assigned.add(tp)) {
                added.add(tp);
            }
        }
        if (added.isEmpty() || consumer == null) {
            return;
        }
        consumer.assign(Set.copyOf(assigned));
        consumer.committed(added).forEach((tp, committed) -> {
            RetryHead head = committed == null ? null : RetryHead.parse(committed.offset(), committed.metadata()).orElse(null);
            if (head != null) {
                heads.put(tp, head);
            }
        });
        log.info("Retry partitions {} taken up", added);
    }

    /** Lets the retry partitions of these {@code media.accepted.v1} partitions go (worker thread). */
    void unassign(Collection<Integer> partitions) {
        for (int partition : partitions) {
            TopicPartition tp = new TopicPartition(Topics.SEND_RETRY_NAME, partition);
            assigned.remove(tp);
            heads.remove(tp);
            paused.forget(tp);
            parking.forget(partition);
        }
        if (consumer != null) {
            consumer.assign(Set.copyOf(assigned));
        }
    }

    private void waitUntil(TopicPartition partition, long offset, Waiting waiting) {
        paused.pause(consumer, partition, offset, waiting);
    }

    /** The provider sending a retry record's channel, if one is configured. */
    private String providerOf(ConsumerRecord<Object, Object> raw) {
        if (raw.value() instanceof MediaAccepted accepted && accepted.getMedia() != null
                && accepted.getMedia().getChannel() != null) {
            return sendService.connectorFor(accepted.getTenantId(), accepted.getMedia().getChannel().name())
                    .map(ProviderConnector::provider)
                    .orElse(null);
        }
        return null;
    }

    /** Handles one record; false when the partition has to wait (the rest of the poll is fetched again later). */
    @SuppressWarnings("unchecked")
    private boolean handle(TopicPartition partition, ConsumerRecord<Object, Object> raw) {
        long offset = raw.offset();
        RetryHead head = heads.get(partition);
        int round;
        Instant due;
        Instant lastAttempt;
        if (head != null && head.offset() == offset) {
            round = head.round();
            due = head.due();
            lastAttempt = head.lastAttempt();
        } else {
            heads.remove(partition);
            round = RetryRecords.round(raw);
            due = RetryRecords.due(raw);
            // forwarded right after its failure: the record's time is when it was last tried
            lastAttempt = raw.timestamp() >= 0 ? Instant.ofEpochMilli(raw.timestamp()) : null;
        }
        String provider = providerOf(raw);
        boolean early = false;
        if (due.isAfter(clock.instant())) {
            Waiting waiting = new Waiting(due, lastAttempt, provider);
            if (paused.waits(waiting)) {
                waitUntil(partition, offset, waiting);
                return false;
            }
            early = true;
        }
        boolean earlyAttempt = early;
        try {
            if (!(raw.value() instanceof MediaAccepted) || !(raw.key() instanceof String)) {
                inTransaction(partition, () -> attempts.unreadable((ConsumerRecord<String, ?>) (ConsumerRecord<?, ?>) raw));
                return true;
            }
            ConsumerRecord<String, MediaAccepted> record = (ConsumerRecord<String, MediaAccepted>) (ConsumerRecord<?, ?>) raw;
            Outcome outcome = inTransaction(partition, () -> attempts.attempt(record, round, due, earlyAttempt));
            if (!outcome.moveOn()) {
                waitUntil(partition, offset, new Waiting(outcome.waiting().due(), outcome.waiting().lastAttempt(),
                        provider));
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("Retry record {}-{}@{} not handled ({}): tried again in {}", partition.topic(),
                    partition.partition(), offset, e.getMessage(), ERROR_BACKOFF);
            waitUntil(partition, offset, paused.backoff(ERROR_BACKOFF));
            return false;
        }
    }

    private void commit(TopicPartition partition, long offset, String metadata) {
        template.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(offset, metadata)),
                consumer.groupMetadata());
    }

    /**
     * Runs a round in a Kafka transaction with the retry consumer's offset; once committed, runs what the round left
     * for then and keeps (or forgets) the partition's waiting head.
     */
    private Outcome inTransaction(TopicPartition partition, Supplier<Outcome> round) {
        Outcome outcome = transactions.execute(status -> {
            Outcome done = round.get();
            commit(partition, done.commitOffset(), done.metadata());
            return done;
        });
        outcome.afterCommit().run();
        if (outcome.moveOn()) {
            heads.remove(partition);
        } else {
            heads.put(partition, outcome.waiting());
        }
        return outcome;
    }
}
