package io.mediaplatform.dispatch.webhook.core;

import io.mediaplatform.dispatch.webhook.core.ReplayGuard.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayGuardTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final List<String> published = new ArrayList<>();

    @Test
    void takes_an_event_once_and_answers_replay_to_the_same_event_again() {
        // Given a guard
        ReplayGuard guard = new ReplayGuard(Duration.ofHours(24), 100, clock);

        // When the same event comes twice, and another one after it
        Verdict first = guard.once("whatsapp|m1|DELIVERED", () -> published.add("m1 delivered"));
        Verdict second = guard.once("whatsapp|m1|DELIVERED", () -> published.add("m1 delivered"));
        Verdict other = guard.once("whatsapp|m1|READ", () -> published.add("m1 read"));

        // Then the first and the other one ran, the repeat did not
        assertThat(first).isEqualTo(Verdict.FIRST);
        assertThat(second).isEqualTo(Verdict.REPLAY);
        assertThat(other).isEqualTo(Verdict.FIRST);
        assertThat(published).containsExactly("m1 delivered", "m1 read");
    }

    @Test
    void forgets_an_event_when_its_window_has_passed() {
        // Given an event taken by a guard with a one hour window
        ReplayGuard guard = new ReplayGuard(Duration.ofHours(1), 100, clock);
        guard.once("e1", () -> published.add("e1"));

        // When just under the window has passed, it is still a replay
        clock.advance(Duration.ofMinutes(59));
        assertThat(guard.once("e1", () -> published.add("e1"))).isEqualTo(Verdict.REPLAY);

        // When the window has passed, it is forgotten and taken again
        clock.advance(Duration.ofMinutes(1));
        assertThat(guard.seen("e1")).isFalse();
        assertThat(guard.size()).isZero();
        assertThat(guard.once("e1", () -> published.add("e1"))).isEqualTo(Verdict.FIRST);
        assertThat(published).containsExactly("e1", "e1");
    }

    @Test
    void expires_older_events_first_and_keeps_the_younger_ones() {
        // Given two events taken half an hour apart, with a one hour window
        ReplayGuard guard = new ReplayGuard(Duration.ofHours(1), 100, clock);
        guard.once("old", () -> { });
        clock.advance(Duration.ofMinutes(30));
        guard.once("young", () -> { });

        // When the older one's window has passed
        clock.advance(Duration.ofMinutes(31));

        // Then only the younger one is remembered
        assertThat(guard.seen("old")).isFalse();
        assertThat(guard.seen("young")).isTrue();
        assertThat(guard.size()).isEqualTo(1);
    }

    @Test
    void stays_within_its_bound_by_forgetting_the_oldest_events_first() {
        // Given a guard that remembers at most three events
        ReplayGuard guard = new ReplayGuard(Duration.ofHours(24), 3, clock);

        // When five different events are taken
        for (int i = 1; i <= 5; i++) {
            guard.once("e" + i, () -> { });
        }

        // Then the three newest are remembered, the two oldest were forgotten (and counted)
        assertThat(guard.size()).isEqualTo(3);
        assertThat(guard.seen("e1")).isFalse();
        assertThat(guard.seen("e2")).isFalse();
        assertThat(guard.seen("e3")).isTrue();
        assertThat(guard.seen("e5")).isTrue();
        assertThat(guard.evictedForSpace()).isEqualTo(2);
        // And a forgotten event is taken again
        assertThat(guard.once("e1", () -> { })).isEqualTo(Verdict.FIRST);
    }

    @Test
    void does_not_remember_an_event_whose_publishing_failed_so_the_providers_retry_is_taken() {
        // Given a guard and a publish that fails once
        ReplayGuard guard = new ReplayGuard(Duration.ofHours(24), 100, clock);
        AtomicInteger attempts = new AtomicInteger();
        Runnable publish = () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("broker unavailable");
            }
            published.add("e1");
        };

        // When the event comes and its publishing fails
        assertThatThrownBy(() -> guard.once("e1", publish)).hasMessage("broker unavailable");

        // Then it is not remembered, and the provider's retry publishes it
        assertThat(guard.seen("e1")).isFalse();
        assertThat(guard.once("e1", publish)).isEqualTo(Verdict.FIRST);
        assertThat(published).containsExactly("e1");
        assertThat(guard.once("e1", publish)).isEqualTo(Verdict.REPLAY);
    }

    @Test
    void answers_in_progress_to_the_same_event_while_it_is_being_published() {
        // Given an event being published right now
        ReplayGuard guard = new ReplayGuard(Duration.ofHours(24), 100, clock);
        List<Verdict> during = new ArrayList<>();

        // When the same event comes while the first one's publishing runs
        guard.once("e1", () -> during.add(guard.once("e1", () -> published.add("twice"))));

        // Then the second one is neither published nor taken as a replay yet
        assertThat(during).containsExactly(Verdict.IN_PROGRESS);
        assertThat(published).isEmpty();
        assertThat(guard.seen("e1")).isTrue();
    }

    @Test
    void keys_built_from_different_parts_never_collide() {
        // When keys are built from parts that would read the same if simply joined
        // Then they differ
        assertThat(ReplayGuard.key("a|b", "c")).isNotEqualTo(ReplayGuard.key("a", "b|c"));
        assertThat(ReplayGuard.key("ab", null)).isNotEqualTo(ReplayGuard.key("a", "b"));
        assertThat(ReplayGuard.key("x", null)).isEqualTo(ReplayGuard.key("x", ""));
    }

    @Test
    void refuses_a_window_or_bound_that_is_not_positive() {
        // Then nonsense settings fail at start, not at the first webhook
        assertThatThrownBy(() -> new ReplayGuard(Duration.ZERO, 10, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplayGuard(Duration.ofHours(1), 0, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A clock that moves only when told. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
