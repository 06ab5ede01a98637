package io.mediaplatform.callback.status.core;

/** What one status event did to a message. */
public sealed interface Transition permits Transition.Advanced, Transition.HistoryOnly, Transition.Duplicate {

    /** The status the event carried. */
    Status status();

    /** Whether the event is kept in the history (and told to the client's webhooks). */
    default boolean isRecorded() {
        return !(this instanceof Duplicate);
    }

    /**
     * The current status moved forward.
     *
     * @param from the status before, null for the first status of a message
     * @param to   the new current status
     */
    record Advanced(Status from, Status to) implements Transition {
        @Override
        public Status status() {
            return to;
        }
    }

    /**
     * The status is kept in the history but the current status stays (a late or out-of-order event, or a
     * failure after delivery).
     *
     * @param current  the current status, unchanged
     * @param recorded the status added to the history
     */
    record HistoryOnly(Status current, Status recorded) implements Transition {
        @Override
        public Status status() {
            return recorded;
        }
    }

    /**
     * The status is already in the history: nothing is recorded.
     *
     * @param status the repeated status
     */
    record Duplicate(Status status) implements Transition {
    }
}
