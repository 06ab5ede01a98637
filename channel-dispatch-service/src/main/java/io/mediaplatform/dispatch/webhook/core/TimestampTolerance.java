package io.mediaplatform.dispatch.webhook.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How far a webhook's <em>signed</em> sending time may be from now, either way (clock skew), before the webhook is
 * refused as stale. Only meaningful where the provider's signature covers that time (the notification API's
 * Standard Webhooks {@code webhook-timestamp}): a replay older than the tolerance is refused outright, and one within
 * it is caught by the {@link ReplayGuard}, whose window is far longer.
 *
 * @param tolerance the largest accepted distance (positive)
 */
public record TimestampTolerance(Duration tolerance) {

    /** The Standard Webhooks recommendation. */
    public static final Duration DEFAULT = Duration.ofMinutes(5);

    public TimestampTolerance {
        Objects.requireNonNull(tolerance, "tolerance");
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("tolerance must be positive: " + tolerance);
        }
    }

    /** Whether a webhook signed at {@code signedAt} is fresh enough at {@code now}. */
    public boolean accepts(Instant signedAt, Instant now) {
        return Duration.between(signedAt, now).abs().compareTo(tolerance) <= 0;
    }
}
