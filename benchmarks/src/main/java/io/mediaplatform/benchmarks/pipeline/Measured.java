package io.mediaplatform.benchmarks.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What one measured run of the pipeline saw: the sends, whether all SENT webhooks came, CPU, consumer lag. */
record Measured(List<Sent> sent, boolean allWebhooks, Duration waited, long webhookRequests,
                MachineCpu cpuStart, MachineCpu cpuEnd, Map<LagSampler.Stage, Long> lags) {
}
