package io.mediaplatform.common.health;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CachedHealthTest {

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger checks = new AtomicInteger();

    @Test
    void reuses_an_answer_for_the_ttl_and_checks_again_after_it() {
        // Given a check cached for 5 s
        CachedHealth cached = new CachedHealth(() -> Health.up().withDetail("check", checks.incrementAndGet()).build(),
                Duration.ofSeconds(5), now::get);

        // When it is asked three times within 5 s, then once more after
        Health first = cached.get();
        now.addAndGet(Duration.ofMillis(4_999).toNanos());
        Health second = cached.get();
        Health third = cached.get();
        now.addAndGet(Duration.ofMillis(1).toNanos());
        Health fourth = cached.get();

        // Then the dependency was checked twice: once for the first three answers, once after the TTL
        assertThat(checks).hasValue(2);
        assertThat(second).isSameAs(first);
        assertThat(third).isSameAs(first);
        assertThat(fourth.getDetails()).containsEntry("check", 2);
    }

    @Test
    void a_check_that_throws_is_down_with_its_error() {
        CachedHealth cached = new CachedHealth(() -> {
            throw new IllegalStateException("no route to the broker");
        }, Duration.ofSeconds(5), now::get);

        Health health = cached.get();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("error").toString()).contains("no route to the broker");
    }

    @Test
    void a_zero_ttl_checks_every_time() {
        CachedHealth cached = new CachedHealth(() -> Health.up().withDetail("check", checks.incrementAndGet()).build(),
                Duration.ZERO, now::get);

        cached.get();
        cached.get();

        assertThat(checks).hasValue(2);
    }
}
