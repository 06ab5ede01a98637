package io.mediaplatform.ingest.idempotency.core;

import java.time.Duration;
import java.time.Instant;

/**
 * What a request gets whose key is already stored. A key is bound to the hash of its first request: the same request
 * again gets the first answer, another request with the key is a conflict. A key older than its time to live is free
 * again (with a new resource id); a claim whose request died before answering (its lease ran out) is taken over with
 * the <em>same</em> resource id, so a message published just before the crash is not sent under a second id.
 */
public final class IdempotencyRule {

    private IdempotencyRule() {
    }

    /** The decision. */
    public sealed interface Decision {
    }

    /** Claim the key afresh; {@code keepResourceId}: reuse the stored id (the first request died unanswered). */
    public record TakeOver(boolean keepResourceId) implements Decision {
    }

    /** The first request's answer; {@code requestHash} is the first request's, for a caller that hashes later. */
    public record Replay(String answer, String requestHash) implements Decision {
    }

    /** The key was used for another request. */
    public record Conflict() implements Decision {
    }

    /** The first request is still being carried out. */
    public record InFlight() implements Decision {
    }

    /**
     * @param stored      the stored key
     * @param requestHash this request's hash, or null when it is known only after the work (uploads)
     * @param now         the time
     * @param ttl         how long a key is remembered
     */
    public static Decision decide(StoredKey stored, String requestHash, Instant now, Duration ttl) {
        if (!stored.createdAt().plus(ttl).isAfter(now)) {
            return new TakeOver(false);
        }
        boolean sameRequest = requestHash == null || stored.requestHash() == null || requestHash.equals(stored.requestHash());
        if (!sameRequest) {
            return new Conflict();
        }
        if (stored.answered()) {
            return new Replay(stored.answer(), stored.requestHash());
        }
        return stored.leaseUntil().isAfter(now) ? new InFlight() : new TakeOver(true);
    }
}
