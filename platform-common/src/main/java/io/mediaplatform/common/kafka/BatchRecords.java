package io.mediaplatform.common.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for batch listeners ({@code @KafkaListener(batch = "true")} taking {@code List<ConsumerRecord>}) on the
 * shared wiring: a record whose value could not be decoded reaches a batch listener with a null value (the
 * {@code ErrorHandlingDeserializer} keeps the failure in a header) and must be handed to the error handler as
 * {@link #failed} so that only that record goes to the {@code .dlt}, unchanged.
 */
public final class BatchRecords {

    private static final LogAccessor LOG = new LogAccessor(BatchRecords.class);

    private BatchRecords() {
    }

    /**
     * The record's value.
     *
     * @throws DeserializationException when the value could not be decoded (not retried: straight to the .dlt)
     */
    public static Object value(ConsumerRecord<?, ?> record) {
        DeserializationException failure = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
        if (failure != null) {
            throw failure;
        }
        return record.value();
    }

    /**
     * What a batch listener throws when {@code record} failed: the shared error handler commits the records before
     * it, retries or dead-letters this one (by the cause, as it would for a record listener), and delivers the rest
     * again. Only throw it once everything the records before it produced is durable.
     */
    public static BatchListenerFailedException failed(ConsumerRecord<?, ?> record, Throwable cause) {
        return new BatchListenerFailedException(String.valueOf(cause.getMessage()), cause, record);
    }

    /** The offsets to commit after {@code records} (a prefix of a poll, in poll order): the next one per partition. */
    public static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<? extends ConsumerRecord<?, ?>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (ConsumerRecord<?, ?> record : records) {
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        return offsets;
    }
}
