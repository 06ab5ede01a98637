package io.mediaplatform.benchmarks.pipeline;

import io.mediaplatform.benchmarks.report.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline benchmark's tables: a run against the bare Kafka hops (throughput, latencies, each hop, lag, CPU),
 * the webhooks alone, and the scale-out run against one instance.
 */
final class PipelineTable {

    private static final String[] HOP_NAMES = {"send → ACCEPTED", "ACCEPTED → QUEUED", "QUEUED → SENT", "SENT → SENT webhook"};
    /** Which baseline hops each pipeline hop spans (1-based, inclusive ranges; empty for none). */
    private static final int[][] BASELINE_HOPS = {{1, 1}, {2, 3}, {}, {4, 4}};

    /** A run's table, its slowest hop by p50, and the latency curves of the plot. */
    record Result(Table table, String slowestHop, Latencies pipelineCurve, Latencies baselineCurve) {
    }

    private final int messages;
    private final int clients;
    private final int conversations;

    PipelineTable(int messages, int clients, int conversations) {
        this.messages = messages;
        this.clients = clients;
        this.conversations = conversations;
    }

    /** The table of one run entered at {@code entry} against the baseline, and its slowest hop. */
    Result table(String entry, Measured measured, RunTally tally, WebhookReceiver receiver,
                 KafkaChainBaseline.Result base, int partitions, MachineCpu baseCpuStart, MachineCpu baseCpuEnd) {
        boolean allWebhooks = measured.allWebhooks();
        Duration waited = measured.waited();
        long webhookRequests = measured.webhookRequests();
        MachineCpu cpuStart = measured.cpuStart();
        MachineCpu cpuEnd = measured.cpuEnd();
        Map<LagSampler.Stage, Long> lags = measured.lags();
        boolean http = entry.startsWith("POST");
        Instant firstSend = tally.firstSend();
        Latencies post = tally.post();
        Latencies toSent = tally.acceptedToSent();
        Latencies toWebhook = tally.sendToWebhook();
        List<Latencies> hopLatencies = tally.hops();
        double baseSeconds = seconds(base.firstSend(), base.lastArrival());

        Table table = new Table(String.format(Locale.ROOT, "Pipeline end to end, entered over %s: %d WhatsApp image"
                        + " messages, %d clients, %d conversations, vs the same records through %d bare Kafka hops"
                        + " (%d partitions, acks=all, Avro)", entry, messages, clients, conversations, PipelineBenchmark.KAFKA_HOPS, partitions),
                "pipeline (4 services)", "baseline (" + PipelineBenchmark.KAFKA_HOPS + " bare Kafka hops)");
        table.row("messages", messages, messages);
        table.row("accepted (202) / produced", tally.accepted(), base.produced());
        table.row("errors (non-202, failed sends)", tally.sent() - tally.accepted(), base.errors());
        table.row((http ? "POST 202s/s" : "input acks/s") + " / produce acks/s", tally.postsPerSecond(),
                base.produced() / seconds(base.firstSend(), base.lastAck()));
        table.row((http ? "POST" : "input") + " / produce latency p50 (ms)", post.p50(), base.produce().p50());
        table.row((http ? "POST" : "input") + " / produce latency p99 (ms)", post.p99(), base.produce().p99());
        table.row("msgs/s reaching ACCEPTED / hop 1", tally.reachedAccepted() / seconds(firstSend, tally.lastAccepted()),
                base.arrived() / seconds(base.firstSend(), base.lastAt(1)));
        table.row("msgs/s reaching QUEUED / hop 3", tally.reachedQueued() / seconds(firstSend, tally.lastQueued()),
                base.arrived() / seconds(base.firstSend(), base.lastAt(3)));
        table.row("reached SENT / end of chain", tally.reachedSent(), base.arrived());
        table.row("msgs/s reaching SENT / end of chain", tally.sentPerSecond(),
                base.arrived() / baseSeconds);
        table.row("SENT webhooks received", tally.webhooks(), base.arrived());
        table.row("msgs/s SENT webhook / end of chain", tally.webhooksPerSecond(),
                base.arrived() / baseSeconds);
        Instant lastAnyWebhook = receiver.last() == null ? firstSend : receiver.last();
        table.text("webhooks received, every status (count, /s)", webhookRequests + " ("
                + number(webhookRequests / seconds(firstSend, lastAnyWebhook)) + "/s)", "");
        table.row("send → SENT webhook p50 (ms)", toWebhook.p50(), base.endToEnd().p50());
        table.row("send → SENT webhook p99 (ms)", toWebhook.p99(), base.endToEnd().p99());
        table.row("send → SENT webhook p999 (ms)", toWebhook.p999(), base.endToEnd().p999());
        table.row("ACCEPTED → SENT p50 (ms)", toSent.p50(), baseSpan(base, 2, 3, 50));
        table.row("ACCEPTED → SENT p99 (ms)", toSent.p99(), baseSpan(base, 2, 3, 99));
        table.row("ACCEPTED → SENT p999 (ms)", toSent.p999(), baseSpan(base, 2, 3, 99.9));
        int slowest = 0;
        for (int hop = 0; hop < HOP_NAMES.length; hop++) {
            Latencies l = hopLatencies.get(hop);
            int[] span = BASELINE_HOPS[hop];
            String baseline = span.length == 0 ? "(no Kafka hop)" : String.format(Locale.ROOT, "%s / %s (hop%s %d%s)",
                    number(baseSpan(base, span[0], span[1], 50)), number(baseSpan(base, span[0], span[1], 99)),
                    span[0] == span[1] ? "" : "s", span[0], span[0] == span[1] ? "" : "-" + span[1]);
            table.text("hop " + HOP_NAMES[hop] + " p50 / p99 (ms)", number(l.p50()) + " / " + number(l.p99()), baseline);
            if (l.p50() > hopLatencies.get(slowest).p50()) {
                slowest = hop;
            }
        }
        table.text("slowest hop (by p50)", HOP_NAMES[slowest], "");
        table.text("SENT → SENT webhook max (ms)", number(hopLatencies.get(3).maxMillis()), "");
        table.text("SENT webhooks > 100 s after SENT", Integer.toString(tally.lateWebhooks()), "");
        lags.forEach((stage, max) -> table.text("max consumer lag: " + stage.name(), Long.toString(max), ""));
        table.row("this JVM's CPU (cores busy, of " + cpuEnd.cpus() + ")", MachineCpu.processCores(cpuStart, cpuEnd),
                MachineCpu.processCores(baseCpuStart, baseCpuEnd));
        table.row("rest of the machine (Kafka, PostgreSQL, others)",
                MachineCpu.machineCores(cpuStart, cpuEnd) - MachineCpu.processCores(cpuStart, cpuEnd),
                MachineCpu.machineCores(baseCpuStart, baseCpuEnd) - MachineCpu.processCores(baseCpuStart, baseCpuEnd));
        table.text("all SENT webhooks arrived", allWebhooks ? "yes" : "NO (waited " + waited.toSeconds() + " s more)", "");
        return new Result(table, HOP_NAMES[slowest], toWebhook, base.endToEnd());
    }

