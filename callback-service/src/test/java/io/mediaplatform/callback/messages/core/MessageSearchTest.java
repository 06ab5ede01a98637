package io.mediaplatform.callback.messages.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageSearchTest {

    @Test
    void a_cursor_survives_the_round_trip_and_is_opaque() {
        // Given the last message of a page, with a microsecond creation time
        MessageCursor cursor = new MessageCursor(Instant.parse("2026-03-01T10:00:00.123456Z"), "msg|with-bar");

        // When it is encoded and decoded
        String token = cursor.encode();

        // Then it is URL-safe and decodes to the same place
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(MessageCursor.decode(token)).isEqualTo(cursor);
    }

    @Test
    void a_cursor_the_api_did_not_give_out_is_refused() {
        // Given / When / Then
        assertThatThrownBy(() -> MessageCursor.decode("not a cursor")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCursor.decode("aGVsbG8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reads_the_query_parameters_with_defaults() {
        // Given / When no parameters
        MessageSearch none = MessageSearch.parse(null, " ", null, null, null, null, null);

        // Then the latest 50 messages are asked for
        assertThat(none).isEqualTo(new MessageSearch(null, null, null, null, null, 50, null));

        // And given everything
        MessageSearch all = MessageSearch.parse("ext", "client", "conv", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", "100",
                new MessageCursor(Instant.parse("2026-03-01T12:00:00Z"), "m").encode());
        assertThat(all.limit()).isEqualTo(100);
        assertThat(all.from()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(all.cursor().messageId()).isEqualTo("m");
    }

    @Test
    void refuses_a_bad_limit_a_bad_time_and_an_empty_range() {
        // Given / When / Then
        assertThatThrownBy(() -> MessageSearch.parse(null, null, null, null, null, "101", null)).hasMessageContaining("limit");
        assertThatThrownBy(() -> MessageSearch.parse(null, null, null, null, null, "0", null)).hasMessageContaining("limit");
        assertThatThrownBy(() -> MessageSearch.parse(null, null, null, null, null, "ten", null)).hasMessageContaining("limit");
        assertThatThrownBy(() -> MessageSearch.parse(null, null, null, "yesterday", null, null, null)).hasMessageContaining("from");
        assertThatThrownBy(() -> MessageSearch.parse(null, null, null, "2026-03-02T00:00:00Z", "2026-03-01T00:00:00Z", null, null))
                .hasMessageContaining("before");
    }

    @Test
    void reads_a_direction_whatever_its_case_and_refuses_an_unknown_one() {
        // Given / When a search by direction
        MessageSearch inbound = MessageSearch.parse(null, null, null, null, null, null, null, " inbound ");

        // Then it is read, none means both, and an unknown one is refused naming the parameter
        assertThat(inbound.direction()).isEqualTo(MessageDirection.INBOUND);
        assertThat(MessageSearch.parse(null, null, null, null, null, null, null, "").direction()).isNull();
        assertThatThrownBy(() -> MessageSearch.parse(null, null, null, null, null, null, null, "SIDEWAYS"))
                .hasMessageContaining("direction");
    }
}
