package io.mediaplatform.common.kafka;

import io.mediaplatform.schemas.topics.Topic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.FailedRecordProcessor;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The platform's one dead-letter route (ARCHITECTURE §3, "Dead-letter twins"): a record that cannot be decoded or
 * throws {@link PoisonRecordException} goes straight to {@code <topic>.dlt}; any other failure after the in-place
 * retries ({@code KAFKA_RETRY_ATTEMPTS} × {@code KAFKA_RETRY_BACKOFF}). The shared error handler, validation's
 * and dispatch's transactional after-rollback processor are all built here.
 */
public final class DeadLetterRouting {

    private DeadLetterRouting() {
    }

    /**
     * Publishes a failed record, unchanged (also one that could not be decoded), to {@code <topic>.dlt} (the
     * partition chosen by its key) with the exception in headers; inside the caller's Kafka transaction when
     * there is one, else in a transaction of its own when the producer is transactional.
     */
    public static DeadLetterPublishingRecoverer recoverer(KafkaTemplate<Object, Object> template) {
        return new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + Topic.DLT_SUFFIX, -1));
    }

    /** A container error handler retrying in place, then handing the record to the recoverer. */
    public static DefaultErrorHandler errorHandler(ConsumerRecordRecoverer recoverer, KafkaEventsProperties properties) {
        return poisonNotRetried(new DefaultErrorHandler(recoverer, inPlaceRetries(properties)));
    }

    /**
     * For containers running Kafka transactions: the same route after a rollback, the dead-lettered record's
     * offset committed in the same transaction as its copy.
     */
    public static DefaultAfterRollbackProcessor<Object, Object> afterRollbackProcessor(
            KafkaTemplate<Object, Object> template, KafkaEventsProperties properties) {
        return poisonNotRetried(new DefaultAfterRollbackProcessor<>(recoverer(template), inPlaceRetries(properties),
                template, true));
    }

    /** The in-place retries of a failed record. */
    public static FixedBackOff inPlaceRetries(KafkaEventsProperties properties) {
        return new FixedBackOff(properties.retryBackoff().toMillis(), properties.retryAttempts());
    }

    private static <T extends FailedRecordProcessor> T poisonNotRetried(T processor) {
        processor.addNotRetryableExceptions(DeserializationException.class, PoisonRecordException.class);
        return processor;
    }
}
