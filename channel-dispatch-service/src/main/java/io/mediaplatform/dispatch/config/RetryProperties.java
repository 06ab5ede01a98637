package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * In-place retries of retryable provider failures (5xx, 429, timeouts, an open circuit), on the listener's own
 * thread so that one conversation's messages keep their order.
 *
 * @param maxAttempts    attempts in all ({@code DISPATCH_RETRY_MAX_ATTEMPTS})
 * @param initialBackoff first pause, multiplied by {@code multiplier} each time ({@code DISPATCH_RETRY_BACKOFF})
 * @param maxBackoff     longest pause and longest {@code Retry-After} honoured ({@code DISPATCH_RETRY_MAX_BACKOFF});
 *                       a longer {@code Retry-After} ends the retries
 * @param multiplier     backoff growth per attempt ({@code DISPATCH_RETRY_MULTIPLIER})
 * @param jitter         randomisation factor of each pause, 0 to 1 ({@code DISPATCH_RETRY_JITTER})
 */
@ConfigurationProperties("dispatch.retry")
public record RetryProperties(
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("500ms") Duration initialBackoff,
        @DefaultValue("10s") Duration maxBackoff,
        @DefaultValue("2.0") double multiplier,
        @DefaultValue("0.5") double jitter) {
}
