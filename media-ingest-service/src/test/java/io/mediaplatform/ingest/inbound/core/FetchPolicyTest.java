package io.mediaplatform.ingest.inbound.core;

import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.common.core.DownloadFailure.Cause;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FetchPolicyTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final DownloadFailure PROVIDER_5XX = new DownloadFailure(Cause.PROVIDER_ERROR, "WhatsApp answered HTTP 500");

    private final FetchPolicy policy = new FetchPolicy(List.of(Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(5)), Duration.ofDays(7));

    @Test
    void waits_the_backoff_of_each_attempt_and_repeats_the_last() {
        // Given a download failing again and again for a reason that may pass
        FetchState state = null;
        Instant now = T0;
        List<Duration> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // When each attempt fails
            FetchDecision.RetryAt retry = (FetchDecision.RetryAt) policy.afterFailure(PROVIDER_5XX, state, now);
            waits.add(Duration.between(now, retry.at()));
            state = retry.state();
            now = retry.at();
        }
        // Then the waits follow the schedule, its last one repeating, and the state counts from the first attempt
        assertThat(waits).containsExactly(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofMinutes(5));
        assertThat(state.attempts()).isEqualTo(5);
        assertThat(state.firstAttemptAt()).isEqualTo(T0);
        assertThat(state.nextAttemptAt()).isEqualTo(now);
        assertThat(state.lastFailure()).isEqualTo("WhatsApp answered HTTP 500");
    }

    @Test
    void every_failure_that_may_pass_is_retried() {
        for (Cause cause : List.of(Cause.PROVIDER_ERROR, Cause.THROTTLED, Cause.TIMEOUT, Cause.CONNECTION,
                Cause.CREDENTIALS_REFUSED, Cause.NOT_CONFIGURED)) {
            assertThat(policy.afterFailure(new DownloadFailure(cause, "x"), null, T0))
                    .as(cause.name()).isInstanceOf(FetchDecision.RetryAt.class);
        }
    }

    @Test
    void a_failure_that_cannot_pass_gives_up_at_once_with_its_reason() {
        for (Cause cause : List.of(Cause.GONE, Cause.SHA256_MISMATCH, Cause.TOO_LARGE, Cause.UNTRUSTED_HOST,
                Cause.BAD_ANSWER)) {
            assertThat(policy.afterFailure(new DownloadFailure(cause, "why " + cause), null, T0))
                    .as(cause.name()).isEqualTo(new FetchDecision.GiveUp("why " + cause));
        }
    }

    @Test
    void gives_up_once_the_give_up_age_from_the_first_attempt_has_passed() {
        // Given a download first tried 7 days ago
        FetchState state = new FetchState(12, T0, T0.plus(Duration.ofDays(7)), "HTTP 500");
        // When it fails again at the limit
        FetchDecision decision = policy.afterFailure(PROVIDER_5XX, state, T0.plus(Duration.ofDays(7)));
        // Then it is given up, saying how long it was tried
        assertThat(decision).isInstanceOf(FetchDecision.GiveUp.class);
        assertThat(((FetchDecision.GiveUp) decision).reason())
                .isEqualTo("WhatsApp answered HTTP 500 (gave up after 13 attempts over 7 days)");
    }

    @Test
    void the_last_wait_is_cut_to_end_at_the_give_up_age() {
        // Given a download first tried 7 days minus one minute ago
        FetchState state = new FetchState(3, T0, T0, "HTTP 500");
        Instant now = T0.plus(Duration.ofDays(7)).minus(Duration.ofMinutes(1));
        // When it fails with five minutes still to wait
        FetchDecision.RetryAt retry = (FetchDecision.RetryAt) policy.afterFailure(PROVIDER_5XX, state, now);
        // Then the last attempt is made at the limit
        assertThat(retry.at()).isEqualTo(T0.plus(Duration.ofDays(7)));
    }

    @Test
    void a_longer_retry_after_from_the_provider_is_honoured() {
        FetchDecision.RetryAt retry = (FetchDecision.RetryAt) policy.afterFailure(
                new DownloadFailure(Cause.THROTTLED, "HTTP 429", Duration.ofSeconds(90)), null, T0);
        assertThat(retry.at()).isEqualTo(T0.plusSeconds(90));
        FetchDecision.RetryAt shorter = (FetchDecision.RetryAt) policy.afterFailure(
                new DownloadFailure(Cause.THROTTLED, "HTTP 429", Duration.ofSeconds(1)), null, T0);
        assertThat(shorter.at()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void a_state_waits_while_its_next_attempt_is_ahead() {
        FetchState state = new FetchState(1, T0, T0.plusSeconds(10), null);
        assertThat(state.waiting(T0.plusSeconds(9))).isTrue();
        assertThat(state.waiting(T0.plusSeconds(10))).isFalse();
    }
}
