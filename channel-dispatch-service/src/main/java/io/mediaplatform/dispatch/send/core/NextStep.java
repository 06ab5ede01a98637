package io.mediaplatform.dispatch.send.core;

import io.mediaplatform.dispatch.retry.core.RetryRounds;

import java.time.Instant;
import java.util.Optional;

/**
 * What follows a round of a send, decided here once for the main topic and the retry topic alike: the send is
 * {@link Finished} (SENT, or FAILED for a reason that will not pass), waits for a later round ({@link RetryAt}), or
 * spent every round on a failure that might have passed ({@link DeadLetter}: FAILED, and its record copied to the
 * {@code .dlt} for an operator).
 */
public sealed interface NextStep {

    /** The outcome is final: SENT, or FAILED for a reason no later round would change. */
    record Finished(SendResult result) implements NextStep {
    }

    /** The failure may pass: the send waits for {@code round}, due at {@code due}; no status until then. */
    record RetryAt(int round, Instant due, SendResult.Failed failed) implements NextStep {
    }

    /** The failure might have passed, but no round is left: FAILED, and the record kept on the {@code .dlt}. */
    record DeadLetter(SendResult.Failed failed) implements NextStep {
    }

    /**
     * The step after {@code round} (0: the first, in-place attempts on the main topic) ended with {@code result} at
     * {@code now}, given the long-retry rounds configured.
     */
    static NextStep after(SendResult result, int round, RetryRounds rounds, Instant now) {
        return switch (result) {
            case SendResult.Sent sent -> new Finished(sent);
            case SendResult.Failed failed when !failed.retryable() -> new Finished(failed);
            case SendResult.Failed failed -> {
                Optional<Instant> next = rounds.nextAfter(round, now);
                yield next.<NextStep>map(due -> new RetryAt(round + 1, due, failed)).orElseGet(() -> new DeadLetter(failed));
            }
        };
    }

    /** Whether a FAILED or SENT status is published now (not while the send waits for a later round). */
    default boolean reported() {
        return !(this instanceof RetryAt);
    }
}
