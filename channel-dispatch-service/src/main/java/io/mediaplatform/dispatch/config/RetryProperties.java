package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Retries of retryable provider failures (5xx, 429, timeouts, an open circuit): a first round of in-place attempts on
 * the listener's own thread, then long retries: later rounds on the retry topic {@code dispatch.send-retry.v1}, each
 * again with the in-place attempts, the conversation's later messages queued behind (order kept).
 *
 * @param maxAttempts    attempts in all ({@code DISPATCH_RETRY_MAX_ATTEMPTS})
 * @param initialBackoff first pause, multiplied by {@code multiplier} each time ({@code DISPATCH_RETRY_BACKOFF})
 * @param maxBackoff     longest pause and longest {@code Retry-After} honoured ({@code DISPATCH_RETRY_MAX_BACKOFF});
 *                       a longer {@code Retry-After} ends the retries
 * @param multiplier     backoff growth per attempt ({@code DISPATCH_RETRY_MULTIPLIER})
 * @param jitter         randomisation factor of each pause, 0 to 1 ({@code DISPATCH_RETRY_JITTER})
 * @param delays         waits before the later rounds on the retry topic ({@code DISPATCH_RETRY_DELAYS}, comma
 *                       separated); empty: none, a retryable failure after the in-place attempts is final
 * @param probeInterval  how often a message waiting on the retry topic is tried before its round while its provider
 *                       has taken nothing since it failed (not while the provider's circuit is open); it is tried at
 *                       once when the provider is back ({@code DISPATCH_RETRY_PROBE_INTERVAL}); zero: rounds only
 */
@ConfigurationProperties("dispatch.retry")
public record RetryProperties(
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("500ms") Duration initialBackoff,
        @DefaultValue("10s") Duration maxBackoff,
        @DefaultValue("2.0") double multiplier,
        @DefaultValue("0.5") double jitter,
        @DefaultValue("30s,2m,10m,30m") List<Duration> delays,
        @DefaultValue("5s") Duration probeInterval) {
}
