package io.mediaplatform.callback.status.kafka;

import io.mediaplatform.callback.status.StatusRecorder;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.common.kafka.BatchRecords;
import io.mediaplatform.common.kafka.PoisonRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The records of one poll on their way to the {@link StatusRecorder}: their status events are recorded together, in
 * one transaction, at the end of the poll or before work that must follow them ({@link #then}). The listener returns
 * only after that transaction, so the offsets are committed after it. A record that cannot be taken (undecodable, a
 * {@link PoisonRecordException}, a failure of its own) ends the poll with a {@link BatchListenerFailedException}
 * naming it ({@link BatchRecords#failed}), once the records before it are recorded: the error handler commits those,
 * retries or dead-letters ({@code <topic>.dlt}) that record alone, and goes on with the ones after it. When the one
 * transaction fails, the events are recorded one by one, so that only the failing one is named.
 */
final class PollBatch {

    private static final Logger log = LoggerFactory.getLogger(PollBatch.class);

    private final StatusRecorder recorder;
    private final List<StatusEvent> events = new ArrayList<>();
    private final List<ConsumerRecord<?, ?>> sources = new ArrayList<>();
    private ConsumerRecord<?, ?> current;

    private PollBatch(StatusRecorder recorder) {
        this.recorder = recorder;
    }

    /** Hands each decoded record's value to {@code take}, which {@link #add}s events, then records them. */
    static <V> void process(List<ConsumerRecord<String, V>> records, StatusRecorder recorder, BiConsumer<PollBatch, V> take) {
        PollBatch batch = new PollBatch(recorder);
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

    /** Runs work of the current record that must come after the events taken so far: they are recorded first. */
    void then(Runnable work) {
        flush();
        work.run();
    }

    private void flush() {
        if (events.isEmpty()) {
            return;
        }
        List<StatusEvent> taken = List.copyOf(events);
        List<ConsumerRecord<?, ?>> from = List.copyOf(sources);
        events.clear();
        sources.clear();
        try {
            recorder.recordAll(taken);
        } catch (RuntimeException batchFailure) {
            log.warn("Recording {} status events in one transaction failed ({}): recording them one by one", taken.size(),
                    batchFailure.toString());
            for (int k = 0; k < taken.size(); k++) {
                try {
                    recorder.record(taken.get(k));
                } catch (RuntimeException e) {
                    throw BatchRecords.failed(from.get(k), e);
                }
            }
        }
    }
}
