package io.mediaplatform.common.kafka;

import io.mediaplatform.schemas.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchListenerFailedException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The events a batch listener publishes for the records of one poll, sent without waiting for each ack (the
 * idempotent producer keeps them in order per partition and batches them) and waited for together before the
 * offsets are committed: one round trip per poll instead of one per record. Not thread-safe: one per poll.
 */
public final class PendingSends {

    private record Pending(ConsumerRecord<?, ?> source, String topic, CompletableFuture<?> ack) {
    }

    private final EventPublisher publisher;
    private final List<Pending> pending = new ArrayList<>();

    PendingSends(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Sends {@code value} on behalf of {@code source} (the consumed record it answers) without waiting. */
    public <V extends SpecificRecord> void send(ConsumerRecord<?, ?> source, Topic<V> topic, String key, V value) {
        pending.add(new Pending(source, topic.name(), publisher.send(topic, key, value)));
    }

    /**
     * Waits (at most {@link EventPublisher#ACK_TIMEOUT} in all) until the broker has every event sent so far.
     *
     * @throws BatchListenerFailedException naming the first record whose event the broker did not take, so the
     *                                      records before it are committed and it is retried
     */
    public void awaitAll() {
        long deadline = System.nanoTime() + EventPublisher.ACK_TIMEOUT.toNanos();
        try {
            for (Pending sent : pending) {
                try {
                    sent.ack().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw BatchRecords.failed(sent.source(), new EventPublisher.EventPublishException(sent.topic(), e));
                } catch (ExecutionException | TimeoutException e) {
                    throw BatchRecords.failed(sent.source(), new EventPublisher.EventPublishException(sent.topic(),
                            e.getCause() == null ? e : e.getCause()));
                }
            }
        } finally {
            pending.clear();
        }
    }
}
