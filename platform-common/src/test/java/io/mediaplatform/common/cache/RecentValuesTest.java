package io.mediaplatform.common.cache;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RecentValuesTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void answers_a_value_put_within_the_ttl_and_forgets_it_after() {
        // Given a value kept for 30 s
        RecentValues<String, String> recent = new RecentValues<>(10, Duration.ofSeconds(30), v -> 1, now::get);
        recent.put("k", "v");

        // When 29 s have passed it is known; when 30 s have, it is not, and weighs nothing any more
        now.set(Duration.ofSeconds(29).toNanos());
        assertThat(recent.get("k")).contains("v");
        now.set(Duration.ofSeconds(30).toNanos());
        assertThat(recent.get("k")).isEmpty();
        assertThat(recent.weight()).isZero();
    }

    @Test
    void keeps_at_most_its_capacity_by_weight_pushing_out_the_least_recently_used() {
        // Given room for 10 bytes, with a (4) used after b (4)
        RecentValues<String, byte[]> recent = new RecentValues<>(10, Duration.ofMinutes(1), v -> v.length, now::get);
        recent.put("a", new byte[4]);
        recent.put("b", new byte[4]);
        recent.get("a");

        // When c (4) arrives
        recent.put("c", new byte[4]);

        // Then b is the one pushed out, and the weight is what is kept
        assertThat(recent.get("b")).isEmpty();
        assertThat(recent.get("a")).isPresent();
        assertThat(recent.get("c")).isPresent();
        assertThat(recent.weight()).isEqualTo(8);
    }

    @Test
    void does_not_keep_a_value_heavier_than_the_capacity_and_replaces_one_under_the_same_key() {
        RecentValues<String, byte[]> recent = new RecentValues<>(10, Duration.ofMinutes(1), v -> v.length, now::get);
        recent.put("small", new byte[3]);
        recent.put("huge", new byte[11]);
        recent.put("small", new byte[5]);

        assertThat(recent.get("huge")).isEmpty();
        assertThat(recent.get("small")).map(v -> v.length).contains(5);
        assertThat(recent.weight()).isEqualTo(5);
    }

    @Test
    void forgets_on_request_and_keeps_nothing_when_turned_off() {
        RecentValues<String, String> recent = RecentValues.counted(10, Duration.ofMinutes(1));
        recent.put("k", "v");
        recent.forget("k");
        assertThat(recent.get("k")).isEmpty();

        RecentValues<String, String> off = RecentValues.counted(0, Duration.ofMinutes(1));
        off.put("k", "v");
        assertThat(off.enabled()).isFalse();
        assertThat(off.get("k")).isEmpty();
    }
}
