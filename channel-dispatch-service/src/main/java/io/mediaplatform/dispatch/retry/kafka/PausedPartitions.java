package io.mediaplatform.dispatch.retry.kafka;

import io.mediaplatform.dispatch.retry.core.ProviderHealth;
import io.mediaplatform.dispatch.retry.core.RetryProbes;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The retry partitions the worker paused, and why each waits: its head's round, last attempt and provider, so it is
 * resumed when the round is due or earlier when the provider is back ({@link RetryProbes} with the provider's
 * {@link ProviderHealth}). Used by the worker thread only.
 */
final class PausedPartitions {

    /** Why a paused partition waits: its head's round, last attempt and provider (null: none, rounds only). */
    record Waiting(Instant roundDue, Instant lastAttempt, String provider) {
    }

    private final RetryProbes probes;
    private final ProviderHealth health;
    private final Clock clock;
    private final Map<TopicPartition, Waiting> paused = new HashMap<>();

    PausedPartitions(RetryProbes probes, ProviderHealth health, Clock clock) {
        this.probes = probes;
        this.health = health;
        this.clock = clock;
    }

    /** Whether a head with this wait is still to wait now (its next attempt is later). */
    boolean waits(Waiting waiting) {
        return probes.nextAttempt(waiting.roundDue(), waiting.lastAttempt(), health.of(waiting.provider()))
                .isAfter(clock.instant());
    }

    /** A wait for a fixed time, whatever the provider does. */
    Waiting backoff(Duration time) {
        return new Waiting(clock.instant().plus(time), null, null);
    }

    /** Pauses the partition with its position back at {@code offset}, until its wait is over. */
    void pause(Consumer<?, ?> consumer, TopicPartition partition, long offset, Waiting waiting) {
        consumer.seek(partition, offset);
        consumer.pause(Set.of(partition));
        paused.put(partition, waiting);
    }

    /** Resumes the paused partitions whose wait is over (those still assigned). */
    void resumeDue(Consumer<?, ?> consumer, Set<TopicPartition> assigned) {
        paused.entrySet().removeIf(entry -> {
            if (waits(entry.getValue())) {
                return false;
            }
            if (assigned.contains(entry.getKey())) {
                consumer.resume(Set.of(entry.getKey()));
            }
            return true;
        });
    }

    /** Forgets a partition let go. */
    void forget(TopicPartition partition) {
        paused.remove(partition);
    }
}
