package io.mediaplatform.callback.webhook.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookRetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final WebhookRetryPolicy policy = new WebhookRetryPolicy(RetrySchedule.DEFAULT);

    private static AttemptResult.Responded status(int code) {
        return new AttemptResult.Responded(code, Optional.empty());
    }

    @Test
    void parses_the_default_schedule_of_eight_attempts() {
        // Given / When the design's schedule
        RetrySchedule schedule = RetrySchedule.DEFAULT;
        // Then it has eight attempts, the first at once
        assertThat(schedule.delays()).containsExactly(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
        assertThat(RetrySchedule.parse("0s, 200ms ,PT1M").delays()).containsExactly(Duration.ZERO, Duration.ofMillis(200), Duration.ofMinutes(1));
        assertThatThrownBy(() -> RetrySchedule.parse("soon")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delivers_on_2xx() {
        // Given / When a 204 answer / Then the delivery is done
        assertThat(policy.decide(1, status(204), NOW)).isEqualTo(new DeliveryDecision.Delivered());
    }

    @Test
    void retries_a_500_on_the_schedule_and_gives_up_when_it_is_exhausted() {
        // Given / When attempts fail with 500
        // Then the next waits follow the schedule
        assertThat(policy.decide(1, status(500), NOW)).isEqualTo(new DeliveryDecision.RetryAt(NOW.plusSeconds(5)));
        assertThat(policy.decide(2, status(500), NOW)).isEqualTo(new DeliveryDecision.RetryAt(NOW.plus(Duration.ofMinutes(5))));
        assertThat(policy.decide(7, new AttemptResult.Errored("connection refused"), NOW))
                .isEqualTo(new DeliveryDecision.RetryAt(NOW.plus(Duration.ofHours(10))));
        // And after the eighth attempt it gives up
        assertThat(policy.decide(8, status(500), NOW)).isEqualTo(new DeliveryDecision.GiveUp());
    }

    @Test
    void honours_Retry_After_on_429_and_503_when_longer_than_the_schedule() {
        // Given / When a 429 asking for 60 s after the first attempt
        DeliveryDecision decision = policy.decide(1, new AttemptResult.Responded(429, Optional.of(Duration.ofSeconds(60))), NOW);
        // Then the next attempt waits 60 s, not 5 s
        assertThat(decision).isEqualTo(new DeliveryDecision.RetryAt(NOW.plusSeconds(60)));
        // And a shorter Retry-After does not shorten the schedule
        assertThat(policy.decide(2, new AttemptResult.Responded(503, Optional.of(Duration.ofSeconds(1))), NOW))
                .isEqualTo(new DeliveryDecision.RetryAt(NOW.plus(Duration.ofMinutes(5))));
        // And a Retry-After on another status is ignored
        assertThat(policy.decide(1, new AttemptResult.Responded(500, Optional.of(Duration.ofSeconds(60))), NOW))
                .isEqualTo(new DeliveryDecision.RetryAt(NOW.plusSeconds(5)));
    }

    @Test
    void disables_on_410_and_gives_up_at_once_on_a_blocked_url() {
        // Given / When / Then
        assertThat(policy.decide(1, status(410), NOW)).isEqualTo(new DeliveryDecision.Disable());
        assertThat(policy.decide(1, new AttemptResult.Blocked("private address"), NOW)).isEqualTo(new DeliveryDecision.GiveUp());
    }

    @Test
    void reads_Retry_After_as_seconds_or_an_http_date() {
        // Given / When / Then
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("Thu, 01 Jan 2026 00:01:00 GMT", NOW)).contains(Duration.ofMinutes(1));
        assertThat(RetryAfter.parse("99999999999999999999", NOW)).contains(RetryAfter.MAX);
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }

    @Test
    void parses_tenant_secrets_without_showing_them() {
        // Given the WEBHOOK_SECRETS value
        WebhookSecrets secrets = WebhookSecrets.parse("demo:whsec_QUJD; demo-2:whsec_REVG;");
        // Then each tenant has its secret and toString tells none
        assertThat(secrets.secretFor("demo")).contains("whsec_QUJD");
        assertThat(secrets.secretFor("demo-2")).contains("whsec_REVG");
        assertThat(secrets.secretFor("other")).isEmpty();
        assertThat(secrets.toString()).doesNotContain("whsec");
        assertThat(WebhookSecrets.parse("").byTenant()).isEmpty();
        assertThatThrownBy(() -> WebhookSecrets.parse("demo")).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(secrets)).isNotEmpty();
    }
}
