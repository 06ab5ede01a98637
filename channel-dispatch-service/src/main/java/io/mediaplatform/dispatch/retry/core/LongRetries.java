package io.mediaplatform.dispatch.retry.core;

import java.time.Instant;

/**
 * The long retries as the main listener sees them (ARCHITECTURE §6): whether a conversation waits on the retry topic,
 * the rounds, and handing a record over, of the type {@code R} the adapters read ({@code media.accepted.v1}'s).
 *
 * @param <R> the record forwarded
 */
public interface LongRetries<R> {

    /** Reason of a record forwarded because an earlier message of its conversation is waiting. */
    String BEHIND_EARLIER = "BEHIND_EARLIER_MESSAGE";

    /** Whether a message of that conversation is waiting on the retry topic. */
    boolean parked(String conversationKey);

    /** The rounds after the first. */
    RetryRounds rounds();

    /**
     * Hands a record to the retry topic, inside the caller's transaction, and parks its conversation.
     *
     * @param round  the round it waits for (0: behind an earlier message, due at once)
     * @param due    when that round is due
     * @param reason why (a failure code, or {@value #BEHIND_EARLIER})
     * @return what to run when that transaction does not commit: the conversation is released again
     */
    Runnable forward(R record, String key, String messageId, int round, Instant due, String reason);
}
