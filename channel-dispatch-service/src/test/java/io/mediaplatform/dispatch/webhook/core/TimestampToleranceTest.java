package io.mediaplatform.dispatch.webhook.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampToleranceTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void accepts_a_signed_time_within_the_tolerance_either_way_and_refuses_one_beyond_it() {
        // Given the default five minutes
        TimestampTolerance tolerance = new TimestampTolerance(TimestampTolerance.DEFAULT);

        // Then times up to five minutes before or after now are fresh, anything further is stale
        assertThat(tolerance.accepts(NOW, NOW)).isTrue();
        assertThat(tolerance.accepts(NOW.minus(Duration.ofMinutes(5)), NOW)).isTrue();
        assertThat(tolerance.accepts(NOW.plus(Duration.ofMinutes(5)), NOW)).isTrue();
        assertThat(tolerance.accepts(NOW.minus(Duration.ofMinutes(5)).minusSeconds(1), NOW)).isFalse();
        assertThat(tolerance.accepts(NOW.plus(Duration.ofMinutes(5)).plusSeconds(1), NOW)).isFalse();
        assertThat(tolerance.accepts(NOW.minus(Duration.ofDays(3)), NOW)).isFalse();
    }

    @Test
    void refuses_a_tolerance_that_is_not_positive() {
        // Then a zero or negative tolerance fails at start
        assertThatThrownBy(() -> new TimestampTolerance(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimestampTolerance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
