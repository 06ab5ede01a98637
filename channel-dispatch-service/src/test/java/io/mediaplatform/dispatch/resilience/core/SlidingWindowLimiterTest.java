package io.mediaplatform.dispatch.resilience.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class SlidingWindowLimiterTest {

    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(0);

    private SlidingWindowLimiter limiter(int limit) {
        return new SlidingWindowLimiter(limit, Duration.ofMillis(25), Duration.ofMillis(250), now::get);
    }

    @Test
    void the_first_limit_calls_go_at_once_and_the_next_ones_a_second_and_the_margin_after_theirs() {
        // Given 3 calls per second with a 25 ms margin
        SlidingWindowLimiter limiter = limiter(3);

        // When 7 callers come at once
        List<Long> slots = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            slots.add(limiter.reserve(Duration.ofSeconds(5)) / MS);
        }

        // Then 3 go now, 3 at 1 025 ms, 1 at 2 050 ms
        assertThat(slots).containsExactly(0L, 0L, 0L, 1025L, 1025L, 1025L, 2050L);
    }

    @Test
    void calls_reach_a_provider_counting_fixed_seconds_at_most_limit_per_second_at_any_phase_when_answers_come_within_the_margin() {
        // Given 80 calls per second, callers arriving in irregular bursts for 20 s, each call reaching the provider a
        // random time after its slot (up to 60 ms) and answering then
        SlidingWindowLimiter limiter = limiter(80);
        Random random = new Random(42);
        List<Long> arrivals = new ArrayList<>();
        long firstSlot = -1;
        long lastSlot = 0;
        while (now.get() < 20_000 * MS) {
            int burst = random.nextInt(30);
            for (int i = 0; i < burst; i++) {
                long slot = limiter.reserve(Duration.ofSeconds(60));
                long travel = random.nextInt(60) * MS;
                arrivals.add(slot + travel);
                long at = now.get();
                now.set(Math.max(at, slot + travel));
                limiter.completed(slot);
                now.set(at);
                firstSlot = firstSlot < 0 ? slot : firstSlot;
                lastSlot = Math.max(lastSlot, slot);
            }
            now.addAndGet(random.nextInt(200) * MS);
        }

        // Then whatever the provider's phase, no second of its clock holds more than 80 arrivals
        arrivals.sort(Long::compare);
        for (int i = 80; i < arrivals.size(); i++) {
            assertThat(arrivals.get(i) - arrivals.get(i - 80)).isGreaterThanOrEqualTo(1000 * MS);
        }
        // And the margin is the longest travel seen (under 60 ms), so the rate is about limit / 1.06 s
        assertThat(limiter.margin()).isBetween(Duration.ofMillis(25), Duration.ofMillis(60));
        double perSecond = (arrivals.size() - 80) * 1e9 / (lastSlot - firstSlot);
        assertThat(perSecond).isGreaterThan(0.92 * 80);
    }

    @Test
    void a_caller_that_would_wait_longer_than_it_may_takes_no_slot() {
        // Given a limit of 1 per second, used
        SlidingWindowLimiter limiter = limiter(1);
        assertThat(limiter.reserve(Duration.ZERO)).isZero();

        // When a caller may wait 500 ms only, then another may wait 2 s
        long refused = limiter.reserve(Duration.ofMillis(500));
        long granted = limiter.reserve(Duration.ofSeconds(2));

        // Then the first is refused without taking the slot, which the second gets
        assertThat(refused).isEqualTo(Long.MIN_VALUE);
        assertThat(granted).isEqualTo(1025 * MS);
    }

    @Test
    void slow_answers_widen_the_margin_up_to_its_cap_and_fast_ones_narrow_it_again() {
        SlidingWindowLimiter limiter = limiter(10);
        // When one call answers 120 ms after its slot
        long slot = limiter.reserve(Duration.ZERO);
        now.addAndGet(120 * MS);
        limiter.completed(slot);
        assertThat(limiter.margin()).isEqualTo(Duration.ofMillis(120));
        // And one takes 2 s
        slot = limiter.reserve(Duration.ZERO);
        now.addAndGet(2000 * MS);
        limiter.completed(slot);
        assertThat(limiter.margin()).isEqualTo(Duration.ofMillis(250));
        // Then after enough fast answers it is back at its floor
        for (int i = 0; i < SlidingWindowLimiter.SAMPLES; i++) {
            limiter.completed(now.get());
        }
        assertThat(limiter.margin()).isEqualTo(Duration.ofMillis(25));
    }

    @Test
    void a_resized_limiter_remembers_the_latest_slots_so_a_change_of_limit_lets_no_burst_through() {
        // Given 3 calls at once on a limit of 3
        SlidingWindowLimiter limiter = limiter(3);
        for (int i = 0; i < 3; i++) {
            limiter.reserve(Duration.ZERO);
        }

        // When the limit drops to 2 (another instance joined): the next call waits for the window
        SlidingWindowLimiter smaller = limiter.resized(2);
        assertThat(smaller.reserve(Duration.ofSeconds(5)) / MS).isEqualTo(1025L);

        // When it grows to 5 instead: two more go at once, the sixth waits
        SlidingWindowLimiter larger = limiter.resized(5);
        assertThat(larger.limit()).isEqualTo(5);
        assertThat(larger.reserve(Duration.ofSeconds(5))).isZero();
        assertThat(larger.reserve(Duration.ofSeconds(5))).isZero();
        assertThat(larger.reserve(Duration.ofSeconds(5)) / MS).isEqualTo(1025L);
    }
}
