package io.mediaplatform.ingest.retention.core;

import io.mediaplatform.ingest.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionPolicyTest {

    @Test
    void per_tenant_overrides_are_read_from_tenant_colon_duration_pairs() {
        // When the override text is parsed
        Map<String, Duration> overrides = RetentionPolicy.parseOverrides(" acme:7d; globex:12h;; tiny:1s ;iso:P2D;ms:500ms;bare:90");

        // Then each tenant has its duration
        assertThat(overrides).containsExactly(Map.entry("acme", Duration.ofDays(7)), Map.entry("globex", Duration.ofHours(12)),
                Map.entry("tiny", Duration.ofSeconds(1)), Map.entry("iso", Duration.ofDays(2)),
                Map.entry("ms", Duration.ofMillis(500)), Map.entry("bare", Duration.ofSeconds(90)));
    }

    @Test
    void media_expires_after_its_tenants_retention_and_staging_after_the_staging_age() {
        // Given 30 days by default, 1 day for acme, 1 hour for staging
        RetentionPolicy policy = RetentionPolicy.of(Duration.ofDays(30), "acme:1d", Duration.ofHours(1));
        Instant now = Instant.parse("2026-01-31T00:00:00Z");

        // Then
        assertThat(policy.expired("acme", now.minus(Duration.ofHours(25)), now)).isTrue();
        assertThat(policy.expired("acme", now.minus(Duration.ofHours(23)), now)).isFalse();
        assertThat(policy.expired("globex", now.minus(Duration.ofDays(29)), now)).isFalse();
        assertThat(policy.expired("globex", now.minus(Duration.ofDays(31)), now)).isTrue();
        assertThat(policy.staleStaging(now.minus(Duration.ofMinutes(61)), now)).isTrue();
        assertThat(policy.staleStaging(now.minus(Duration.ofMinutes(59)), now)).isFalse();
    }

    @Test
    void malformed_overrides_are_refused() {
        assertThatThrownBy(() -> RetentionPolicy.parseOverrides("acme=7d")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> RetentionPolicy.parseOverrides("acme:soon")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> RetentionPolicy.parseOverrides("acme:0s")).isInstanceOf(InvalidInputException.class);
    }
}
