package io.mediaplatform.common.health;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The probes' own settings: how the readiness checks of dependencies behave, and how shutdown begins.
 *
 * @param checkTimeout longest a dependency check (Kafka, S3) may take before it counts as DOWN
 *                     ({@code READINESS_CHECK_TIMEOUT}); keep it below the probes' timeout
 * @param cacheTtl     how long a check's answer is reused, so frequent probes stay cheap ({@code READINESS_CACHE_TTL})
 * @param drainDelay   on shutdown, how long readiness answers OUT_OF_SERVICE while requests are still taken, before
 *                     the server stops accepting new ones and drains the ones in flight ({@code SHUTDOWN_DRAIN_DELAY});
 *                     behind a load balancer or Kubernetes Service, a few seconds covers the time it needs to notice
 */
@ConfigurationProperties("platform.probes")
public record ProbeProperties(
        @DefaultValue("2s") Duration checkTimeout,
        @DefaultValue("5s") Duration cacheTtl,
        @DefaultValue("0s") Duration drainDelay) {
}
