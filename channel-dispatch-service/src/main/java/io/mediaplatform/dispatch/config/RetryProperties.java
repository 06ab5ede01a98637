package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * In-place retries of retryable provider failures (5xx, 429, timeouts).
 *
 * @param maxAttempts    attempts in all ({@code DISPATCH_RETRY_MAX_ATTEMPTS})
 * @param initialBackoff first pause, doubled each time ({@code DISPATCH_RETRY_BACKOFF})
 * @param maxBackoff     longest pause and longest {@code Retry-After} honoured ({@code DISPATCH_RETRY_MAX_BACKOFF})
 */
@ConfigurationProperties("dispatch.retry")
public record RetryProperties(
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("500ms") Duration initialBackoff,
        @DefaultValue("10s") Duration maxBackoff) {
}
