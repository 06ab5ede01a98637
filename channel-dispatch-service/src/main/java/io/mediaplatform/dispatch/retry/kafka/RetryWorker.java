package io.mediaplatform.dispatch.retry.kafka;

import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.support.AcceptedSends;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.dispatch.retry.core.ProviderHealth;
import io.mediaplatform.dispatch.retry.core.RetryHead;
import io.mediaplatform.dispatch.retry.core.RetryParking;
import io.mediaplatform.dispatch.retry.core.RetryProbes;
import io.mediaplatform.dispatch.retry.core.RetryRounds;
import io.mediaplatform.dispatch.send.core.NextStep;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendResult;
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
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.mediaplatform.dispatch.retry.kafka.SendRetries.DUE_HEADER;
import static io.mediaplatform.dispatch.retry.kafka.SendRetries.GROUP;
import static io.mediaplatform.dispatch.retry.kafka.SendRetries.ROUND_HEADER;

/**
 * The retry topic's one worker thread ({@link SendRetries} starts and stops it): reads the retry partitions matching
 * the {@code media.accepted.v1} partitions this instance holds, strictly in partition order, pausing a partition
 * whose head is not due; sends a due record as one round ({@link NextStep} decides what follows), each in a Kafka
 * transaction with the statuses, any dead-letter copy and the retry consumer's offset, whose metadata keeps the
 * waiting head's round and due time ({@link RetryHead}).
 */
final class RetryWorker {

