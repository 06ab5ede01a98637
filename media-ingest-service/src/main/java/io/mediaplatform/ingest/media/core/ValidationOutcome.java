package io.mediaplatform.ingest.media.core;

import java.time.Instant;

/**
 * What validation decided about a media, as shown in {@code GET /v1/media/{id}}.
 *
 * @param status              ACCEPTED, REJECTED, or PENDING while no decision is known
 * @param reason              rejection reason code (REJECTED only)
 * @param reasonMessage       human explanation (REJECTED only)
 * @param detectedContentType type detected from the bytes, when known
 * @param at                  when validation decided
 */
public record ValidationOutcome(String status, String reason, String reasonMessage, String detectedContentType, Instant at) {

    public static final String ACCEPTED = "ACCEPTED";
    public static final String REJECTED = "REJECTED";
    public static final String PENDING = "PENDING";

    /** No decision known yet. */
    public static ValidationOutcome pending() {
        return new ValidationOutcome(PENDING, null, null, null, null);
    }
}
