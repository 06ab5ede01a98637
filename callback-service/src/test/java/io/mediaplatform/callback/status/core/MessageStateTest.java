package io.mediaplatform.callback.status.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.mediaplatform.callback.status.core.Status.ACCEPTED;
import static io.mediaplatform.callback.status.core.Status.DELIVERED;
import static io.mediaplatform.callback.status.core.Status.FAILED;
import static io.mediaplatform.callback.status.core.Status.QUEUED;
import static io.mediaplatform.callback.status.core.Status.READ;
import static io.mediaplatform.callback.status.core.Status.REJECTED;
import static io.mediaplatform.callback.status.core.Status.SENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageStateTest {

    private static final List<Status> HAPPY_PATH = List.of(ACCEPTED, QUEUED, SENT, DELIVERED, READ);

    /** Every one of the 120 orders in which the five happy-path statuses can arrive. */
    static Stream<Arguments> everyArrivalOrder() {
        List<List<Status>> orders = new ArrayList<>();
        permute(new ArrayList<>(HAPPY_PATH), 0, orders);
        return orders.stream().map(order -> Arguments.of(order));
    }

    private static void permute(List<Status> items, int from, List<List<Status>> out) {
        if (from == items.size()) {
            out.add(List.copyOf(items));
            return;
        }
        for (int i = from; i < items.size(); i++) {
            java.util.Collections.swap(items, from, i);
            permute(items, from + 1, out);
            java.util.Collections.swap(items, from, i);
        }
    }

    private static MessageState play(MessageState state, List<Status> statuses, List<Transition> seen) {
        for (Status status : statuses) {
            Transition transition = state.apply(status);
            seen.add(transition);
            state = state.after(transition);
        }
        return state;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyArrivalOrder")
    void ends_READ_with_the_whole_history_whatever_the_arrival_order(List<Status> order) {
        // Given a new message
        List<Transition> transitions = new ArrayList<>();

        // When the five happy-path statuses arrive in this order
        MessageState end = play(MessageState.initial(), order, transitions);

        // Then the current status is READ, every status is in the history once
        assertThat(end.current()).isEqualTo(READ);
        assertThat(end.history()).containsExactlyInAnyOrderElementsOf(HAPPY_PATH);
        assertThat(transitions).noneMatch(t -> t instanceof Transition.Duplicate);
        // And a status advanced the message exactly when it was later than every status before it
        Status highest = null;
        for (int i = 0; i < order.size(); i++) {
            Status status = order.get(i);
            Transition transition = transitions.get(i);
            if (highest == null || status.isAfter(highest)) {
                assertThat(transition).isEqualTo(new Transition.Advanced(highest, status));
                highest = status;
            } else {
                assertThat(transition).isEqualTo(new Transition.HistoryOnly(highest, status));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyArrivalOrder")
    void never_moves_the_current_status_backward(List<Status> order) {
        // Given a new message
        MessageState state = MessageState.initial();
        Status previous = null;
        // When the statuses arrive in this order
        for (Status status : order) {
            state = state.after(state.apply(status));
            // Then after each one the current status is the latest so far on the path
            if (previous != null) {
                assertThat(state.current() == previous || state.current().isAfter(previous)).isTrue();
            }
            previous = state.current();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyArrivalOrder")
    void treats_every_repeated_status_as_a_duplicate(List<Status> order) {
        // Given a message that has had every happy-path status in this order
        MessageState state = play(MessageState.initial(), order, new ArrayList<>());

        // When each status arrives again
        for (Status status : order) {
            Transition transition = state.apply(status);
            // Then it is a duplicate and nothing changes
            assertThat(transition).isEqualTo(new Transition.Duplicate(status));
            assertThat(transition.isRecorded()).isFalse();
            assertThat(state.after(transition)).isEqualTo(state);
        }
    }

    @Test
    void replays_the_transitions_of_a_history_in_arrival_order() {
        // Given a history recorded as SENT (first, before ACCEPTED), ACCEPTED, READ, DELIVERED
        List<Status> arrival = List.of(SENT, ACCEPTED, READ, DELIVERED);

        // When it is replayed
        List<Transition> transitions = MessageState.replay(arrival);

        // Then each status has the transition it had when it was recorded
        assertThat(transitions).containsExactly(new Transition.Advanced(null, SENT), new Transition.HistoryOnly(SENT, ACCEPTED),
                new Transition.Advanced(SENT, READ), new Transition.HistoryOnly(READ, DELIVERED));
    }

    @Test
    void keeps_a_late_DELIVERED_after_READ_in_history_only() {
        // Given a message that was read without a DELIVERED first
        MessageState state = play(MessageState.initial(), List.of(ACCEPTED, SENT, READ), new ArrayList<>());

        // When DELIVERED arrives late
        Transition transition = state.apply(DELIVERED);

        // Then it is kept in history and READ stays current
        assertThat(transition).isEqualTo(new Transition.HistoryOnly(READ, DELIVERED));
        MessageState after = state.after(transition);
        assertThat(after.current()).isEqualTo(READ);
        assertThat(after.history()).contains(DELIVERED);
    }

    @Test
    void takes_the_first_status_whatever_it_is_even_before_ACCEPTED() {
        // Given a message whose SENT arrived before its ACCEPTED
        MessageState state = MessageState.initial();
        Transition first = state.apply(SENT);
        state = state.after(first);

        // When ACCEPTED arrives
        Transition second = state.apply(ACCEPTED);

        // Then SENT advanced from nothing and ACCEPTED is history only
        assertThat(first).isEqualTo(new Transition.Advanced(null, SENT));
        assertThat(second).isEqualTo(new Transition.HistoryOnly(SENT, ACCEPTED));
    }

    @ParameterizedTest
    @EnumSource(value = Status.class, names = {"ACCEPTED", "QUEUED", "SENT"})
    void lets_FAILED_end_a_message_that_has_not_reached_the_recipient(Status current) {
        // Given a message at a status before delivery
        MessageState state = play(MessageState.initial(), HAPPY_PATH.subList(0, HAPPY_PATH.indexOf(current) + 1), new ArrayList<>());

        // When FAILED arrives
        Transition transition = state.apply(FAILED);

        // Then FAILED becomes current
        assertThat(transition).isEqualTo(new Transition.Advanced(current, FAILED));
    }

    @ParameterizedTest
    @EnumSource(value = Status.class, names = {"DELIVERED", "READ"})
    void keeps_FAILED_after_delivery_in_history_only(Status current) {
        // Given a message that reached the recipient
        MessageState state = play(MessageState.initial(), HAPPY_PATH.subList(0, HAPPY_PATH.indexOf(current) + 1), new ArrayList<>());

        // When FAILED arrives
        Transition transition = state.apply(FAILED);

        // Then it is history only
        assertThat(transition).isEqualTo(new Transition.HistoryOnly(current, FAILED));
    }

    @ParameterizedTest
    @EnumSource(value = Status.class, names = {"ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ", "FAILED"})
    void never_moves_on_from_REJECTED(Status later) {
        // Given a rejected message
        MessageState state = play(MessageState.initial(), List.of(REJECTED), new ArrayList<>());

        // When any other status arrives
        Transition transition = state.apply(later);

        // Then REJECTED stays current
        assertThat(transition).isEqualTo(new Transition.HistoryOnly(REJECTED, later));
    }

    @Test
    void never_moves_on_from_FAILED() {
        // Given a message that failed after being sent
        MessageState state = play(MessageState.initial(), List.of(ACCEPTED, SENT, FAILED), new ArrayList<>());

        // When a late DELIVERED and READ arrive
        List<Transition> transitions = new ArrayList<>();
        MessageState end = play(state, List.of(DELIVERED, READ), transitions);

        // Then FAILED stays current and both are history
        assertThat(end.current()).isEqualTo(FAILED);
        assertThat(transitions).containsExactly(new Transition.HistoryOnly(FAILED, DELIVERED), new Transition.HistoryOnly(FAILED, READ));
    }

    @Test
    void refuses_an_inconsistent_state() {
        // Given / When / Then a current status missing from the history is refused
        assertThatThrownBy(() -> new MessageState(READ, Set.of(ACCEPTED))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageState(null, EnumSet.of(ACCEPTED))).isInstanceOf(IllegalArgumentException.class);
    }
}
