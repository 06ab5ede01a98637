package io.mediaplatform.common.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Another indicator, answered within a timeout and cached ({@link CachedHealth}): an indicator that can block
 * longer than a probe waits (Spring Boot's DataSource indicator waits for a pooled connection, 30 s by default, while
 * the database is away) is DOWN after {@code timeout} instead. At most one call of the indicator runs at a time: a
 * check that finds the previous call still running waits on that one.
 */
public final class BoundedHealthIndicator implements HealthIndicator {

    private final HealthIndicator delegate;
    private final Duration timeout;
    private final CachedHealth cached;
    private volatile CompletableFuture<Health> inFlight;

    public BoundedHealthIndicator(HealthIndicator delegate, Duration timeout, Duration cacheTtl) {
        this.delegate = delegate;
        this.timeout = timeout;
        this.cached = new CachedHealth(this::check, cacheTtl);
    }

    @Override
    public Health health() {
        return cached.get();
    }

    /** Runs under {@link CachedHealth}'s lock: one check at a time. */
    private Health check() {
        CompletableFuture<Health> call = inFlight;
        if (call == null || call.isDone()) {
            CompletableFuture<Health> started = new CompletableFuture<>();
            Thread.ofVirtual().name("health-check").start(() -> {
                try {
                    started.complete(delegate.health());
                } catch (Throwable e) {
                    started.completeExceptionally(e);
                }
            });
            inFlight = started;
            call = started;
        }
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Health.down(new TimeoutException("no answer within " + timeout.toMillis() + " ms")).build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause() != null ? e.getCause() : e).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).build();
        }
    }
}
