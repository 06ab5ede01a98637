package io.mediaplatform.ingest.idempotency.core;

/** Where keys live: one store seen by every instance, kept across restarts. */
public interface IdempotencyStore {

    /** What {@link #begin} found. */
    sealed interface Claim {
    }

    /** The key is this request's: do the work under {@code resourceId}, then {@link #complete} or {@link #abandon}. */
    record New(IdempotencyKey key, String token, String resourceId) implements Claim {
    }

    /** The first request's answer, and its hash. */
    record Replay(String answer, String requestHash) implements Claim {
    }

    /** The key was used for another request. */
    record Conflict() implements Claim {
    }

    /** The first request is still in flight (perhaps on another instance). */
    record InFlight() implements Claim {
    }

    /**
     * Claims {@code key} for a request hashing to {@code requestHash} (null when known only after the work).
     *
     * @param proposedResourceId the id this request would create, used unless it inherits a dead claim's
     */
    Claim begin(IdempotencyKey key, String requestHash, String proposedResourceId);

    /** Remembers the answer; false when the claim was lost meanwhile (its lease ran out and another took it). */
    boolean complete(New claim, String requestHash, String answer);

    /** Forgets a claim whose work failed, so the same key may be sent again. */
    void abandon(New claim);
}
