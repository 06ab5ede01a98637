package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.webhook.core.AttemptReport;
import io.mediaplatform.callback.webhook.core.ClaimedDelivery;
import io.mediaplatform.callback.webhook.core.FinishedAttempt;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Tells each recorded webhook attempt to the meters ({@code callback.webhook.attempts}, {@code .deliveries},
 * {@code .latency}, tagged by outcome, result and target) and to the log.
 */
final class WebhookMeters {

    /** The sender's logger, as the attempt lines were always logged under it. */
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final MeterRegistry meters;

    WebhookMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    void told(FinishedAttempt finished) {
        ClaimedDelivery delivery = finished.delivery();
        String outcome = AttemptReport.outcome(finished.result());
        meters.counter("callback.webhook.attempts", "outcome", outcome).increment();
        meters.counter("callback.webhook.deliveries", "result", AttemptReport.result(finished.decision()),
                "target", delivery.target()).increment();
        Timer.builder("callback.webhook.latency").description("Time a client webhook endpoint took to answer")
                .tag("outcome", outcome).tag("target", delivery.target()).publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(1)).register(meters)
                .record(Duration.ofMillis(finished.latencyMs()));
        log.info("Webhook delivery {} (message {}, tenant {}) attempt {}: {} -> {}", delivery.id(), delivery.messageId(),
                delivery.tenantId(), finished.attemptNo(), AttemptReport.describe(finished.result()),
                finished.decision().getClass().getSimpleName());
    }
}
