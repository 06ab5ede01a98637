package io.mediaplatform.dispatch.retry.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryProbesTest {

    private static final Instant FAILED = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant ROUND_DUE = FAILED.plus(Duration.ofMinutes(10));

    private final RetryProbes probes = new RetryProbes(Duration.ofSeconds(5));
    private final ProviderHealth health = new ProviderHealth();

    @Test
    void a_provider_that_came_back_after_the_last_attempt_releases_the_message_at_once() {
        // Given a provider down (two sends failed in a row) when the message failed, then taking a send
        health.failed("whatsapp", FAILED.minusSeconds(2));
        health.failed("whatsapp", FAILED);
        Instant back = FAILED.plusSeconds(90);
        health.succeeded("whatsapp", back);

        // Then the message is tried when the provider was back, not at its round
        assertThat(probes.nextAttempt(ROUND_DUE, FAILED, health.of("whatsapp"))).isEqualTo(back);
    }

    @Test
    void a_circuit_closing_again_releases_the_message_at_once() {
        // Given the circuit opened, then closed again after the message's last attempt
        health.circuitOpened("twilio", FAILED.minusSeconds(1), FAILED.plusSeconds(29));
        Instant closed = FAILED.plusSeconds(31);
        health.circuitClosed("twilio", closed);

        // Then the message is due at once
        assertThat(probes.nextAttempt(ROUND_DUE, FAILED, health.of("twilio"))).isEqualTo(closed);
    }

    @Test
    void a_recovery_whose_circuit_opened_again_releases_the_message_when_the_circuit_lets_calls_through() {
        // Given the provider took a send after being down, but the circuit opened again right then for 2 s
        health.circuitOpened("whatsapp", FAILED.minusSeconds(1), FAILED.plusSeconds(1));
        Instant back = FAILED.plusSeconds(10);
        health.circuitOpened("whatsapp", back, back.plusSeconds(2));
        health.succeeded("whatsapp", back);

        // Then the message goes when the circuit lets a call through, not into the open circuit
        assertThat(probes.nextAttempt(ROUND_DUE, FAILED, health.of("whatsapp"))).isEqualTo(back.plusSeconds(2));

        // And a circuit closing is a recovery whatever came before it
        Instant refused = back.plusMillis(100);
        health.circuitHalfOpen("whatsapp", back.plusSeconds(2));
        health.succeeded("whatsapp", back.plusSeconds(2));
        health.circuitClosed("whatsapp", back.plusSeconds(3));
        assertThat(probes.nextAttempt(ROUND_DUE, refused, health.of("whatsapp"))).isEqualTo(back.plusSeconds(3));
    }

    @Test
    void a_recovery_before_the_last_attempt_does_not_release_it_again() {
        // Given the provider came back, and the message failed again after that
        health.circuitOpened("twilio", FAILED.minusSeconds(60), FAILED.minusSeconds(30));
        health.circuitClosed("twilio", FAILED.minusSeconds(20));

        // Then it is probed on the interval, not at once
        assertThat(probes.nextAttempt(ROUND_DUE, FAILED, health.of("twilio"))).isEqualTo(FAILED.plusSeconds(5));
    }

    @Test
    void a_provider_that_has_taken_nothing_since_is_probed_on_the_interval() {
        // Given nothing known, or only failures
        health.failed("whatsapp", FAILED);

        // Then the message is probed 5 s after its last attempt
        assertThat(probes.nextAttempt(ROUND_DUE, FAILED, ProviderHealth.Health.UNKNOWN)).isEqualTo(FAILED.plusSeconds(5));
        assertThat(probes.nextAttempt(ROUND_DUE, FAILED, health.of("whatsapp"))).isEqualTo(FAILED.plusSeconds(5));
    }

    @Test
    void no_probe_while_the_circuit_refuses_calls() {
        // Given the circuit open until 30 s after the message failed
        health.circuitOpened("whatsapp", FAILED, FAILED.plusSeconds(30));

        // Then the probe waits for the circuit, and goes on the interval once it is half-open
        assertThat(probes.nextAttempt(ROUND_DUE, FAILED, health.of("whatsapp"))).isEqualTo(FAILED.plusSeconds(30));
        health.circuitHalfOpen("whatsapp", FAILED.plusSeconds(30));
        assertThat(probes.nextAttempt(ROUND_DUE, FAILED, health.of("whatsapp"))).isEqualTo(FAILED.plusSeconds(5));
    }

    @Test
    void a_message_failing_alone_while_its_provider_takes_other_sends_waits_for_its_round() {
        // Given a healthy provider: the message failed alone (its own 5xx), others went out after it
        health.succeeded("whatsapp", FAILED.minusSeconds(1));
        health.failed("whatsapp", FAILED);
        health.succeeded("whatsapp", FAILED.plusSeconds(1));

        // Then it is not tried before its round
        assertThat(probes.nextAttempt(ROUND_DUE, FAILED, health.of("whatsapp"))).isEqualTo(ROUND_DUE);
    }

    @Test
    void never_later_than_the_round_and_never_earlier_when_turned_off() {
        // Given a round due in 2 s and a circuit open for 30 s
        health.circuitOpened("whatsapp", FAILED, FAILED.plusSeconds(30));
        Instant soon = FAILED.plusSeconds(2);
        assertThat(probes.nextAttempt(soon, FAILED, health.of("whatsapp"))).isEqualTo(soon);

        // And with probes turned off, or the last attempt unknown, the round is the time
        health.circuitClosed("whatsapp", FAILED.plusSeconds(40));
        assertThat(RetryProbes.none().nextAttempt(ROUND_DUE, FAILED, health.of("whatsapp"))).isEqualTo(ROUND_DUE);
        assertThat(probes.nextAttempt(ROUND_DUE, null, health.of("whatsapp"))).isEqualTo(ROUND_DUE);
        assertThatThrownBy(() -> new RetryProbes(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void one_failed_send_does_not_make_a_provider_down_two_in_a_row_do() {
        // Given one failed send between successes
        health.failed("twilio", FAILED);
        health.succeeded("twilio", FAILED.plusSeconds(1));
        assertThat(health.of("twilio").recoveredAt()).isNull();

        // When two fail in a row and one goes out again
        health.failed("twilio", FAILED.plusSeconds(2));
        health.failed("twilio", FAILED.plusSeconds(3));
        health.succeeded("twilio", FAILED.plusSeconds(4));

        // Then the provider recovered then
        assertThat(health.of("twilio").recoveredAt()).isEqualTo(FAILED.plusSeconds(4));
        assertThat(health.of("twilio").lastSuccess()).isEqualTo(FAILED.plusSeconds(4));
        assertThat(health.of(null)).isEqualTo(ProviderHealth.Health.UNKNOWN);
    }
}
