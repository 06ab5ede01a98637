package io.mediaplatform.callback.status.kafka;

import io.mediaplatform.callback.audit.kafka.AuditEvents;
import io.mediaplatform.callback.status.StatusRecorder;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.common.kafka.BatchRecords;
import io.mediaplatform.common.kafka.PoisonRecordException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The records of one poll on their way to the {@link StatusRecorder}: their status events are recorded together, in
 * one transaction, at the end of the poll or before work that must follow them ({@link #then}), after what their
 * events add to the audit trail ({@link #audit}), also one transaction for the poll. The listener returns
 * only after that transaction, so the offsets are committed after it. A record that cannot be taken (undecodable, a
 * {@link PoisonRecordException}, a failure of its own) ends the poll with a {@link BatchListenerFailedException}
 * naming it ({@link BatchRecords#failed}), once the records before it are recorded: the error handler commits those,
 * retries or dead-letters ({@code <topic>.dlt}) that record alone, and goes on with the ones after it. When the one
 * transaction fails, the events are recorded one by one, so that only the failing one is named.
 */
final class PollBatch {

    private static final Logger log = LoggerFactory.getLogger(PollBatch.class);

    private final StatusRecorder recorder;
    private final AuditEvents auditEvents;
    private final List<StatusEvent> events = new ArrayList<>();
    private final List<ConsumerRecord<?, ?>> sources = new ArrayList<>();
    private final List<SpecificRecord> audited = new ArrayList<>();
    private final List<ConsumerRecord<?, ?>> auditSources = new ArrayList<>();
    private ConsumerRecord<?, ?> current;

    private PollBatch(StatusRecorder recorder, AuditEvents auditEvents) {
        this.recorder = recorder;
        this.auditEvents = auditEvents;
    }

    /** Hands each decoded record's value to {@code take}, which {@link #add}s events, then records them. */
    static <V> void process(List<ConsumerRecord<String, V>> records, StatusRecorder recorder, AuditEvents auditEvents,
                            BiConsumer<PollBatch, V> take) {
        PollBatch batch = new PollBatch(recorder, auditEvents);
        for (ConsumerRecord<String, V> record : records) {
            batch.current = record;
            try {
                if (BatchRecords.value(record) == null) {
                    throw new PoisonRecordException("EMPTY_RECORD", "record at offset " + record.offset() + " has no value");
                }
                take.accept(batch, record.value());
            } catch (BatchListenerFailedException e) {
                throw e;
            } catch (RuntimeException e) {
                batch.flush();
                throw BatchRecords.failed(record, e);
            }
        }
        batch.flush();
    }

    /** Takes the status event of the current record. */
    void add(StatusEvent event) {
        events.add(event);
        sources.add(current);
    }

    /** Takes what the current record's event adds to the audit trail. */
    void audit(SpecificRecord event) {
        audited.add(event);
        auditSources.add(current);
    }

    /** Runs work of the current record that must come after the events taken so far: they are recorded first. */
    void then(Runnable work) {
        flush();
        work.run();
    }

    private void flush() {
        drain("audit entries", audited, auditSources, auditEvents::recordAll, auditEvents::record);
        drain("status events", events, sources, recorder::recordAll, recorder::record);
    }

    /**
     * Takes what was collected (and its source records) and writes it in one transaction; when that fails, one by one,
     * so that only the failing one is named.
     */
    private static <T> void drain(String what, List<T> collected, List<ConsumerRecord<?, ?>> collectedFrom,
                                  Consumer<List<T>> all, Consumer<T> one) {
        if (collected.isEmpty()) {
            return;
        }
        List<T> taken = List.copyOf(collected);
        List<ConsumerRecord<?, ?>> from = List.copyOf(collectedFrom);
        collected.clear();
        collectedFrom.clear();
        try {
            all.accept(taken);
        } catch (RuntimeException batchFailure) {
            log.warn("Recording {} {} in one transaction failed ({}): recording them one by one", taken.size(), what,
                    batchFailure.toString());
            for (int k = 0; k < taken.size(); k++) {
                try {
                    one.accept(taken.get(k));
                } catch (RuntimeException e) {
                    throw BatchRecords.failed(from.get(k), e);
                }
            }
        }
    }
}
