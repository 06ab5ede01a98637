package io.mediaplatform.common.health;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BoundedHealthIndicatorTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void an_indicator_that_blocks_is_down_after_the_timeout_and_is_not_called_again_while_it_still_runs() {
        // Given an indicator that blocks until released (a pool waiting for a connection), bounded at 200 ms, no cache
        BoundedHealthIndicator bounded = new BoundedHealthIndicator(() -> {
            calls.incrementAndGet();
            block(release);
            return Health.up().withDetail("database", "PostgreSQL").build();
        }, Duration.ofMillis(200), Duration.ZERO);

        // When it is asked twice while the first call still blocks
        long start = System.nanoTime();
        Health first = bounded.health();
        Health second = bounded.health();

        // Then each answer is DOWN after about the timeout, naming it, and the indicator was called once
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(first.getStatus()).isEqualTo(Status.DOWN);
        assertThat(first.getDetails().get("error").toString()).contains("no answer within 200 ms");
        assertThat(second.getStatus()).isEqualTo(Status.DOWN);
        assertThat(calls).hasValue(1);

        // And once the call returns, its answer is the next one's
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> bounded.health().getStatus().equals(Status.UP));
        assertThat(bounded.health().getDetails()).containsEntry("database", "PostgreSQL");
    }

    @Test
    void an_indicator_that_throws_is_down_with_its_error() {
        BoundedHealthIndicator bounded = new BoundedHealthIndicator(() -> {
            throw new IllegalStateException("connection refused");
        }, Duration.ofSeconds(1), Duration.ZERO);

        Health health = bounded.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("error").toString()).contains("connection refused");
    }

    private static void block(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
