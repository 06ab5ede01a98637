package io.mediaplatform.dispatch.support;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.schemas.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Copies a record whose send finally failed after its retries (a provider down, an open circuit) to the topic's
 * {@code .dlt}, with the same headers the platform's dead-letter handler writes, so an operator can look at it and
 * re-drive it. Called inside the listener's Kafka transaction: the copy, the FAILED status and the offset commit
 * become visible together or not at all.
 */
public final class DeadLetters {

    /** Header with the platform reason code of the failure. */
    public static final String REASON_HEADER = "dispatch_failure-reason";

    private final KafkaTemplate<Object, Object> template;

    public DeadLetters(KafkaTemplate<Object, Object> template) {
        this.template = template;
    }

    /** Publishes the copy to the record's own {@code .dlt} and waits for the broker. */
    public void publish(ConsumerRecord<String, ?> record, String reason, String message) {
        publishTo(record.topic() + Topic.DLT_SUFFIX, record, reason, message);
    }

    /**
     * Publishes the copy to a given dead-letter topic (e.g. a retry record that spent its rounds goes to
     * {@code media.accepted.v1.dlt}, with the retry topic as its original topic) and waits for the broker.
     */
    public void publishTo(String deadLetterTopic, ConsumerRecord<String, ?> record, String reason, String message) {
        ProducerRecord<Object, Object> copy = new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value());
        for (Header header : record.headers()) {
            copy.headers().add(header);
        }
        copy.headers().add(KafkaHeaders.DLT_ORIGINAL_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        copy.headers().add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(record.partition()).array());
        copy.headers().add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(record.offset()).array());
        copy.headers().add(KafkaHeaders.DLT_EXCEPTION_MESSAGE,
                (reason + ": " + (message == null ? "" : message)).getBytes(StandardCharsets.UTF_8));
        copy.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        new EventPublisher(template).sendAndWait(copy);
    }
}
