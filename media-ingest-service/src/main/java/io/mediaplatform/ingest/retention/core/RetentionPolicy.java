package io.mediaplatform.ingest.retention.core;

import io.mediaplatform.common.core.TenantSettings;
import io.mediaplatform.ingest.core.InvalidInputException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long media is kept: a default and per-tenant overrides; and how old a leftover staging object (an
 * upload that crashed between staging and commit) may get.
 *
 * @param defaultRetention retention of tenants without an override
 * @param perTenant        overrides by tenant id
 * @param stagingMaxAge    age after which staging objects are deleted
 */
public record RetentionPolicy(Duration defaultRetention, Map<String, Duration> perTenant, Duration stagingMaxAge) {

    private static final TenantSettings OVERRIDES =
            new TenantSettings("MEDIA_RETENTION_TENANTS", ':', "<duration>", true);
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    public RetentionPolicy {
        perTenant = Map.copyOf(perTenant);
        if (defaultRetention.isNegative() || defaultRetention.isZero()) {
            throw new IllegalArgumentException("The default retention must be positive");
        }
    }

    /** The policy from the configuration text {@code "tenant:duration;tenant:duration"} of overrides. */
    public static RetentionPolicy of(Duration defaultRetention, String overrides, Duration stagingMaxAge) {
        return new RetentionPolicy(defaultRetention, parseOverrides(overrides), stagingMaxAge);
    }

    /** The retention of the tenant's media. */
    public Duration retentionOf(String tenantId) {
        return perTenant.getOrDefault(tenantId, defaultRetention);
    }

    /** Whether media of the tenant last written at {@code at} has outlived its retention at {@code now}. */
    public boolean expired(String tenantId, Instant at, Instant now) {
        return at.plus(retentionOf(tenantId)).isBefore(now);
    }

    /** Whether a staging object written at {@code at} is stale at {@code now}. */
    public boolean staleStaging(Instant at, Instant now) {
        return at.plus(stagingMaxAge).isBefore(now);
    }

    /**
     * Parses {@code "acme:7d; globex:12h"} (durations: {@code 30d 12h 15m 10s 500ms}, a bare number of seconds, or
     * ISO-8601 {@code P7D}).
     */
    public static Map<String, Duration> parseOverrides(String text) {
        Map<String, Duration> map = new LinkedHashMap<>();
        Map<String, String> entries;
        try {
            entries = OVERRIDES.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(OVERRIDES.setting(), e.getMessage());
        }
        entries.forEach((tenant, value) -> {
            Duration duration = parseDuration(value);
            if (duration.isNegative() || duration.isZero()) {
                throw new InvalidInputException(OVERRIDES.setting(), "The retention of " + tenant + " must be positive");
            }
            map.put(tenant, duration);
        });
        return map;
    }

    /** Parses {@code 30d}, {@code 12h}, {@code 15m}, {@code 10s}, {@code 500ms}, {@code 10} (seconds) or ISO-8601. */
    public static Duration parseDuration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(value);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new InvalidInputException("MEDIA_RETENTION_TENANTS", "Not a duration: '" + text.strip() + "'");
        }
    }
}
