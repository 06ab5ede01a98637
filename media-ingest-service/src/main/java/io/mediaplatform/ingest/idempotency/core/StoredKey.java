package io.mediaplatform.ingest.idempotency.core;

import java.time.Instant;

/**
 * A key as the store holds it.
 *
 * @param requestHash sha256 of the first request (of an upload: of its content and fields); null while an upload is read
 * @param resourceId  the message or media id the first request chose
 * @param answer      the first answer, encoded; null while the first request is in flight
 * @param claimToken  who holds the claim
 * @param createdAt   when the key was first used
 * @param leaseUntil  until when an unanswered claim is presumed alive
 */
public record StoredKey(String requestHash, String resourceId, String answer, String claimToken, Instant createdAt,
                        Instant leaseUntil) {

    boolean answered() {
        return answer != null;
    }
}
