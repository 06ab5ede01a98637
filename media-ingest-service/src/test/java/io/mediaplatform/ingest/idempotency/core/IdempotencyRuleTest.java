package io.mediaplatform.ingest.idempotency.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyRuleTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TTL = Duration.ofHours(1);

    private static StoredKey answered(String hash) {
        return new StoredKey(hash, "id-1", "{\"answer\":1}", "token", T0, T0.plusSeconds(60));
    }

    private static StoredKey inFlight(String hash) {
        return new StoredKey(hash, "id-1", null, "token", T0, T0.plusSeconds(60));
    }

    @Test
    void the_same_request_replays_the_first_answer_and_another_request_conflicts() {
        assertThat(IdempotencyRule.decide(answered("h1"), "h1", T0.plusSeconds(1), TTL))
                .isEqualTo(new IdempotencyRule.Replay("{\"answer\":1}", "h1"));
        assertThat(IdempotencyRule.decide(answered("h1"), "h2", T0.plusSeconds(1), TTL))
                .isInstanceOf(IdempotencyRule.Conflict.class);
    }

    @Test
    void an_upload_whose_hash_is_known_only_later_gets_the_first_hash_to_compare() {
        assertThat(IdempotencyRule.decide(answered("h1"), null, T0.plusSeconds(1), TTL))
                .isEqualTo(new IdempotencyRule.Replay("{\"answer\":1}", "h1"));
    }

    @Test
    void a_first_request_in_flight_is_waited_for_until_its_lease_runs_out_then_taken_over_with_its_id() {
        assertThat(IdempotencyRule.decide(inFlight("h1"), "h1", T0.plusSeconds(30), TTL))
                .isInstanceOf(IdempotencyRule.InFlight.class);
        assertThat(IdempotencyRule.decide(inFlight(null), "h1", T0.plusSeconds(30), TTL))
                .isInstanceOf(IdempotencyRule.InFlight.class);
        assertThat(IdempotencyRule.decide(inFlight("h1"), "h1", T0.plusSeconds(61), TTL))
                .isEqualTo(new IdempotencyRule.TakeOver(true));
    }

    @Test
    void another_request_is_a_conflict_even_while_the_first_is_in_flight() {
        assertThat(IdempotencyRule.decide(inFlight("h1"), "h2", T0.plusSeconds(1), TTL))
                .isInstanceOf(IdempotencyRule.Conflict.class);
    }

    @Test
    void a_key_older_than_its_time_to_live_is_free_again_with_a_new_id() {
        assertThat(IdempotencyRule.decide(answered("h1"), "other", T0.plus(TTL), TTL))
                .isEqualTo(new IdempotencyRule.TakeOver(false));
        assertThat(IdempotencyRule.decide(inFlight("h1"), "h1", T0.plus(TTL).plusSeconds(1), TTL))
                .isEqualTo(new IdempotencyRule.TakeOver(false));
    }
}
