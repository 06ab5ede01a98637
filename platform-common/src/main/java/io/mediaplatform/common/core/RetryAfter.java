package io.mediaplatform.common.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The one reading of an HTTP {@code Retry-After}: delay seconds or an HTTP date, plain Java so cores can use it. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** {@code Retry-After} as seconds or an HTTP date (a past date is zero); null when absent or unreadable. */
    public static Duration parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException ignored) {
            // maybe a date
        }
        try {
            Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
