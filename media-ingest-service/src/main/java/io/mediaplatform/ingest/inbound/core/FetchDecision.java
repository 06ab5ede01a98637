package io.mediaplatform.ingest.inbound.core;

import io.mediaplatform.ingest.media.core.MediaInfo;

import java.time.Instant;

/** What becomes of one customer media after a download attempt. */
public sealed interface FetchDecision {

    /**
     * The media is stored under its media id: announce it.
     *
     * @param media     the stored media
     * @param existed   true when it was already stored (a redelivery, a webhook delivered twice): nothing was downloaded
     */
    record Stored(MediaInfo media, boolean existed) implements FetchDecision {
    }

    /**
     * Try again not before {@code at}.
     *
     * @param state the fetch state to carry to the next attempt ({@code state.nextAttemptAt() == at})
     */
    record RetryAt(Instant at, String reason, FetchState state) implements FetchDecision {
    }

    /** Stop: announce the media as not fetchable, with {@code reason} for the client. */
    record GiveUp(String reason) implements FetchDecision {
    }
}
