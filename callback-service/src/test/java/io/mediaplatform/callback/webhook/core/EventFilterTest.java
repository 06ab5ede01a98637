package io.mediaplatform.callback.webhook.core;

import io.mediaplatform.callback.status.core.Status;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFilterTest {

    @Test
    void no_filter_means_every_status() {
        // Given / When no events are given
        EventFilter filter = EventFilter.parse(null);

        // Then every status matches
        assertThat(filter.entries()).containsExactly("message.status.updated");
        assertThat(Arrays.stream(Status.values())).allMatch(filter::matches);
        assertThat(EventFilter.parse(List.of())).isEqualTo(EventFilter.ALL);
    }

    @Test
    void a_status_list_matches_only_those_statuses_whatever_their_case() {
        // Given a filter of statuses in mixed case, one repeated
        EventFilter filter = EventFilter.parse(List.of("delivered", " READ ", "FAILED", "read"));

        // Then it is normalised and matches only them
        assertThat(filter.entries()).containsExactly("DELIVERED", "READ", "FAILED");
        assertThat(filter.matches(Status.READ)).isTrue();
        assertThat(filter.matches(Status.FAILED)).isTrue();
        assertThat(filter.matches(Status.SENT)).isFalse();
        assertThat(filter.matches(Status.ACCEPTED)).isFalse();
    }

    @Test
    void the_event_type_next_to_statuses_still_matches_everything() {
        // Given the event type and a status
        EventFilter filter = EventFilter.parse(List.of("READ", "message.status.updated"));

        // Then every status matches
        assertThat(filter.matches(Status.QUEUED)).isTrue();
    }

    @Test
    void rejects_an_unknown_event_naming_it() {
        // Given / When / Then an entry that is neither the event type nor a status is refused
        assertThatThrownBy(() -> EventFilter.parse(List.of("READ", "OPENED")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENED");
    }

    @Test
    void no_filter_also_takes_message_received_and_is_stored_as_no_entry() {
        // Given / When no events are given
        EventFilter filter = EventFilter.parse(null);

        // Then inbound messages match too, and it is kept as an empty filter that reads back the same
        assertThat(filter.matchesMessageReceived()).isTrue();
        assertThat(filter.stored()).isEmpty();
        assertThat(EventFilter.parse(filter.stored())).isEqualTo(filter);
    }

    @Test
    void the_status_event_type_or_statuses_do_not_take_message_received() {
        // Given filters of the status event type, and of statuses
        EventFilter allStatuses = EventFilter.parse(List.of("message.status.updated"));
        EventFilter someStatuses = EventFilter.parse(List.of("ACCEPTED", "REJECTED"));

        // Then neither takes an inbound message, and they are stored as given
        assertThat(allStatuses.matchesMessageReceived()).isFalse();
        assertThat(allStatuses.matches(Status.READ)).isTrue();
        assertThat(allStatuses.stored()).containsExactly("message.status.updated");
        assertThat(someStatuses.matchesMessageReceived()).isFalse();
        assertThat(EventFilter.parse(allStatuses.stored())).isEqualTo(allStatuses);
    }

    @Test
    void message_received_whatever_its_case_takes_inbound_messages_and_no_status_unless_named() {
        // Given message.received alone, and next to a status
        EventFilter received = EventFilter.parse(List.of(" Message.Received "));
        EventFilter receivedAndRead = EventFilter.parse(List.of("message.received", "read"));

        // Then it takes inbound messages, and statuses only as named
        assertThat(received.entries()).containsExactly("message.received");
        assertThat(received.matchesMessageReceived()).isTrue();
        assertThat(Arrays.stream(Status.values())).noneMatch(received::matches);
        assertThat(receivedAndRead.matches(Status.READ)).isTrue();
        assertThat(receivedAndRead.matches(Status.SENT)).isFalse();
        assertThat(receivedAndRead.matchesMessageReceived()).isTrue();
    }
}
