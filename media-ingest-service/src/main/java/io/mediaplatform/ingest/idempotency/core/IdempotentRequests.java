package io.mediaplatform.ingest.idempotency.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Carries out a request under an {@code Idempotency-Key}: the first request with a key does the work and its answer is
 * remembered (in a store every instance shares); the same request again, on any instance and after restarts, gets that
 * answer without the work being done twice; another request with the key is refused. A duplicate arriving while the
 * first is in flight waits for its answer (up to {@code inFlightWait}); if the first fails, the key is free and the
 * waiting duplicate does the work itself.
 */
public final class IdempotentRequests {

    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration inFlightWait;
    private final Duration pollEvery;

    public IdempotentRequests(IdempotencyStore store, Clock clock, Duration inFlightWait, Duration pollEvery) {
        this.store = store;
        this.clock = clock;
        this.inFlightWait = inFlightWait;
        this.pollEvery = pollEvery;
    }

    /** How answers are kept in the store. */
    public interface Codec<R> {
        String encode(R answer);

        R decode(String encoded);
    }

    /** The work of a request whose hash is known beforehand, given the resource id to create. */
    public interface Work<R> {
        R perform(String resourceId);
    }

    /** The work of an upload, whose hash (of content and fields) is known only once its body was read. */
    public interface UploadWork<R> {
        /** Reads the body and stores the media under {@code resourceId}. */
        Hashed<R> perform(String resourceId);

        /** Reads the body only, to compare it with the first request's; stores nothing. */
        String hashOnly();
    }

    /** An answer and the hash of the request that made it. */
    public record Hashed<R>(R answer, String requestHash) {
    }

    /** How it went. */
    public sealed interface Outcome<R> {
    }

    /** This request did the work. */
    public record Fresh<R>(R answer) implements Outcome<R> {
    }

    /** The first request's answer, replayed. */
    public record Replayed<R>(R answer) implements Outcome<R> {
    }

    /** The key was used for another request. */
    public record Conflicted<R>() implements Outcome<R> {
    }

    /** The first request is still in flight after the wait. */
    public record StillInFlight<R>() implements Outcome<R> {
    }

    /** A request whose hash is known before the work: the store compares it with the first request's. */
    public <R> Outcome<R> run(IdempotencyKey key, String requestHash, String proposedResourceId, Work<R> work, Codec<R> codec) {
        Objects.requireNonNull(requestHash, "requestHash");
        return claim(key, requestHash, proposedResourceId, new UploadWork<>() {
            @Override
            public Hashed<R> perform(String resourceId) {
                return new Hashed<>(work.perform(resourceId), requestHash);
            }

            @Override
            public String hashOnly() {
                return requestHash;
            }
        }, codec);
    }

    /** An upload, hashed once its body is read: a replay reads its body to compare it with the first request's. */
    public <R> Outcome<R> runUpload(IdempotencyKey key, String proposedResourceId, UploadWork<R> work, Codec<R> codec) {
        return claim(key, null, proposedResourceId, work, codec);
    }

    /** {@code requestHash}: null when known only after the work. */
    private <R> Outcome<R> claim(IdempotencyKey key, String requestHash, String proposedResourceId, UploadWork<R> work,
                                 Codec<R> codec) {
        Instant deadline = clock.instant().plus(inFlightWait);
        while (true) {
            switch (store.begin(key, requestHash, proposedResourceId)) {
                case IdempotencyStore.New claim -> {
                    Hashed<R> done = performOrAbandon(claim, () -> work.perform(claim.resourceId()));
                    store.complete(claim, done.requestHash(), codec.encode(done.answer()));
                    return new Fresh<>(done.answer());
                }
                case IdempotencyStore.Replay replay -> {
                    return work.hashOnly().equals(replay.requestHash())
                            ? new Replayed<>(codec.decode(replay.answer())) : new Conflicted<>();
                }
                case IdempotencyStore.Conflict conflict -> {
                    return new Conflicted<>();
                }
                case IdempotencyStore.InFlight inFlight -> {
                    if (!pause(deadline)) {
                        return new StillInFlight<>();
                    }
                }
            }
        }
    }

    private <T> T performOrAbandon(IdempotencyStore.New claim, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            try {
                store.abandon(claim);
            } catch (RuntimeException abandonFailed) {
                e.addSuppressed(abandonFailed); // the key stays claimed until its lease runs out
            }
            throw e;
        }
    }

    /** Waits one poll; false when the deadline has passed. */
    private boolean pause(Instant deadline) {
        if (!clock.instant().isBefore(deadline)) {
            return false;
        }
        try {
            Thread.sleep(pollEvery);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
