package io.mediaplatform.ingest.media.core;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteRangeTest {

    @Test
    void reads_closed_open_and_suffix_ranges() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).contains(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=900-", 1000)).contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-10", 1000)).contains(new ByteRange(990, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).contains(new ByteRange(0, 999));
    }

    @Test
    void clamps_a_range_running_past_the_end() {
        assertThat(ByteRange.parse("bytes=990-5000", 1000)).contains(new ByteRange(990, 999));
        assertThat(new ByteRange(990, 999).contentRange(1000)).isEqualTo("bytes 990-999/1000");
    }

    @Test
    void ignores_what_it_does_not_serve() {
        assertThat(ByteRange.parse(null, 1000)).isEmpty();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).isEqualTo(Optional.empty());
        assertThat(ByteRange.parse("items=0-1", 1000)).isEmpty();
        assertThat(ByteRange.parse("bytes=9-3", 1000)).isEmpty();
    }

    @Test
    void refuses_a_range_wholly_outside_the_content() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=1000-", 1000)).isInstanceOf(ByteRange.NotSatisfiableException.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 1000)).isInstanceOf(ByteRange.NotSatisfiableException.class);
    }
}
