package io.mediaplatform.dispatch.send.core;

import java.time.Duration;
import java.util.Optional;

/**
 * How often and how long a retryable send is tried again in place: exponential backoff from
 * {@code initialBackoff}, capped at {@code maxBackoff}; a provider's {@code Retry-After} replaces the backoff,
 * and one longer than {@code maxBackoff} ends the retries (the provider would not take it sooner).
 *
 * @param maxAttempts    attempts in all, the first included (at least 1)
 * @param initialBackoff pause after the first failure
 * @param maxBackoff     longest pause; also the longest {@code Retry-After} honoured
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoffs must not be negative");
        }
    }

    /**
     * The pause before attempt {@code failedAttempt + 1}, or empty when there is none to make.
     *
     * @param failedAttempt the attempt that just failed (1 for the first)
     * @param failure       its failure
     */
    public Optional<Duration> pauseAfter(int failedAttempt, SendResult.Failed failure) {
        if (!failure.retryable() || failedAttempt >= maxAttempts) {
            return Optional.empty();
        }
        if (failure.retryAfter() != null) {
            return failure.retryAfter().compareTo(maxBackoff) > 0 ? Optional.empty() : Optional.of(failure.retryAfter());
        }
        Duration backoff = initialBackoff.multipliedBy(1L << Math.min(failedAttempt - 1, 20));
        return Optional.of(backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff);
    }
}
