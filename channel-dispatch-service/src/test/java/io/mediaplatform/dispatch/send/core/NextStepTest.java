package io.mediaplatform.dispatch.send.core;

import io.mediaplatform.dispatch.retry.core.RetryRounds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NextStepTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final RetryRounds ROUNDS = new RetryRounds(List.of(Duration.ofSeconds(30), Duration.ofMinutes(2)));
    private static final SendResult.Failed DOWN = new SendResult.Failed("503", "unavailable", true);

    @Test
    void a_send_the_provider_took_is_finished_and_reported() {
        NextStep step = NextStep.after(new SendResult.Sent("wamid.1"), 0, ROUNDS, NOW);

        assertThat(step).isEqualTo(new NextStep.Finished(new SendResult.Sent("wamid.1")));
        assertThat(step.reported()).isTrue();
    }

    @Test
    void a_refusal_that_will_not_pass_is_finished_in_any_round() {
        SendResult.Failed refused = new SendResult.Failed("131026", "Undeliverable", false);

        assertThat(NextStep.after(refused, 0, ROUNDS, NOW)).isEqualTo(new NextStep.Finished(refused));
        assertThat(NextStep.after(refused, 1, ROUNDS, NOW)).isEqualTo(new NextStep.Finished(refused));
    }

    @Test
    void a_failure_that_may_pass_waits_for_the_next_round_and_reports_nothing_yet() {
        NextStep first = NextStep.after(DOWN, 0, ROUNDS, NOW);
        NextStep second = NextStep.after(DOWN, 1, ROUNDS, NOW);

        assertThat(first).isEqualTo(new NextStep.RetryAt(1, NOW.plusSeconds(30), DOWN));
        assertThat(second).isEqualTo(new NextStep.RetryAt(2, NOW.plus(Duration.ofMinutes(2)), DOWN));
        assertThat(first.reported()).isFalse();
    }

    @Test
    void a_failure_that_may_pass_after_the_last_round_is_dead_lettered() {
        NextStep step = NextStep.after(DOWN, 2, ROUNDS, NOW);

        assertThat(step).isEqualTo(new NextStep.DeadLetter(DOWN));
        assertThat(step.reported()).isTrue();
    }

    @Test
    void without_long_retries_a_failure_that_may_pass_is_dead_lettered_at_once() {
        assertThat(NextStep.after(DOWN, 0, RetryRounds.none(), NOW)).isEqualTo(new NextStep.DeadLetter(DOWN));
    }
}
