package io.mediaplatform.benchmarks.pipeline;

import io.mediaplatform.benchmarks.report.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The pipeline benchmark's report on disk: {@code pipeline.md} with its tables, and the latency plot. */
final class PipelineReport {

    private final Path results;
    private final int messages;
    private final int conversations;
    private final int clients;
    private final PrintStream log;

    PipelineReport(Path results, int messages, int conversations, int clients, PrintStream log) {
        this.results = results;
        this.messages = messages;
        this.conversations = conversations;
        this.clients = clients;
        this.log = log;
    }

    /** Writes {@code pipeline.md} and {@code pipeline-latency.png} under {@code results}. */
    void write(List<Table> tables, PipelineTable.Result last, double runSeconds, double startSeconds) throws IOException {
        Files.createDirectories(results);
        String markdown = "# pipeline benchmark\n\n"
                + String.format(Locale.ROOT, "%s; Java %s, %d processors; `benchmarks/run --benchmark=pipeline --messages=%d"
                        + " --conversations=%d --clients=%d`; run took %.0f s (stack start %.0f s).%n%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), messages, conversations, clients, runSeconds, startSeconds)
                + tables.getFirst().markdown()
                + "\nSlowest hop (by p50): **" + last.slowestHop() + "**.\n\n"
                + tables.get(1).markdown()
                + "\n" + tables.get(2).markdown()
                + (tables.size() > 3 ? "\n" + tables.get(3).markdown() : "")
                + "\n![latency percentiles](pipeline-latency.png)\n";
        Files.writeString(results.resolve("pipeline.md"), markdown);
        try {
            LatencyPlot.write(results.resolve("pipeline-latency.png"),
                    "send → SENT webhook (pipeline) vs end of chain (baseline)",
                    Map.of("pipeline: send → SENT webhook", last.pipelineCurve(), "baseline: " + PipelineBenchmark.KAFKA_HOPS + " bare Kafka hops",
                            last.baselineCurve()));
        } catch (RuntimeException | IOException | Error e) {
            log.println("pipeline: no latency plot: " + e);
        }
    }
}
