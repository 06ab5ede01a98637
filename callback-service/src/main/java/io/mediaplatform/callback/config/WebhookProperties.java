package io.mediaplatform.callback.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Client webhook settings.
 *
 * @param pollInterval   how often the sender looks for due deliveries besides being woken by this instance's own new
 *                       and ended ones: other instances' rows, retries coming due ({@code WEBHOOK_POLL_INTERVAL}, 250ms)
 * @param retrySchedule  wait before each attempt, the first normally 0s; its length is the number of attempts
 *                       ({@code WEBHOOK_RETRY_SCHEDULE}, {@code 0s,5s,5m,30m,2h,5h,10h,10h})
 * @param secrets        signing secret per tenant, {@code tenantId:whsec_...;tenantId2:whsec_...} ({@code WEBHOOK_SECRETS})
 * @param batchSize      most deliveries claimed at a time ({@code WEBHOOK_BATCH_SIZE}, 200)
 * @param connectTimeout connect timeout of a webhook call ({@code WEBHOOK_CONNECT_TIMEOUT}, 5s)
 * @param requestTimeout time to wait for the response of a webhook call ({@code WEBHOOK_REQUEST_TIMEOUT}, 10s)
 * @param claimLease     how long a claimed delivery is left to its sender before another may take it
 *                       ({@code WEBHOOK_CLAIM_LEASE}, 2m; longer than connect + request timeout)
 * @param secretRotationOverlap how long a rotated-out tenant endpoint secret keeps signing next to the new one
 *                       ({@code WEBHOOK_SECRET_ROTATION_OVERLAP}, 24h)
 * @param encryptionKey  base64 of 32 bytes: AES-256-GCM key sealing endpoint secrets in the database
 *                       ({@code WEBHOOK_ENCRYPTION_KEY}; blank stores them unencrypted, for local use)
 * @param maxInFlight    most webhook calls of this instance under way at once, each on a virtual thread
 *                       ({@code WEBHOOK_MAX_IN_FLIGHT}, 200)
 */
@ConfigurationProperties("callback.webhooks")
public record WebhookProperties(
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue({"0s", "5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> retrySchedule,
        String secrets,
        @DefaultValue("200") int batchSize,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("2m") Duration claimLease,
        @DefaultValue("24h") Duration secretRotationOverlap,
        String encryptionKey,
        @DefaultValue("200") int maxInFlight) {

    @Override
    public String toString() {
        return "WebhookProperties[pollInterval=" + pollInterval + ", retrySchedule=" + retrySchedule + ", secrets=<hidden>"
                + ", batchSize=" + batchSize + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", claimLease=" + claimLease + ", secretRotationOverlap=" + secretRotationOverlap + ", encryptionKey=<hidden>"
                + ", maxInFlight=" + maxInFlight + "]";
    }
}
