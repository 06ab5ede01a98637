package io.mediaplatform.ingest.inbound.core;

import java.time.Instant;

/**
 * Where the download of one customer media stands between attempts (travels as {@code InboundFetchState}).
 *
 * @param attempts       attempts made so far
 * @param firstAttemptAt when the first attempt was made; the give-up age counts from here
 * @param nextAttemptAt  not before this is the next attempt made
 * @param lastFailure    why the last attempt failed, or null
 */
public record FetchState(int attempts, Instant firstAttemptAt, Instant nextAttemptAt, String lastFailure) {

    /** Whether the next attempt is still ahead at {@code now}. */
    public boolean waiting(Instant now) {
        return nextAttemptAt.isAfter(now);
    }
}
