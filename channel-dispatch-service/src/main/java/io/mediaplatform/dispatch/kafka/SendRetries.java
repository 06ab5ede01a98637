package io.mediaplatform.dispatch.kafka;

import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.retry.core.ProviderHealth;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Long retries on the retry topic {@code dispatch.send-retry.v1}, keeping each conversation's order.
 *
 * <p>A send whose in-place attempts failed for a reason that may pass (5xx, timeouts, 429, an open circuit) is
 * {@link #forward forwarded} to the retry topic, in the same partition number as its {@code media.accepted.v1}
 * record, with the round it waits for and when that round is due; the conversation is then parked
 * ({@link RetryParking}), and each later message of it is forwarded behind it (due at once) instead of overtaking
 * it. One worker thread reads the retry partitions matching the {@code media.accepted.v1} partitions this instance
 * holds (assigned, not subscribed, so a conversation's main and retry records are always handled by the same
 * instance), strictly in partition order: a record not yet due pauses its partition until it is. A due record is
 * sent like a fresh one (QUEUED is not repeated); SENT or a final FAILED (non-retryable, or the last round spent,
 * then also copied to {@code media.accepted.v1.dlt}) commits past it; a failure with rounds left keeps it at the head
 * and commits its next round and due time in the offset metadata, so a restart resumes the schedule.
 *
 * <p>Statuses, dead-letter copies and the retry consumer's offsets (group {@value #GROUP}) are written in one Kafka
 * transaction per record, as on the main topic. A partition whose head waits for a later round holds the other
 * conversations behind it in that partition; they are retried when the head is finished.
 *
 * <p>A head does not always wait for its round: when its provider is back ({@link ProviderHealth}: its circuit
 * closed again, or it took a send after being down) the head is tried at once, and while the provider has taken
 * nothing since the head failed the head is probed every {@code DISPATCH_RETRY_PROBE_INTERVAL} (not while the
 * circuit is open), as {@link RetryProbes} decides. Such an early attempt is the same round again: when it fails the
 * head keeps its round and due time; when it succeeds the partition moves on, the head's conversation first.
 */
public final class SendRetries implements SmartLifecycle {

    /** Header: the round a retry record waits for (0: queued behind an earlier message, due at once). */
    public static final String ROUND_HEADER = "dispatch_retry-round";
    /** Header: when that round is due, epoch milliseconds. */
    public static final String DUE_HEADER = "dispatch_retry-due";
    /** Header: why the record was forwarded (the failure code, or {@value #BEHIND_EARLIER}). */
    public static final String REASON_HEADER = "dispatch_retry-reason";
    /** Reason of a record forwarded because an earlier message of its conversation is waiting. */
    public static final String BEHIND_EARLIER = "BEHIND_EARLIER_MESSAGE";
    /** Consumer group whose committed offsets track the retry topic. */
    public static final String GROUP = "dispatch-retry";

    private static final Logger log = LoggerFactory.getLogger(SendRetries.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(2);
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(60);

    /** The head of a partition waiting for its next round, last tried at {@code lastAttempt} (null: unknown). */
    private record Head(long offset, int round, Instant due, Instant lastAttempt) {
    }

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
    private final Duration rebuildMaxTime;

    private final BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread worker;

    // worker thread only
    private Consumer<Object, Object> consumer;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Map<TopicPartition, Head> heads = new HashMap<>();
    private final Map<TopicPartition, Waiting> pausedUntil = new HashMap<>();
    private final List<Runnable> afterCommit = new java.util.ArrayList<>();

    public SendRetries(ConsumerFactory<Object, Object> consumers, KafkaTemplate<Object, Object> template,
                       TransactionTemplate transactions, AcceptedSends sends, SendService sendService,
                       StatusSink statuses, SendLedger ledger,
                       RetryParking parking, RetryRounds rounds, RetryProbes probes, ProviderHealth health,
                       DeadLetters deadLetters, Clock clock, Duration rebuildMaxTime) {
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
        this.rebuildMaxTime = rebuildMaxTime;
    }

    /** Whether long retries are configured ({@code DISPATCH_RETRY_DELAYS} not empty). */
    public boolean enabled() {
        return rounds.enabled();
    }

    /** The rounds after the first. */
    public RetryRounds rounds() {
        return rounds;
    }

    /** Whether a message of that conversation is waiting on the retry topic. */
    public boolean parked(String conversationKey) {
        return enabled() && parking.parked(conversationKey);
    }

    // ------------------------------------------------------------------ called by the main listener's threads

    /**
     * Hands a {@code media.accepted.v1} record to the retry topic, inside the caller's transaction, and parks its
     * conversation.
     *
     * @param round  the round it waits for (0: behind an earlier message, due at once)
     * @param due    when that round is due
     * @param reason why (a failure code, or {@value #BEHIND_EARLIER})
     * @return what to run when that transaction does not commit: the conversation is released again
     */
    public Runnable forward(ConsumerRecord<String, MediaAccepted> record, String key, String messageId, int round,
                            Instant due, String reason) {
        ProducerRecord<Object, Object> retry = new ProducerRecord<>(Topics.SEND_RETRY_NAME, record.partition(), key,
                record.value());
        for (Header header : record.headers()) {
            if (!header.key().startsWith("dispatch_retry-")) {
                retry.headers().add(header);
            }
        }
        retry.headers().add(ROUND_HEADER, Integer.toString(round).getBytes(StandardCharsets.UTF_8));
        retry.headers().add(DUE_HEADER, Long.toString(due.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
        retry.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        PartitionScan.sendAndWait(template, retry, "forward to the retry topic");
        parking.park(record.partition(), key, messageId);
        return () -> parking.release(key, messageId);
    }

    /**
     * {@code media.accepted.v1} partitions were assigned to this instance: learns which of their conversations wait
     * on the retry topic (before the listener sees their records) and starts reading their retry partitions.
     */
    public void assigned(Collection<Integer> partitions) {
        if (!enabled() || partitions.isEmpty()) {
            return;
        }
        rebuildParking(partitions);
        commands.add(() -> assign(partitions));
    }

    /**
     * {@code media.accepted.v1} partitions were taken from this instance: stops reading their retry partitions,
     * after the record in hand, and forgets their conversations.
     */
    public void revoked(Collection<Integer> partitions) {
        if (!enabled() || partitions.isEmpty()) {
            return;
        }
        if (!running) {
            partitions.forEach(parking::forget);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(() -> {
            try {
                unassign(partitions);
            } finally {
                done.complete(null);
            }
        });
        try {
            done.get(REVOKE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Retry partitions {} not released within {}", partitions, REVOKE_WAIT);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public synchronized void start() {
        if (running || !enabled()) {
            return;
        }
        running = true;
        worker = Thread.ofPlatform().name("dispatch-send-retries").daemon().start(this::run);
        log.info("Long retries on {}: rounds due after {}, {}", Topics.SEND_RETRY_NAME, rounds.delays(),
                probes.enabled() ? "earlier when the provider is back (probes every " + probes.interval() + ")"
                        : "no earlier");
    }

    @Override
    public void stop() {
        Thread thread;
        synchronized (this) {
            running = false;
            thread = worker;
            worker = null;
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after the listener containers, which call {@link #assigned}/{@link #revoked}. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }

    // ------------------------------------------------------------------ the worker

    private void run() {
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

    private void assign(Collection<Integer> partitions) {
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
            Head head = committed == null ? null : parseHead(committed);
            if (head != null) {
                heads.put(tp, head);
            }
        });
        log.info("Retry partitions {} taken up", added);
    }

    private void unassign(Collection<Integer> partitions) {
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
        Head head = heads.get(partition);
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
                Head waiting = heads.get(partition);
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
            Head waiting = new Head(offset, round, due, clock.instant());
            commit(partition, offset, metadata(waiting));
            afterCommit(() -> heads.put(partition, waiting));
            log.info("Message {} (tenant {}) failed an early attempt of round {} ({} {}): round {} still at {}",
                    messageId, message.tenantId(), round, failed.code(), failed.message(), round, due);
            return false;
        }
        switch (step) {
            case NextStep.RetryAt retry -> {
                Head waiting = new Head(offset, retry.round(), retry.due(), clock.instant());
                commit(partition, offset, metadata(waiting));
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

    private static String metadata(Head head) {
        return "offset=" + head.offset() + ";round=" + head.round() + ";due=" + head.due().toEpochMilli()
                + (head.lastAttempt() != null ? ";tried=" + head.lastAttempt().toEpochMilli() : "");
    }

    /** The waiting head recorded with a committed offset, if the metadata is ours and matches the offset. */
    static Head parseHead(OffsetAndMetadata committed) {
        String metadata = committed.metadata();
        if (metadata == null || metadata.isBlank()) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : metadata.split(";")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2) {
                fields.put(kv[0], kv[1]);
            }
        }
        try {
            long offset = Long.parseLong(fields.getOrDefault("offset", "-1"));
            if (offset != committed.offset()) {
                return null;
            }
            String tried = fields.get("tried");
            return new Head(offset, Integer.parseInt(fields.get("round")),
                    Instant.ofEpochMilli(Long.parseLong(fields.get("due"))),
                    tried != null ? Instant.ofEpochMilli(Long.parseLong(tried)) : null);
        } catch (RuntimeException e) {
            return null;
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

    /** Reads the retry partitions from their committed offsets to their end: who waits there. */
    private void rebuildParking(Collection<Integer> partitions) {
        long started = System.nanoTime();
        int[] found = {0};
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(Topics.SEND_RETRY_NAME, p)).toList();
        boolean complete = PartitionScan.readToEnd(consumers, GROUP, "dispatch-retry-rebuild", reader -> tps,
                (reader, assigned, end) -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = reader.committed(new HashSet<>(assigned));
                    for (TopicPartition tp : assigned) {
                        OffsetAndMetadata at = committed.get(tp);
                        if (at != null) {
                            reader.seek(tp, at.offset());
                        } else {
                            reader.seekToBeginning(List.of(tp));
                        }
                    }
                }, rebuildMaxTime, (reader, record) -> {
                    if (record.value() instanceof MediaAccepted accepted && accepted.getMessage() != null
                            && record.key() instanceof String key
                            && !ledger.finished(accepted.getMessage().getMessageId())) {
                        parking.park(record.partition(), key, accepted.getMessage().getMessageId());
                        found[0]++;
                    }
                });
        if (!complete) {
            log.warn("Retry parking rebuild of partitions {} stopped after {}: a conversation's later message may "
                    + "overtake one waiting for a retry", partitions, rebuildMaxTime);
        }
        log.info("Retry parking rebuilt for partitions {}: {} waiting messages in {} ms", partitions, found[0],
                (System.nanoTime() - started) / 1_000_000);
    }
}
