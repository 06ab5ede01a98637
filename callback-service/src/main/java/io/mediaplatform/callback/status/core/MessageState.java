package io.mediaplatform.callback.status.core;

import java.util.Collections;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The status state machine of one message: its current status and the statuses in its history.
 *
 * <p>Rules (docs/ARCHITECTURE.md §6):
 * <ul>
 *   <li>a status already in the history is a {@link Transition.Duplicate} and is not recorded again;</li>
 *   <li>the first status of a message becomes current, whatever it is (statuses may arrive before ACCEPTED);</li>
 *   <li>once the current status is an end (REJECTED, FAILED), later statuses are history only;</li>
 *   <li>an end arriving while the message has not reached the recipient becomes current; after DELIVERED or
 *       READ it is history only;</li>
 *   <li>a progress status becomes current only when it comes after the current one; an older one
 *       (DELIVERED after READ) is history only.</li>
 * </ul>
 *
 * @param current the current status, null when the message has none yet
 * @param history the statuses recorded so far
 */
public record MessageState(Status current, Set<Status> history) {

    public MessageState {
        history = history.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Status.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(history));
        if (current == null && !history.isEmpty()) {
            throw new IllegalArgumentException("a message with a history has a current status");
        }
        if (current != null && !history.contains(current)) {
            throw new IllegalArgumentException("the current status " + current + " is not in the history " + history);
        }
    }

    /** A message with no status yet. */
    public static MessageState initial() {
        return new MessageState(null, Set.of());
    }

    /**
     * The transitions the recorded statuses of a message made, replayed from a message with no status, in the
     * order they were recorded (arrival order). Every one is recorded (none is a duplicate) when the list holds
     * each status once, as a history does.
     */
    public static List<Transition> replay(List<Status> arrivalOrder) {
        List<Transition> transitions = new ArrayList<>(arrivalOrder.size());
        MessageState state = initial();
        for (Status status : arrivalOrder) {
            Transition transition = state.apply(status);
            transitions.add(transition);
            state = state.after(transition);
        }
        return transitions;
    }

    /** What an event carrying {@code incoming} does to this message. */
    public Transition apply(Status incoming) {
        Objects.requireNonNull(incoming, "incoming");
        if (history.contains(incoming)) {
            return new Transition.Duplicate(incoming);
        }
        if (current == null) {
            return new Transition.Advanced(null, incoming);
        }
        if (current.isEnd()) {
            return new Transition.HistoryOnly(current, incoming);
        }
        if (incoming.isEnd()) {
            return current.hasReachedRecipient() ? new Transition.HistoryOnly(current, incoming)
                    : new Transition.Advanced(current, incoming);
        }
        return incoming.isAfter(current) ? new Transition.Advanced(current, incoming)
                : new Transition.HistoryOnly(current, incoming);
    }

    /** The state after a transition computed by {@link #apply(Status)} on this state. */
    public MessageState after(Transition transition) {
        return switch (transition) {
            case Transition.Duplicate d -> this;
            case Transition.HistoryOnly h -> new MessageState(current, with(h.recorded()));
            case Transition.Advanced a -> new MessageState(a.to(), with(a.to()));
        };
    }

    private Set<Status> with(Status status) {
        EnumSet<Status> next = history.isEmpty() ? EnumSet.noneOf(Status.class) : EnumSet.copyOf(history);
        next.add(status);
        return next;
    }
}
