package io.mediaplatform.dispatch.send.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(5));

    @Test
    void backs_off_exponentially_and_stops_after_the_last_attempt() {
        // Given a retryable failure without Retry-After
        SendResult.Failed failure = new SendResult.Failed("2", "unavailable", true);

        // Then the pauses double and there is none after the third attempt
        assertThat(policy.pauseAfter(1, failure)).contains(Duration.ofMillis(500));
        assertThat(policy.pauseAfter(2, failure)).contains(Duration.ofSeconds(1));
        assertThat(policy.pauseAfter(3, failure)).isEmpty();
    }

    @Test
    void honours_retry_after_up_to_the_longest_backoff() {
        // Given throttling answers asking for 2 s and for 60 s
        // Then 2 s is waited, and 60 s ends the retries
        assertThat(policy.pauseAfter(1, new SendResult.Failed("130429", "limit", true, Duration.ofSeconds(2))))
                .contains(Duration.ofSeconds(2));
        assertThat(policy.pauseAfter(1, new SendResult.Failed("130429", "limit", true, Duration.ofSeconds(60))))
                .isEmpty();
    }

    @Test
    void never_retries_a_non_retryable_failure() {
        // Then a permanent refusal is final at once
        assertThat(policy.pauseAfter(1, new SendResult.Failed("131026", "undeliverable", false))).isEmpty();
    }
}