    /** The scale-out table: {@code replicas} dispatch and callback instances against one of each. */
    Table scaleOut(int replicas, RunTally many, RunTally one) {
        Table table = new Table(String.format(Locale.ROOT, "Scale out: the same %d messages over POST /v1/messages"
                + " with %d dispatch and %d callback instances (one consumer group each, this JVM) vs one of each",
                messages, replicas, replicas), replicas + " instances each", "one instance each");
        table.row("accepted (202)", many.accepted(), one.accepted());
        table.row("POST 202s/s", many.postsPerSecond(), one.postsPerSecond());
        table.row("reached SENT", many.reachedSent(), one.reachedSent());
        table.row("msgs/s reaching SENT", many.sentPerSecond(), one.sentPerSecond());
        table.row("SENT webhooks that arrived", many.webhooks(), one.webhooks());
        table.row("msgs/s SENT webhook", many.webhooksPerSecond(), one.webhooksPerSecond());
        table.row("ACCEPTED → SENT p50 (ms)", many.acceptedToSent().p50(), one.acceptedToSent().p50());
        table.row("ACCEPTED → SENT p99 (ms)", many.acceptedToSent().p99(), one.acceptedToSent().p99());
        return table;
    }

    /** The webhooks-alone table: the platform against raw signed POSTs. */
    static Table webhookTable(WebhookBurst.Result burst) {
        Table hooks = new Table(String.format(Locale.ROOT, "Webhooks alone: %d statuses put on message.status.v1 and told to"
                        + " their messages' callback URL, vs as many signed POSTs sent raw to the same receiver (same"
                        + " client, %d in flight)", burst.count(), PipelineBenchmark.WEBHOOKS_IN_FLIGHT),
                "platform (callback service)", "raw signed POSTs");
        hooks.row("webhooks that arrived", burst.arrived(), burst.count() - burst.rawFailures());
        hooks.row("webhooks/s", burst.platformPerSecond(), burst.rawPerSecond());
        hooks.row("time for all (ms)", burst.platform().toMillis(), burst.raw().toMillis());
        return hooks;
    }

    /** The baseline latency over its hops from..to (1-based), the p-th percentile of the per-message sums. */
    private static double baseSpan(KafkaChainBaseline.Result base, int from, int to, double p) {
        if (from == to) {
            return base.hops().get(from - 1).percentileMillis(p);
        }
        Latencies span = base.spans().get(from + "-" + to);
        return span == null ? Double.NaN : span.percentileMillis(p);
    }

    private static double seconds(Instant from, Instant to) {
        return RunTally.seconds(from, to);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }
}