    private static final Logger log = LoggerFactory.getLogger(RetryWorker.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(2);

    /** Why a paused partition waits: its head's round, last attempt and provider (null: none, rounds only). */
    private record Waiting(Instant roundDue, Instant lastAttempt, String provider) {
    }

    private final ConsumerFactory<Object, Object> consumers;
    private final KafkaTemplate<Object, Object> template;
    private final TransactionTemplate transactions;
    private final AcceptedSends sends;
    private final SendService sendService;
    private final StatusSink statuses;
    private final SendLedger ledger;
    private final RetryParking parking;
    private final RetryRounds rounds;
    private final RetryProbes probes;
    private final ProviderHealth health;
    private final DeadLetters deadLetters;
    private final Clock clock;

    private final BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    private volatile boolean running = true;

    // worker thread only
    private Consumer<Object, Object> consumer;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Map<TopicPartition, RetryHead> heads = new HashMap<>();
    private final Map<TopicPartition, Waiting> pausedUntil = new HashMap<>();
    private final List<Runnable> afterCommit = new ArrayList<>();

    RetryWorker(ConsumerFactory<Object, Object> consumers, KafkaTemplate<Object, Object> template,
                TransactionTemplate transactions, AcceptedSends sends, SendService sendService, StatusSink statuses,
                SendLedger ledger, RetryParking parking, RetryRounds rounds, RetryProbes probes, ProviderHealth health,
                DeadLetters deadLetters, Clock clock) {
        this.consumers = consumers;
        this.template = template;
        this.transactions = transactions;
        this.sends = sends;
        this.sendService = sendService;
        this.statuses = statuses;
        this.ledger = ledger;
        this.parking = parking;
        this.rounds = rounds;
        this.probes = probes;
        this.health = health;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** Runs {@code command} on the worker thread, between polls. */
    void submit(Runnable command) {
        commands.add(command);
    }

    /** Whether the loop is (still) running. */
    boolean running() {
        return running;
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
                resumeDue();
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
            pausedUntil.remove(tp);
            parking.forget(partition);
        }
        if (consumer != null) {
            consumer.assign(Set.copyOf(assigned));
        }
    }

    private void resumeDue() {
        Instant now = clock.instant();
        pausedUntil.entrySet().removeIf(entry -> {
            Waiting waiting = entry.getValue();
            if (probes.nextAttempt(waiting.roundDue(), waiting.lastAttempt(), health.of(waiting.provider())).isAfter(now)) {
                return false;
            }
            if (assigned.contains(entry.getKey())) {
                consumer.resume(Set.of(entry.getKey()));
            }
            return true;
        });
    }

    private void waitUntil(TopicPartition partition, long offset, Waiting waiting) {
        consumer.seek(partition, offset);
        consumer.pause(Set.of(partition));
        pausedUntil.put(partition, waiting);
    }

    /** A wait for a fixed time, whatever the provider does. */
    private Waiting backoff() {
        return new Waiting(clock.instant().plus(ERROR_BACKOFF), null, null);
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
            round = (int) header(raw, ROUND_HEADER, 0);
            due = Instant.ofEpochMilli(header(raw, DUE_HEADER, 0));
            // forwarded right after its failure: the record's time is when it was last tried
            lastAttempt = raw.timestamp() >= 0 ? Instant.ofEpochMilli(raw.timestamp()) : null;
        }
        String provider = providerOf(raw);
        boolean early = false;
        Instant now = clock.instant();
        if (due.isAfter(now)) {
            Waiting waiting = new Waiting(due, lastAttempt, provider);
            if (probes.nextAttempt(due, lastAttempt, health.of(provider)).isAfter(now)) {
                waitUntil(partition, offset, waiting);
                return false;
            }
            early = true;
        }
        boolean earlyAttempt = early;
        try {
            if (!(raw.value() instanceof MediaAccepted) || !(raw.key() instanceof String)) {
                inTransaction(() -> {
                    deadLetters.publishTo(Topics.SEND_RETRY.dlt(), (ConsumerRecord<String, ?>) (ConsumerRecord<?, ?>) raw,
                            "UNREADABLE", "not an accepted-media record with a conversation key");
                    commit(partition, offset + 1, null);
                    return true;
                });
                return true;
            }
            ConsumerRecord<String, MediaAccepted> record = (ConsumerRecord<String, MediaAccepted>) (ConsumerRecord<?, ?>) raw;
            Boolean moveOn = inTransaction(() -> attempt(partition, record, round, due, earlyAttempt));
            if (Boolean.FALSE.equals(moveOn)) {
                RetryHead waiting = heads.get(partition);
                waitUntil(partition, offset, waiting != null && waiting.offset() == offset
                        ? new Waiting(waiting.due(), waiting.lastAttempt(), provider) : backoff());
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("Retry record {}-{}@{} not handled ({}): tried again in {}", partition.topic(),
                    partition.partition(), offset, e.getMessage(), ERROR_BACKOFF);
            waitUntil(partition, offset, backoff());
            return false;
        }
    }

    /**
     * One round of a due record, inside the transaction; true when finished and committed past. An
     * {@code early} attempt (before the round's {@code due} time, its provider being back) that fails keeps the
     * round and its due time, and is never the last round.
     */
    private boolean attempt(TopicPartition partition, ConsumerRecord<String, MediaAccepted> record, int round,
                            Instant due, boolean early) {
        long offset = record.offset();
        Optional<OutboundSend> send = sends.toSend(record);
        if (send.isEmpty()) {
            commit(partition, offset + 1, null);
            return true;
        }
        String key = record.key();
        String messageId = send.get().messageId();
        if (ledger.finished(messageId)) {
            log.info("Message {} was already sent or finally failed: retry record {}@{} skipped", messageId,
                    partition, offset);
            commit(partition, offset + 1, null);
            afterCommit(() -> parking.release(key, messageId));
            return true;
        }
        OutboundSend message = send.get();
        SendService.Attempt attempt = sendService.attempt(message);
        NextStep step = NextStep.after(attempt.result(), round, rounds, clock.instant());
        if (early && attempt.result() instanceof SendResult.Failed failed && failed.retryable()) {
            // an early attempt is this round again: a failure keeps the round and its due time
            RetryHead waiting = new RetryHead(offset, round, due, clock.instant());
            commit(partition, offset, waiting.metadata());
            afterCommit(() -> heads.put(partition, waiting));
            log.info("Message {} (tenant {}) failed an early attempt of round {} ({} {}): round {} still at {}",
                    messageId, message.tenantId(), round, failed.code(), failed.message(), round, due);
            return false;
        }
        switch (step) {
            case NextStep.RetryAt retry -> {
                RetryHead waiting = new RetryHead(offset, retry.round(), retry.due(), clock.instant());
                commit(partition, offset, waiting.metadata());
                afterCommit(() -> heads.put(partition, waiting));
                log.info("Message {} (tenant {}) failed round {} of {} ({} {}): round {} at {}", messageId,
                        message.tenantId(), round, rounds.rounds(), retry.failed().code(), retry.failed().message(),
                        retry.round(), retry.due());
                return false;
            }
            case NextStep.DeadLetter dead -> {
                statuses.publish(key, sendService.outcome(message, attempt));
                deadLetters.publishTo(Topics.MEDIA_ACCEPTED.dlt(), record, dead.failed().code(), dead.failed().message());
                log.info("Message {} (tenant {}) failed for good in round {}: {} {}", messageId, message.tenantId(),
                        round, dead.failed().code(), dead.failed().message());
            }
            case NextStep.Finished finished -> {
                statuses.publish(key, sendService.outcome(message, attempt));
                switch (finished.result()) {
                    case SendResult.Sent sent -> log.info("Message {} (tenant {}) sent in round {}{} as {}", messageId,
                            message.tenantId(), round, early ? " (early, its provider being back)" : "",
                            sent.providerMessageId());
                    case SendResult.Failed failed -> log.info("Message {} (tenant {}) failed for good in round {}: {} {}",
                            messageId, message.tenantId(), round, failed.code(), failed.message());
                }
            }
        }
        commit(partition, offset + 1, null);
        Instant finished = clock.instant();
        afterCommit(() -> {
            ledger.record(messageId, finished);
            parking.release(key, messageId);
            heads.remove(partition);
        });
        return true;
    }

    private void commit(TopicPartition partition, long offset, String metadata) {
        template.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(offset, metadata)),
                consumer.groupMetadata());
    }

    /** Runs once the worker's current transaction has committed (the Kafka transaction manager keeps no
     * synchronizations, so the worker runs them itself after {@link #inTransaction}). */
    private void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    /** Runs {@code work} in a Kafka transaction, then the actions it left for after the commit. */
    private <T> T inTransaction(java.util.function.Supplier<T> work) {
        afterCommit.clear();
        try {
            T result = transactions.execute(status -> work.get());
            afterCommit.forEach(Runnable::run);
            return result;
        } finally {
            afterCommit.clear();
        }
    }

    private static long header(ConsumerRecord<?, ?> record, String name, long fallback) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            return fallback;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
