package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.kafka.BatchRecords;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.PoisonRecordException;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.tracing.Traces;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.antivirus.clamd.MalwareGate;
import io.mediaplatform.validation.conversion.storage.AutoFitter;
import io.mediaplatform.validation.conversion.core.FitPlan;
import io.mediaplatform.validation.conversion.core.FitPlanner;
import io.mediaplatform.validation.inspection.storage.RecentInspections;
import io.mediaplatform.validation.inspection.storage.StoredMediaInspector;
import io.mediaplatform.validation.inbox.core.InboxSettingsBook;
import io.mediaplatform.validation.inbox.core.SettingsReadiness;
import io.mediaplatform.validation.policy.core.ContentProbe;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Reason;
import io.mediaplatform.validation.policy.core.ValidationRequest;
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
import java.util.Optional;
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
 */
public class MediaReceivedListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaReceivedListener.class);

    private final StoredMediaInspector inspector;
    private final RecentInspections inspections;
    private final UpstreamMedia upstream;
    private final Validator validator;
    private final InboxSettingsBook inboxes;
    private final EventPublisher publisher;
    private final KafkaTemplate<Object, Object> template;
    private final ConsumerAwareRecordRecoverer deadLetters;
    private final DecisionEvents events;
    private final MeterRegistry meters;
    private ObservationRegistry observations = ObservationRegistry.NOOP;
    private final MalwareGate malware;
    private final ObjectStorage storage;
    private final SettingsReadiness settings;
    private final Duration settingsWait;
    private final Duration maxTransaction;
    private final int prefetch;
    private final FitPlanner fitPlanner;
    private final AutoFitter autoFitter;
    private final ExecutorService deciding = Executors.newVirtualThreadPerTaskExecutor();

    public MediaReceivedListener(StoredMediaInspector inspector, RecentInspections inspections, UpstreamMedia upstream,
                                 Validator validator, InboxSettingsBook inboxes,
                                 EventPublisher publisher, KafkaTemplate<Object, Object> template,
                                 ConsumerAwareRecordRecoverer deadLetters, Clock clock, MeterRegistry meters,
                                 MalwareGate malware, ObjectStorage storage, SettingsReadiness settings,
                                 Duration settingsWait, Duration maxTransaction, int prefetch,
                                 FitPlanner fitPlanner, AutoFitter autoFitter) {
        this.fitPlanner = fitPlanner;
        this.autoFitter = autoFitter;
        this.inspector = inspector;
        this.inspections = inspections;
        this.upstream = upstream;
        this.validator = validator;
        this.inboxes = inboxes;
        this.publisher = publisher;
        this.template = template;
        this.deadLetters = deadLetters;
        this.events = new DecisionEvents(clock);
        this.meters = meters;
        this.malware = malware;
        this.storage = storage;
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
    private Runnable answer(ConsumerRecord<String, Object> record, Function<MediaReceived, Judged> judgement) {
        if (!(BatchRecords.value(record) instanceof MediaReceived received)) {
            throw new PoisonRecordException("NOT_MEDIA_RECEIVED", "expected a MediaReceived on " + record.topic()
                    + " but got " + (record.value() instanceof SpecificRecord other ? other.getSchema().getFullName() : "no value"));
        }
        Judged judged = judgement.apply(received);
        return publish(record.key(), judged.received(), judged.decision(), judged.detected(), judged.rendition());
    }

    /**
     * A decision, the type detected on the way (null when the bytes were not read), the event it answers (naming
     * the copy of media an upstream system stored in a bucket of its own) and the converted copy to send instead of
     * the media (auto-fit), or null.
     */
    private record Judged(Decision decision, String detected, MediaReceived received, MediaRendition rendition) {
        Judged(Decision decision, String detected, MediaReceived received) {
            this(decision, detected, received, null);
        }
    }

    /** The decision on one received media: what the event says, the stored bytes, the policy and the antivirus. */
    private Judged decide(MediaReceived received) {
        if (received.getFetchFailure() != null) {
            return new Judged(new Decision.Rejected(Reason.FETCH_FAILED,
                    "The media could not be fetched: " + received.getFetchFailure()), null, received);
        }
        UpstreamMedia.Placed placed = upstream.place(received);
        if (placed.refused() != null) {
            return new Judged(placed.refused(), null, received);
        }
        return judgeStored(placed.received());
    }

    /** The decision on media whose bytes are in the platform's bucket. */
    private Judged judgeStored(MediaReceived received) {
        String detected = null;
        Decision decision;
        MediaRendition rendition = null;
        MediaRef media = received.getMedia();
        String key = media.getStorage().getKey();
        RecentInspections.Id object = new RecentInspections.Id(key, media.getSize(), media.getSha256(),
                media.getStorage().getEtag());
        try {
            Optional<RecentInspections.Known> known = inspections.stillStored(object);
            StoredMediaInspector.Inspection inspection = known.map(RecentInspections.Known::inspection)
                    .orElseGet(() -> inspector.inspect(key, media.getSize()));
            boolean scanned = known.map(RecentInspections.Known::scanned).orElse(false);
            detected = inspection.detectedType();
            ValidationRequest request = request(received, detected, inspection.probe());
            decision = validator.decide(request);
            FitPlan plan = fitPlanner.plan(request, decision);
            boolean fitting = !(plan instanceof FitPlan.Keep);
            if ((decision instanceof Decision.Accepted || fitting) && !scanned) {
                MalwareGate.Scan scan = malware.scan(key, inspection.whole());
                scanned = scan.scanned();
                if (scan.rejection().isPresent()) {
                    decision = scan.rejection().get();
                    fitting = false;
                }
            }
            if (fitting) {
                AutoFitter.Fitted fitted = autoFitter.fit(plan, received, request);
                decision = fitted.decision();
                rendition = fitted.rendition();
            }
            if (decision instanceof Decision.Rejected rejected && rejected.reason() == Reason.MALWARE) {
                inspections.forget(object);
            } else {
                inspections.remember(object, inspection, scanned);
            }
        } catch (StoredMediaInspector.MediaMissingException e) {
            decision = storage.head(MalwareGate.QUARANTINE_PREFIX + key).isPresent()
                    ? new Decision.Rejected(Reason.MALWARE, "Malware found; the media was quarantined")
                    : new Decision.Rejected(Reason.FETCH_FAILED, "The stored media is gone");
        }
        return new Judged(decision, detected, received, rendition);
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
        private final Map<Integer, Future<Judged>> started = new HashMap<>();

        Prefetch(List<ConsumerRecord<String, Object>> records) {
            this.records = records;
        }

        /** The decision on record {@code index} ({@code received}), starting those of the next records. */
        Judged decision(int index, MediaReceived received) {
            for (int ahead = index; ahead < Math.min(records.size(), index + Math.max(1, prefetch)); ahead++) {
                started.computeIfAbsent(ahead, this::start);
            }
            Future<Judged> decided = started.remove(index);
            try {
                return decided == null ? decide(received) : decided.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deciding on the media", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
            }
        }

        /** The decision on that record, started; null for a record that is not a MediaReceived (poison, in its turn). */
        private Future<Judged> start(int index) {
            return records.get(index).value() instanceof MediaReceived received
                    ? deciding.submit(() -> decide(received)) : null;
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

    private ValidationRequest request(MediaReceived received, String detected, ContentProbe probe) {
        MediaRef media = received.getMedia();
        return new ValidationRequest(
                received.getTenantId(),
                DecisionEvents.channel(media.getChannel()),
                DecisionEvents.direction(media.getDirection()),
                received.getMessage() == null ? null : DecisionEvents.kind(received.getMessage().getKind()),
                media.getDeclaredContentType(),
                media.getDeclaredFileName(),
                detected,
                media.getSize(),
                inboxes.rulesFor(received.getTenantId(), media.getInboxId()),
                probe);
    }

    private Runnable publish(String key, MediaReceived received, Decision decision, String detected,
                             MediaRendition rendition) {
        MediaRef media = received.getMedia();
        String channel = String.valueOf(media.getChannel());
        switch (decision) {
            case Decision.Accepted accepted -> {
                publisher.send(Topics.MEDIA_ACCEPTED, key, events.accepted(received, accepted, rendition));
                return () -> {
                    meters.counter("media.validation.decisions", "channel", channel, "kind", accepted.kind().name(),
                            "outcome", "accepted", "reason", "none").increment();
                    judgedBytes(channel, "accepted", media.getSize());
                    log.info("media accepted tenant={} mediaId={} kind={} type={} rendition={}", received.getTenantId(),
                            media.getMediaId(), accepted.kind(), accepted.detectedType(),
                            rendition == null ? "none" : rendition.getMediaId() + " (" + rendition.getConversion() + ")");
                };
            }
            case Decision.Rejected rejected -> {
                publisher.send(Topics.MEDIA_REJECTED, key, events.rejected(received, rejected, detected));
                return () -> {
                    meters.counter("media.validation.decisions", "channel", channel, "kind", "n/a",
                            "outcome", "rejected", "reason", rejected.reason().name()).increment();
                    judgedBytes(channel, "rejected", media.getSize());
                    log.info("media rejected tenant={} mediaId={} reason={} detail={}", received.getTenantId(),
                            media.getMediaId(), rejected.reason(), rejected.message());
                };
            }
        }
    }

    /** {@code media.validation.bytes}: the size of each media judged, by channel and outcome. */
    private void judgedBytes(String channel, String outcome, long size) {
        io.micrometer.core.instrument.DistributionSummary.builder("media.validation.bytes").baseUnit("bytes")
                .description("Size of the media validation judged").tags("channel", channel, "outcome", outcome)
                .register(meters).record(size);
    }
}
