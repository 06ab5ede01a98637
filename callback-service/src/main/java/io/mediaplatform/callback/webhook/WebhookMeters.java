package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.webhook.core.AttemptReport;
import io.mediaplatform.callback.webhook.core.AttemptResult;
import io.mediaplatform.callback.webhook.core.ClaimedDelivery;
import io.mediaplatform.callback.webhook.core.FinishedAttempt;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Tells each webhook attempt to the meters: its latency as it ends ({@code callback.webhook.latency}), and once it is
 * recorded the counters ({@code callback.webhook.attempts}, {@code .deliveries}), tagged by outcome, result and
 * target, and the log line.
 */
final class WebhookMeters {

    /** The sender's logger, as the attempt lines were always logged under it. */
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final MeterRegistry meters;

    WebhookMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * The latency of an attempt that just ended, recorded as it ends: inside the attempt's span, so that the histogram
     * bucket's exemplar on {@code /actuator/prometheus} (OpenMetrics) names the trace of the webhook's message.
     */
    void answered(ClaimedDelivery delivery, AttemptResult result, Duration latency) {
        Timer.builder("callback.webhook.latency").description("Time a client webhook endpoint took to answer")
                .tag("outcome", AttemptReport.outcome(result)).tag("target", delivery.target()).publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(1)).register(meters)
                .record(latency);
    }

    /** The counters and the log line of an attempt once it is recorded. */
    void told(FinishedAttempt finished) {
        ClaimedDelivery delivery = finished.delivery();
        meters.counter("callback.webhook.attempts", "outcome", AttemptReport.outcome(finished.result())).increment();
        meters.counter("callback.webhook.deliveries", "result", AttemptReport.result(finished.decision()),
                "target", delivery.target()).increment();
        log.info("Webhook delivery {} (message {}, tenant {}) attempt {}: {} -> {}", delivery.id(), delivery.messageId(),
                delivery.tenantId(), finished.attemptNo(), AttemptReport.describe(finished.result()),
                finished.decision().getClass().getSimpleName());
    }
}
