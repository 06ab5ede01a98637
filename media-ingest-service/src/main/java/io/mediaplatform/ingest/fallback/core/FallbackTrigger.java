package io.mediaplatform.ingest.fallback.core;

import java.util.Objects;

/**
 * How an attempt ended, as far as fallback cares: FAILED on {@code message.status.v1} (dispatch's final failure, or a
 * provider's after SENT) or REJECTED on {@code media.rejected.v1}.
 *
 * @param outcome       FAILED or REJECTED
 * @param reason        the reason code (e.g. TOO_LARGE, CHANNEL_NOT_CONFIGURED, a provider's code), may be null
 * @param storedMediaId the media the attempt used, when the platform holds its bytes (null when they could not be
 *                      fetched)
 */
public record FallbackTrigger(Outcome outcome, String reason, String storedMediaId) {

    /** The ends of an attempt that lead to the next channel. */
    public enum Outcome { FAILED, REJECTED }

    public FallbackTrigger {
        Objects.requireNonNull(outcome, "outcome");
    }
}
