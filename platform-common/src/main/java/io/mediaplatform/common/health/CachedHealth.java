package io.mediaplatform.common.health;

import org.springframework.boot.health.contributor.Health;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A dependency check whose answer is reused for a while: probes of several kinds (readiness, the health endpoint,
 * Prometheus scrapes of it) every few seconds cost one check per {@code ttl}. One check runs at a time; callers that
 * arrive while it runs get the previous answer (the first ones wait for it). A check that throws counts as DOWN.
 */
final class CachedHealth {

    private record Answer(Health health, long atNanos) {
    }

    private final Supplier<Health> check;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock running = new ReentrantLock();
    private volatile Answer last;

    CachedHealth(Supplier<Health> check, Duration ttl) {
        this(check, ttl, System::nanoTime);
    }

    CachedHealth(Supplier<Health> check, Duration ttl, LongSupplier nanoTime) {
        this.check = check;
        this.ttlNanos = Math.max(0, ttl.toNanos());
        this.nanoTime = nanoTime;
    }

    Health get() {
        Answer answer = last;
        if (fresh(answer)) {
            return answer.health();
        }
        if (answer == null) {
            running.lock();
        } else if (!running.tryLock()) {
            return answer.health();
        }
        try {
            answer = last;
            if (fresh(answer)) {
                return answer.health();
            }
            Health health;
            try {
                health = check.get();
            } catch (RuntimeException e) {
                health = Health.down(e).build();
            }
            last = new Answer(health, nanoTime.getAsLong());
            return health;
        } finally {
            running.unlock();
        }
    }

    private boolean fresh(Answer answer) {
        return answer != null && nanoTime.getAsLong() - answer.atNanos() < ttlNanos;
    }
}
