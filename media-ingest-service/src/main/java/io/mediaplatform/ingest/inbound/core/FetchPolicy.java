package io.mediaplatform.ingest.inbound.core;

import io.mediaplatform.common.core.DownloadFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a failed download of a customer's media is tried again, and when it is given up.
 *
 * <ul>
 *   <li>A failure that cannot pass ({@link DownloadFailure#retryable()} false: gone, SHA-256 mismatch, over the
 *   size limit, untrusted host, an unusable answer) gives up at once.</li>
 *   <li>A failure that may pass waits {@code backoff[n-1]} after attempt {@code n} (the last wait repeats), or the
 *   provider's {@code Retry-After} when that is longer.</li>
 *   <li>Attempts stop at the give-up age counted from the first attempt: a failure at or past it gives up; a wait
 *   that would end past it is cut to end at it, so the last attempt is made at the limit.</li>
 * </ul>
 */
public final class FetchPolicy {

    private final List<Duration> backoff;
    private final Duration giveUpAfter;

    /**
     * @param backoff     waits after attempt 1, 2, ... (not empty; the last repeats)
     * @param giveUpAfter age from the first attempt after which no attempt is made
     */
    public FetchPolicy(List<Duration> backoff, Duration giveUpAfter) {
        if (backoff == null || backoff.isEmpty() || backoff.stream().anyMatch(d -> d.isNegative())) {
            throw new IllegalArgumentException("INBOUND_FETCH_BACKOFF needs at least one non-negative duration");
        }
        if (giveUpAfter == null || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("INBOUND_FETCH_GIVE_UP_AFTER must not be negative");
        }
        this.backoff = List.copyOf(backoff);
        this.giveUpAfter = giveUpAfter;
    }

    /** The wait after attempt {@code attempt} (from 1). */
    public Duration backoffAfter(int attempt) {
        return backoff.get(Math.min(Math.max(attempt, 1), backoff.size()) - 1);
    }

    /**
     * The decision after a failed attempt made at {@code now}.
     *
     * @param previous the state before this attempt, or null for a first attempt
     */
    public FetchDecision afterFailure(DownloadFailure failure, FetchState previous, Instant now) {
        if (!failure.retryable()) {
            return new FetchDecision.GiveUp(failure.reason());
        }
        int attempts = (previous == null ? 0 : previous.attempts()) + 1;
        Instant first = previous == null ? now : previous.firstAttemptAt();
        Instant limit = first.plus(giveUpAfter);
        if (!now.isBefore(limit)) {
            return new FetchDecision.GiveUp(failure.reason() + " (gave up after " + attempts
                    + (attempts == 1 ? " attempt" : " attempts") + " over " + human(giveUpAfter) + ")");
        }
        Duration wait = backoffAfter(attempts);
        if (failure.retryAfter() != null && failure.retryAfter().compareTo(wait) > 0) {
            wait = failure.retryAfter();
        }
        Instant next = now.plus(wait);
        if (next.isAfter(limit)) {
            next = limit;
        }
        return new FetchDecision.RetryAt(next, failure.reason(), new FetchState(attempts, first, next, failure.reason()));
    }

    static String human(Duration d) {
        if (d.toDaysPart() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
