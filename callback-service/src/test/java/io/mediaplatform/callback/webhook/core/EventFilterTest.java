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
}
