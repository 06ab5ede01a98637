package io.mediaplatform.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultMixTest {

    private final FaultMix mix = new FaultMix(0.3, 0.1, 0.05, Duration.ofSeconds(4));

    @Test
    void aRollInTheServerErrorShareIsAnswered500() {
        // Given a mix of 30 % 5xx, 10 % 429, 5 % timeouts
        // When a send rolls 0.29
        // Then it gets a 500
        assertThat(mix.draw(0.29)).hasValueSatisfying(f -> assertThat(f.httpStatus()).isEqualTo(500));
    }

    @Test
    void aRollInTheRateLimitShareIsAnswered429WithRetryAfter() {
        assertThat(mix.draw(0.35)).hasValueSatisfying(f -> {
            assertThat(f.httpStatus()).isEqualTo(429);
            assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void aRollInTheTimeoutShareIsAcceptedButAnsweredLate() {
        assertThat(mix.draw(0.42)).hasValueSatisfying(f -> {
            assertThat(f.answersNormally()).isTrue();
            assertThat(f.delay()).isEqualTo(Duration.ofSeconds(4));
        });
    }

    @Test
    void theRestIsAnsweredNormally() {
        assertThat(mix.draw(0.45)).isEmpty();
        assertThat(mix.draw(0.99)).isEmpty();
    }

    @Test
    void sharesAddingUpToMoreThanOneAreRefused() {
        assertThatThrownBy(() -> new FaultMix(0.6, 0.3, 0.2, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
