package io.mediaplatform.callback.webhook.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AttemptReportTest {

    @Test
    void an_answer_is_written_down_by_its_status_code_and_only_an_unsuccessful_one_as_an_error() {
        // Given a 204 and a 503 asking for a wait
        AttemptResult ok = new AttemptResult.Responded(204, Optional.empty());
        AttemptResult busy = new AttemptResult.Responded(503, Optional.of(Duration.ofSeconds(5)));

        // Then both keep their code; the 503 is an error, an outcome of its own and the log's "HTTP 503"
        assertThat(AttemptReport.statusCode(ok)).isEqualTo(204);
        assertThat(AttemptReport.error(ok)).isNull();
        assertThat(AttemptReport.outcome(ok)).isEqualTo("delivered");
        assertThat(AttemptReport.statusCode(busy)).isEqualTo(503);
        assertThat(AttemptReport.error(busy)).isEqualTo("HTTP 503");
        assertThat(AttemptReport.outcome(busy)).isEqualTo("http_503");
        assertThat(AttemptReport.describe(ok)).isEqualTo("HTTP 204");
    }

    @Test
    void no_answer_and_a_blocked_url_have_no_status_code_and_say_why() {
        // Given an attempt that got no answer and one whose URL the guard refused
        AttemptResult errored = new AttemptResult.Errored("timed out: 10s");
        AttemptResult blocked = new AttemptResult.Blocked("private address");

        // Then neither has a code; each error says what happened
        assertThat(AttemptReport.statusCode(errored)).isNull();
        assertThat(AttemptReport.error(errored)).isEqualTo("timed out: 10s");
        assertThat(AttemptReport.outcome(errored)).isEqualTo("error");
        assertThat(AttemptReport.statusCode(blocked)).isNull();
        assertThat(AttemptReport.error(blocked)).isEqualTo("blocked: private address");
        assertThat(AttemptReport.describe(blocked)).isEqualTo("blocked: private address");
        assertThat(AttemptReport.outcome(blocked)).isEqualTo("blocked");
    }

    @Test
    void each_decision_has_its_outbox_state_and_meter_result_and_only_an_end_releases_the_next_delivery() {
        // Given each decision, Then its state, its meter tag, and whether deliveries held behind it may go
        DeliveryDecision retry = new DeliveryDecision.RetryAt(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(AttemptReport.state(new DeliveryDecision.Delivered())).isEqualTo("DELIVERED");
        assertThat(AttemptReport.result(new DeliveryDecision.Delivered())).isEqualTo("delivered");
        assertThat(AttemptReport.releasesLater(new DeliveryDecision.Delivered())).isTrue();
        assertThat(AttemptReport.state(retry)).isEqualTo("PENDING");
        assertThat(AttemptReport.result(retry)).isEqualTo("retry");
        assertThat(AttemptReport.releasesLater(retry)).isFalse();
        assertThat(AttemptReport.state(new DeliveryDecision.Disable())).isEqualTo("DISABLED");
        assertThat(AttemptReport.result(new DeliveryDecision.Disable())).isEqualTo("disabled");
        assertThat(AttemptReport.releasesLater(new DeliveryDecision.Disable())).isFalse();
        assertThat(AttemptReport.state(new DeliveryDecision.GiveUp())).isEqualTo("FAILED");
        assertThat(AttemptReport.result(new DeliveryDecision.GiveUp())).isEqualTo("failed");
        assertThat(AttemptReport.releasesLater(new DeliveryDecision.GiveUp())).isTrue();
    }
}
