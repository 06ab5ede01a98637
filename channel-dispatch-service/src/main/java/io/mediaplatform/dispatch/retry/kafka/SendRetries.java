package io.mediaplatform.dispatch.retry.kafka;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.retry.core.LongRetries;
import io.micrometer.observation.ObservationRegistry;
import io.mediaplatform.dispatch.retry.core.ProviderHealth;
import io.mediaplatform.dispatch.send.core.AcceptedPartitions;
import io.mediaplatform.dispatch.support.AcceptedSends;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.dispatch.support.PartitionScan;
import io.mediaplatform.dispatch.retry.core.RetryParking;
import io.mediaplatform.dispatch.retry.core.RetryProbes;
import io.mediaplatform.dispatch.retry.core.RetryRounds;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
public final class SendRetries implements SmartLifecycle, LongRetries<ConsumerRecord<String, MediaAccepted>>,
        AcceptedPartitions {

    /** Header: the round a retry record waits for (0: queued behind an earlier message, due at once). */
    public static final String ROUND_HEADER = "dispatch_retry-round";
    /** Header: when that round is due, epoch milliseconds. */
    public static final String DUE_HEADER = "dispatch_retry-due";
    /** Header: why the record was forwarded (the failure code, or {@value #BEHIND_EARLIER}). */
    public static final String REASON_HEADER = "dispatch_retry-reason";
    /** Consumer group whose committed offsets track the retry topic. */
    public static final String GROUP = "dispatch-retry";

    private static final Logger log = LoggerFactory.getLogger(SendRetries.class);
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(60);

    private final ConsumerFactory<Object, Object> consumers;
    private final KafkaTemplate<Object, Object> template;
    private final SendLedger ledger;
    private final RetryParking parking;
    private final RetryRounds rounds;
    private final RetryProbes probes;
    private final Duration rebuildMaxTime;

    private final RetryWorker work;
    private volatile boolean running;
    private Thread worker;

    public SendRetries(ConsumerFactory<Object, Object> consumers, KafkaTemplate<Object, Object> template,
                       TransactionTemplate transactions, AcceptedSends sends, SendService sendService,
                       StatusSink statuses, SendLedger ledger,
                       RetryParking parking, RetryRounds rounds, RetryProbes probes, ProviderHealth health,
                       DeadLetters deadLetters, Clock clock, Duration rebuildMaxTime) {
        this.consumers = consumers;
        this.template = template;
        this.ledger = ledger;
        this.parking = parking;
        this.rounds = rounds;
        this.probes = probes;
        this.rebuildMaxTime = rebuildMaxTime;
        this.work = new RetryWorker(consumers, template, transactions, sends, sendService, statuses, ledger, parking,
                rounds, probes, health, deadLetters, clock);
    }

    /**
     * Traces each retried send as a consumer span continuing the trace its retry record carries (the
     * {@code traceparent} copied from its {@code media.accepted.v1} record when it was forwarded, or the forwarding
     * span's), so a message's provider calls are one trace however many rounds it takes.
     */
    public SendRetries observations(ObservationRegistry registry) {
        work.observations(registry);
        return this;
    }

    /** Whether long retries are configured ({@code DISPATCH_RETRY_DELAYS} not empty). */
    public boolean enabled() {
        return rounds.enabled();
    }

    @Override
    public RetryRounds rounds() {
        return rounds;
    }

    @Override
    public boolean parked(String conversationKey) {
        return enabled() && parking.parked(conversationKey);
    }

    // ------------------------------------------------------------------ called by the main listener's threads

    @Override
    public Runnable forward(ConsumerRecord<String, MediaAccepted> record, String key, String messageId, int round,
                            Instant due, String reason) {
        ProducerRecord<Object, Object> retry = RetryRecords.forwarded(record, key, round, due, reason);
        new EventPublisher(template).sendAndWait(retry);
        parking.park(record.partition(), key, messageId);
        return () -> parking.release(key, messageId);
    }

    /**
     * {@code media.accepted.v1} partitions were assigned to this instance: learns which of their conversations wait
     * on the retry topic (before the listener sees their records) and starts reading their retry partitions.
     */
    @Override
    public void assigned(Collection<Integer> partitions) {
        if (!enabled() || partitions.isEmpty()) {
            return;
        }
        rebuildParking(partitions);
        work.submit(() -> work.assign(partitions));
    }

    /**
     * {@code media.accepted.v1} partitions were taken from this instance: stops reading their retry partitions,
     * after the record in hand, and forgets their conversations.
     */
    @Override
    public void revoked(Collection<Integer> partitions) {
        if (!enabled() || partitions.isEmpty()) {
            return;
        }
        if (!running) {
            partitions.forEach(parking::forget);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        work.submit(() -> {
            try {
                work.unassign(partitions);
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
        worker = Thread.ofPlatform().name("dispatch-send-retries").daemon().start(() -> {
            work.run();
            running = false;
        });
        log.info("Long retries on {}: rounds due after {}, {}", Topics.SEND_RETRY_NAME, rounds.delays(),
                probes.enabled() ? "earlier when the provider is back (probes every " + probes.interval() + ")"
                        : "no earlier");
    }

    @Override
    public void stop() {
        Thread thread;
        synchronized (this) {
            running = false;
            work.stopRunning();
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
