package io.mediaplatform.common.kafka;

import io.mediaplatform.schemas.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes events to catalogue topics, typed by {@link Topic} so a value can only go where its type belongs. */
public class EventPublisher {

    /** How long {@link #sendAndWait} (and {@link PendingSends#awaitAll}) wait for the broker's acknowledgement. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTemplate<Object, Object> template;

    public EventPublisher(KafkaTemplate<Object, Object> template) {
        this.template = template;
    }

    /** Sends asynchronously. */
    public <V extends SpecificRecord> CompletableFuture<SendResult<Object, Object>> send(Topic<V> topic, String key, V value) {
        return template.send(new ProducerRecord<>(topic.name(), key, value));
    }

    /** Sends without waiting, each ack kept for {@link PendingSends#awaitAll} (a batch listener's poll). */
    public PendingSends pending() {
        return new PendingSends(this);
    }

    /** Sends and waits for the broker's acknowledgement (acks=all), so the caller may answer its client. */
    public <V extends SpecificRecord> void sendAndWait(Topic<V> topic, String key, V value) {
        try {
            send(topic, key, value).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventPublishException(topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EventPublishException(topic.name(), e.getCause() == null ? e : e.getCause());
        }
    }

    /**
     * Sends a record built by the caller (a retry forward, a dead-letter copy: a catalogue topic's value with headers
     * of its own) and waits for the broker's acknowledgement.
     */
    public void sendAndWait(ProducerRecord<Object, Object> record) {
        try {
            template.send(record).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventPublishException(record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EventPublishException(record.topic(), e.getCause() == null ? e : e.getCause());
        }
    }

    /** The event could not be written to Kafka. */
    public static class EventPublishException extends RuntimeException {
        public EventPublishException(String topic, Throwable cause) {
            super("Could not publish to " + topic + ": " + cause.getMessage(), cause);
        }
    }
}
