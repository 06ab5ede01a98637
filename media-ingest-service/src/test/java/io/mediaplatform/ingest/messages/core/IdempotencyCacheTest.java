package io.mediaplatform.ingest.messages.core;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyCacheTest {

    private final MutableClock clock = new MutableClock();
    private final IdempotencyCache<String> cache = new IdempotencyCache<>(2, Duration.ofHours(1), clock);

    @Test
    void the_same_key_and_body_replays_and_another_body_conflicts() {
        // Given a completed first request
        assertThat(cache.begin("t", "k", "h1")).isInstanceOf(IdempotencyCache.New.class);
        cache.complete("t", "k", "answer");

        // Then
        assertThat(cache.begin("t", "k", "h1")).isInstanceOfSatisfying(IdempotencyCache.Replay.class,
                replay -> assertThat(replay.answer().join()).isEqualTo("answer"));
        assertThat(cache.begin("t", "k", "h2")).isInstanceOf(IdempotencyCache.Conflict.class);
        assertThat(cache.begin("other-tenant", "k", "h2")).isInstanceOf(IdempotencyCache.New.class);
    }

    @Test
    void an_abandoned_key_may_be_used_again() {
        cache.begin("t", "k", "h1");
        cache.abandon("t", "k", new RuntimeException("broker down"));
        assertThat(cache.begin("t", "k", "h1")).isInstanceOf(IdempotencyCache.New.class);
    }

    @Test
    void keys_are_forgotten_when_too_many_or_too_old() {
        // Given three keys in a cache of two
        cache.begin("t", "a", "h");
        cache.begin("t", "b", "h");
        cache.begin("t", "c", "h");

        // Then the oldest is forgotten; and after the TTL all are
        assertThat(cache.begin("t", "a", "other")).isInstanceOf(IdempotencyCache.New.class);
        clock.advance(Duration.ofHours(2));
        assertThat(cache.begin("t", "c", "other")).isInstanceOf(IdempotencyCache.New.class);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
