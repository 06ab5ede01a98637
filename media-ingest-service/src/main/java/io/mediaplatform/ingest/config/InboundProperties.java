package io.mediaplatform.ingest.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * Fetching customers' media ({@code ingest.inbound.*} in {@code ingest.yml}). Ingest holds no provider credential:
 * it fetches every customer media through channel-dispatch-service, the connector that owns the provider's
 * credentials (ARCHITECTURE §9).
 *
 * @param dispatchUrl      channel-dispatch-service's base URL inside the platform ({@code DISPATCH_INTERNAL_URL}):
 *                         the only host the inbound fetch calls, with requests signed by {@code LINK_SIGNING_KEY}
 * @param fetchBackoff     waits after attempt 1, 2, ... of a download that failed for a reason that may pass; the
 *                         last repeats ({@code INBOUND_FETCH_BACKOFF})
 * @param fetchGiveUpAfter age, from the first attempt, after which a failing download is given up and announced with
 *                         a fetch failure ({@code INBOUND_FETCH_GIVE_UP_AFTER})
 * @param retryHop         every record on {@code ingest.inbound-retry.v1} is read this long after it was written; a
 *                         record whose next attempt is later is written again ({@code INBOUND_RETRY_HOP})
 * @param maxSize          largest customer media fetched; a larger one is announced with a fetch failure
 *                         ({@code INBOUND_MAX_SIZE})
 */
@ConfigurationProperties("ingest.inbound")
public record InboundProperties(
        @DefaultValue("http://127.0.0.1:8082") String dispatchUrl,
        @DefaultValue("10s,1m,5m,30m,1h") List<Duration> fetchBackoff,
        @DefaultValue("7d") Duration fetchGiveUpAfter,
        @DefaultValue("10s") Duration retryHop,
        @DefaultValue("100MB") DataSize maxSize) {
}
