package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.kafka.BatchRecords;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.PoisonRecordException;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.tracing.Traces;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.antivirus.clamd.MalwareGate;
import io.mediaplatform.validation.conversion.storage.AutoFitter;
import io.mediaplatform.validation.conversion.core.FitPlanner;
import io.mediaplatform.validation.inspection.storage.RecentInspections;
import io.mediaplatform.validation.inspection.storage.StoredMediaInspector;
import io.mediaplatform.validation.inbox.core.InboxSettingsBook;
import io.mediaplatform.validation.inbox.core.SettingsReadiness;
import io.mediaplatform.validation.policy.core.Validator;
import io.mediaplatform.validation.inspection.storage.UpstreamMedia;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.support.serializer.DeserializationException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Answers every {@code media.received.v1} event with exactly one {@code media.accepted.v1} or
 * {@code media.rejected.v1} event under the same key (consumer group {@code validation}). A poll is judged in
 * order, one record after the other (the decision of each is the same as ever), and its answers are written in
 * one Kafka transaction with the consumed offsets (the producer has a {@code transactional.id}; the offsets go
 * with the consumer's group metadata, so a fenced instance cannot commit): read_committed readers see one
 * answer per event even when the service dies half-way, and a poll costs the broker one transaction instead of
 * one per record. A transaction that has been open for {@code maxTransaction} is committed and the rest of the
 * poll goes on in the next, so a poll of slow media (antivirus) stays within the transaction timeout. The
 * decisions on the next few records are started ahead of their turn ({@link Prefetch}), so a poll's storage reads
 * and antivirus scans overlap.
 *
 * <p>A record that cannot be decoded, is not a MediaReceived or is otherwise poison goes to
 * {@code media.received.v1.dlt} in the same transaction. A record that fails otherwise (storage, antivirus down)
 * ends the transaction with the answers before it, and is handed to the error handler, which retries it in place
 * and dead-letters it when retries are exhausted (unlimited while the antivirus is down); the rest of the poll is
 * delivered again after it.
 *
 * <p>Before the first record is judged it waits (bounded) until the inbox settings have been read to the end.
 * Media that passes the policy is scanned for malware when a scanner is configured; an infected one is
 * quarantined and rejected with MALWARE. What the inspection and the scan of a stored object found is remembered a
 * while ({@link RecentInspections}), so the next messages naming the same media cost a HEAD instead of a read and a
 * scan; each is still judged by the policy of its own channel and inbox.
 *
 * <p>Auto-fit (ARCHITECTURE §5): when the {@link FitPlanner} says an outbound image that broke its rule can be converted (or
 * an accepted JPEG copied without its location), the original is scanned first, then the {@link AutoFitter} reads it
 * whole, converts it, judges the copy and stores it as a new media; the accepted event names it as the rendition to
 * send. A conversion that fails keeps the rejection, with why. Media that needs no conversion is read as before.
 *
 * <p>This class runs the transactions, the order and the prefetch; the decision on each record is
 * {@link MediaJudge}'s and its answer is written by {@link DecisionPublisher}.
 */
public class MediaReceivedListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaReceivedListener.class);

    private final KafkaTemplate<Object, Object> template;
    private final ConsumerAwareRecordRecoverer deadLetters;
    private ObservationRegistry observations = ObservationRegistry.NOOP;
    private final SettingsReadiness settings;
    private final Duration settingsWait;
    private final Duration maxTransaction;
    private final int prefetch;
    private final MediaJudge judge;
    private final DecisionPublisher decisions;
    private final ExecutorService deciding = Executors.newVirtualThreadPerTaskExecutor();

    public MediaReceivedListener(StoredMediaInspector inspector, RecentInspections inspections, UpstreamMedia upstream,
                                 Validator validator, InboxSettingsBook inboxes,
                                 EventPublisher publisher, KafkaTemplate<Object, Object> template,
                                 ConsumerAwareRecordRecoverer deadLetters, Clock clock, MeterRegistry meters,
                                 MalwareGate malware, ObjectStorage storage, SettingsReadiness settings,
                                 Duration settingsWait, Duration maxTransaction, int prefetch,
                                 FitPlanner fitPlanner, AutoFitter autoFitter) {
        this.judge = new MediaJudge(inspector, inspections, upstream, validator, inboxes, malware, storage, fitPlanner,
                autoFitter);
        this.decisions = new DecisionPublisher(publisher, clock, meters);
        this.template = template;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.settingsWait = settingsWait;
        this.maxTransaction = maxTransaction;
        this.prefetch = prefetch;
    }

    /**
     * Each record is judged in a consumer span continuing its {@code traceparent} (a batch listener is not observed by
     * Spring Kafka), so the decision it writes carries the message's trace on.
     */
    public MediaReceivedListener observations(ObservationRegistry registry) {
        this.observations = registry;
        return this;
    }

    /** Validates a poll of received media and publishes the decisions, in as few transactions as it takes. */
    @KafkaListener(id = "validation-media-received", topics = Topics.MEDIA_RECEIVED_NAME, groupId = "validation",
            concurrency = "${validation.listener-concurrency:3}", containerFactory = "mediaReceivedContainerFactory")
    public void on(List<ConsumerRecord<String, Object>> records, Consumer<?, ?> consumer) throws InterruptedException {
        if (!settings.isLoaded() && !settings.await(settingsWait)) {
            log.warn("inbox media settings not read to the end within {}: validating with what is loaded", settingsWait);
        }
        Prefetch prefetch = new Prefetch(records);
        try {
            judgeAll(records, consumer, prefetch);
        } finally {
            prefetch.cancel();
        }
    }

    private void judgeAll(List<ConsumerRecord<String, Object>> records, Consumer<?, ?> consumer, Prefetch prefetch) {
        int next = 0;
        while (next < records.size()) {
            int from = next;
            Chunk chunk;
            try {
                chunk = template.executeInTransaction(operations -> {
                    Chunk judged = judge(records, from, consumer, prefetch);
                    if (judged.end() > from) {
                        operations.sendOffsetsToTransaction(BatchRecords.nextOffsets(records.subList(from, judged.end())),
                                consumer.groupMetadata());
                    }
                    return judged;
                });
            } catch (RuntimeException e) {
                // the transaction is aborted: nothing from `from` on was written; redeliver from there
                throw BatchRecords.failed(records.get(from), e);
            }
            chunk.committed().forEach(Runnable::run);
            if (chunk.failure() != null) {
                throw BatchRecords.failed(records.get(chunk.end()), chunk.failure());
            }
            next = chunk.end();
        }
    }

    /**
     * Records judged in one transaction, {@code [from, end)}: what to count and log once it is committed, and why the
     * record at {@code end} failed (null when it did not).
     */
    private record Chunk(int end, List<Runnable> committed, RuntimeException failure) {
    }

    /** Judges records from {@code from} on, inside the open transaction, until the poll ends, time is up or one fails. */
    private Chunk judge(List<ConsumerRecord<String, Object>> records, int from, Consumer<?, ?> consumer, Prefetch prefetch) {
        long deadline = System.nanoTime() + maxTransaction.toNanos();
        List<Runnable> committed = new ArrayList<>();
        int i = from;
        while (i < records.size()) {
            ConsumerRecord<String, Object> record = records.get(i);
            try {
                int index = i;
                committed.add(Traces.observe(observations, record, "validation-media-received",
                        () -> answer(record, received -> prefetch.decision(index, received))));
            } catch (PoisonRecordException | DeserializationException e) {
                try {
                    deadLetters.accept(record, consumer, e);
                } catch (RuntimeException notWritten) {
                    return new Chunk(i, committed, notWritten);
                }
            } catch (RuntimeException e) {
                return new Chunk(i, committed, e);
            }
            i++;
            if (System.nanoTime() - deadline > 0) {
                break;
            }
        }
        return new Chunk(i, committed, null);
    }

    /** Decides one received media and sends the answer (in the open transaction); answers what to record after commit. */
    private Runnable answer(ConsumerRecord<String, Object> record,
                            Function<MediaReceived, MediaJudge.Judged> judgement) {
        if (!(BatchRecords.value(record) instanceof MediaReceived received)) {
            throw new PoisonRecordException("NOT_MEDIA_RECEIVED", "expected a MediaReceived on " + record.topic()
                    + " but got " + (record.value() instanceof SpecificRecord other ? other.getSchema().getFullName() : "no value"));
        }
        MediaJudge.Judged judged = judgement.apply(received);
        return decisions.publish(record.key(), judged.received(), judged.decision(), judged.detected(),
                judged.rendition());
    }

    /**
     * The decisions on the next records of the poll, started up to {@code prefetch} records ahead of their turn on
     * virtual threads, so that their storage reads and antivirus scans overlap instead of waiting for each other.
     * Each record's decision is made by the same code as ever, and its answer is still sent in its turn, in order;
     * a decision that failed fails its record in its turn, and those started after it are dropped (made again when
     * those records come again). Media is immutable and independent of other records', so deciding early changes
     * no answer: the one shared effect, an infected object moved to quarantine, is seen by a later record naming the
     * same object as MALWARE either way (or retried, when it was half-way).
     */
    private final class Prefetch {
        private final List<ConsumerRecord<String, Object>> records;
        private final Map<Integer, Future<MediaJudge.Judged>> started = new HashMap<>();

        Prefetch(List<ConsumerRecord<String, Object>> records) {
            this.records = records;
        }

        /** The decision on record {@code index} ({@code received}), starting those of the next records. */
        MediaJudge.Judged decision(int index, MediaReceived received) {
            for (int ahead = index; ahead < Math.min(records.size(), index + Math.max(1, prefetch)); ahead++) {
                started.computeIfAbsent(ahead, this::start);
            }
            Future<MediaJudge.Judged> decided = started.remove(index);
            try {
                return decided == null ? judge.decide(received) : decided.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deciding on the media", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
            }
        }

        /** The decision on that record, started; null for a record that is not a MediaReceived (poison, in its turn). */
        private Future<MediaJudge.Judged> start(int index) {
            return records.get(index).value() instanceof MediaReceived received
                    ? deciding.submit(() -> judge.decide(received)) : null;
        }

        void cancel() {
            started.values().forEach(decided -> decided.cancel(true));
            started.clear();
        }
    }

    /** Stops the decisions started ahead (at shutdown). */
    @Override
    public void close() {
        deciding.shutdownNow();
    }
}
