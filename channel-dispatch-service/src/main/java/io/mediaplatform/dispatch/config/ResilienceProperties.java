package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Circuit breaker, bulkhead and rate-limit settings, applied per provider (the rate limit per sender identity).
 *
 * @param circuitFailureRate   failure rate in percent that opens a provider's circuit
 *                             ({@code DISPATCH_CIRCUIT_FAILURE_RATE})
 * @param circuitMinimumCalls  calls needed before the rate is judged ({@code DISPATCH_CIRCUIT_MINIMUM_CALLS})
 * @param circuitWindow        calls in the sliding window ({@code DISPATCH_CIRCUIT_WINDOW})
 * @param circuitOpenWait      how long an open circuit refuses calls before letting probes through
 *                             ({@code DISPATCH_CIRCUIT_OPEN_WAIT})
 * @param circuitHalfOpenCalls probe calls in half-open state ({@code DISPATCH_CIRCUIT_HALF_OPEN_CALLS})
 * @param bulkheadMaxCalls     concurrent calls per provider ({@code DISPATCH_BULKHEAD_MAX_CALLS})
 * @param bulkheadMaxWait      how long a call waits for a bulkhead slot ({@code DISPATCH_BULKHEAD_MAX_WAIT})
 * @param rateLimitWait        how long a call waits for a rate-limit permit ({@code DISPATCH_RATE_LIMIT_WAIT})
 * @param rateLimitMargin      smallest margin added to the per-sender limiter's one-second window; it grows to the
 *                             calls' measured slot-to-answer time (up to 250 ms), so that no provider second sees more
 *                             than the limit
 *                             ({@code DISPATCH_RATE_LIMIT_MARGIN})
 */
@ConfigurationProperties("dispatch.resilience")
public record ResilienceProperties(
        @DefaultValue("50") float circuitFailureRate,
        @DefaultValue("10") int circuitMinimumCalls,
        @DefaultValue("20") int circuitWindow,
        @DefaultValue("30s") Duration circuitOpenWait,
        @DefaultValue("3") int circuitHalfOpenCalls,
        @DefaultValue("25") int bulkheadMaxCalls,
        @DefaultValue("10s") Duration bulkheadMaxWait,
        @DefaultValue("5s") Duration rateLimitWait,
        @DefaultValue("10ms") Duration rateLimitMargin) {
}
