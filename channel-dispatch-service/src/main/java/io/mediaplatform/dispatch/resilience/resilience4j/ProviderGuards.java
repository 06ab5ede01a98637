package io.mediaplatform.dispatch.resilience.resilience4j;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.mediaplatform.dispatch.resilience.core.RateShare;
import io.mediaplatform.dispatch.resilience.core.SlidingWindowLimiter;
import io.mediaplatform.dispatch.resilience.resilience4j.ResilientSender.Settings;
import io.mediaplatform.dispatch.retry.core.ProviderHealth;
import io.mediaplatform.dispatch.send.core.SendResult;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bookkeeping of {@link ResilientSender}'s layers: the retry, circuit breaker and bulkhead of each provider,
 * built from the settings, each circuit's transitions told to the {@link ProviderHealth}; a limiter per sender
 * identity sized to this instance's {@link RateShare}; and which failures count against a provider.
 */
final class ProviderGuards {

    /** A sender's limiter and the version of the share it was sized for. */
    private record Limiter(SlidingWindowLimiter limiter, long shareVersion) {
    }

    private final RetryRegistry retries;
    private final CircuitBreakerRegistry circuitBreakers;
    private final BulkheadRegistry bulkheads;
    private final Map<String, Limiter> rateLimiters = new ConcurrentHashMap<>();
    private final RateShare rateShare;
    private final Duration rateLimitMargin;

    ProviderGuards(Settings settings, Duration rateLimitMargin, RateShare rateShare, ProviderHealth health) {
        this.retries = RetryRegistry.of(retryConfig(settings));
        this.circuitBreakers = CircuitBreakerRegistry.of(circuitBreakerConfig(settings));
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.bulkheadMaxCalls())
                .maxWaitDuration(settings.bulkheadMaxWait())
                .build());
        this.rateLimitMargin = rateLimitMargin;
        this.rateShare = rateShare;
        Duration openWait = settings.circuitOpenWait();
        circuitBreakers.getEventPublisher().onEntryAdded(added -> {
            CircuitBreaker breaker = added.getAddedEntry();
            breaker.getEventPublisher().onStateTransition(event -> {
                Instant at = event.getCreationTime().toInstant();
                switch (event.getStateTransition().getToState()) {
                    case OPEN, FORCED_OPEN -> health.circuitOpened(breaker.getName(), at, at.plus(openWait));
                    case HALF_OPEN -> health.circuitHalfOpen(breaker.getName(), at);
                    case CLOSED -> health.circuitClosed(breaker.getName(), at);
                    default -> {
                    }
                }
            });
        });
    }

    RetryRegistry retries() {
        return retries;
    }

    CircuitBreakerRegistry circuitBreakers() {
        return circuitBreakers;
    }

    BulkheadRegistry bulkheads() {
        return bulkheads;
    }

    RateShare rateShare() {
        return rateShare;
    }

    /** The limiter of one sender, sized to this instance's share of {@code rate} (resized when the share changed). */
    SlidingWindowLimiter limiter(String sender, int rate) {
        long version = rateShare.version();
        return rateLimiters.compute(sender, (key, current) -> {
            if (current != null && current.shareVersion() == version) {
                return current;
            }
            int limit = rateShare.limit(rate);
            if (current != null) {
                return new Limiter(current.limiter().limit() == limit ? current.limiter() : current.limiter().resized(limit), version);
            }
            Duration maxMargin = rateLimitMargin.compareTo(ResilientSender.MAX_RATE_LIMIT_MARGIN) > 0 ? rateLimitMargin : ResilientSender.MAX_RATE_LIMIT_MARGIN;
            return new Limiter(new SlidingWindowLimiter(limit, rateLimitMargin, maxMargin, System::nanoTime), version);
        }).limiter();
    }

    /** No rate-limit permit came within the wait. */
    static final class RequestNotPermittedException extends RuntimeException {
        RequestNotPermittedException() {
            super("no rate-limit permit in time", null, false, false);
        }
    }

    /** Whether a failure counts against the provider's health (5xx, timeouts, network), not throttling. */
    static boolean providerFault(SendResult.Failed failed) {
        return failed.retryable() && !throttled(failed);
    }

    static boolean throttled(SendResult.Failed failed) {
        return failed.code().contains("429") || failed.retryAfter() != null;
    }

    private static RetryConfig retryConfig(Settings s) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(s.initialBackoff(), s.multiplier(),
                s.jitter(), s.maxBackoff());
        Duration longestWait = s.maxBackoff();
        IntervalBiFunction<SendResult> interval = (attempt, outcome) -> {
            if (outcome.isRight() && outcome.get() instanceof SendResult.Failed failed && failed.retryAfter() != null) {
                return Math.max(1, failed.retryAfter().toMillis());
            }
            return backoff.apply(attempt);
        };
        return RetryConfig.<SendResult>custom()
                .maxAttempts(s.maxAttempts())
                .intervalBiFunction(interval)
                .retryOnResult(result -> result instanceof SendResult.Failed failed && failed.retryable()
                        && (failed.retryAfter() == null || failed.retryAfter().compareTo(longestWait) <= 0))
                .retryOnException(e -> e instanceof CallNotPermittedException || e instanceof RequestNotPermittedException
                        || e instanceof BulkheadFullException)
                .failAfterMaxAttempts(false)
                .build();
    }

    private static CircuitBreakerConfig circuitBreakerConfig(Settings s) {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(s.circuitFailureRate())
                .minimumNumberOfCalls(s.circuitMinimumCalls())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(s.circuitWindow(), s.circuitMinimumCalls()))
                .waitDurationInOpenState(s.circuitOpenWait())
                .permittedNumberOfCallsInHalfOpenState(s.circuitHalfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordResult(result -> result instanceof SendResult.Failed failed && providerFault(failed))
                .ignoreExceptions(RequestNotPermittedException.class, BulkheadFullException.class)
                .build();
    }
}
