package io.mediaplatform.dispatch.retry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The long retries of a send that failed for a reason that may pass: after the in-place attempts of round 0 (on
 * {@code media.accepted}), round {@code n} runs {@code delays[n-1]} after round {@code n-1} ended, on the retry
 * topic. When the last round fails too, the message is FAILED for good. No delays: no long retries.
 *
 * @param delays the waits before rounds 1, 2, …
 */
public record RetryRounds(List<Duration> delays) {

    public RetryRounds {
        delays = List.copyOf(delays);
        if (delays.stream().anyMatch(d -> d.isNegative())) {
            throw new IllegalArgumentException("retry delays must not be negative: " + delays);
        }
    }

    /** No long retries: a retryable failure after the in-place attempts is final. */
    public static RetryRounds none() {
        return new RetryRounds(List.of());
    }

    /** Whether there are long retries at all. */
    public boolean enabled() {
        return !delays.isEmpty();
    }

    /**
     * When the round after {@code round} is due, if there is one.
     *
     * @param round the round that just failed (0 for the first, in-place attempts)
     * @param now   when it failed
     */
    public Optional<Instant> nextAfter(int round, Instant now) {
        if (round < 0 || round >= delays.size()) {
            return Optional.empty();
        }
        return Optional.of(now.plus(delays.get(round)));
    }

    /** Rounds in all, the first included. */
    public int rounds() {
        return delays.size() + 1;
    }
}
