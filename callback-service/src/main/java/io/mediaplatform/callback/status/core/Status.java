package io.mediaplatform.callback.status.core;

/**
 * Delivery status of a message (docs/ARCHITECTURE.md §6): the progress ACCEPTED → QUEUED → SENT → DELIVERED → READ, and the
 * ends REJECTED and FAILED.
 */
public enum Status {
    ACCEPTED(1), QUEUED(2), SENT(3), DELIVERED(4), READ(5),
    /** Refused by validation: the message is never sent. */
    REJECTED(-1),
    /** The provider could not deliver it. */
    FAILED(-1);

    private final int rank;

    Status(int rank) {
        this.rank = rank;
    }

    /** Whether this status is an end (REJECTED, FAILED): nothing moves the current status on from it. */
    public boolean isEnd() {
        return rank < 0;
    }

    /** Whether the message has reached the recipient (DELIVERED or READ): a later failure cannot undo that. */
    public boolean hasReachedRecipient() {
        return this == DELIVERED || this == READ;
    }

    /** Whether this status comes after {@code other} on the progress path; false when either is an end. */
    public boolean isAfter(Status other) {
        return !isEnd() && !other.isEnd() && rank > other.rank;
    }
}
