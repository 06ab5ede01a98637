package io.mediaplatform.benchmarks.jmh;

import io.mediaplatform.benchmarks.report.Table;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.MediaTracks;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the JMH microbenchmarks of this package in-process through JMH's {@link Runner} (throughput, one thread,
 * {@code iterations} warm-up and {@code iterations} measured iterations of {@code timeMillis} each, in {@code forks}
 * forked JVMs with this JVM's class path, or in this JVM when 0) and prints one table per pair: ops/s of ours, of
 * the baseline measured in the same run, and their ratio. Every pair's text rows (what was detected, the tracks,
 * the decision) are computed once in this JVM from the same set-up.
 */
public final class JmhBenchmarks {

    /** Given to the forked JVMs: Avro decoding refuses classes outside this package list. */
    static final String AVRO_PACKAGES = "io.mediaplatform.events";

    private final int timeMillis;
    private final int iterations;
    private final int forks;
    private final Path demo;
    private final PrintStream progress;

    /**
     * @param timeMillis each iteration's time
     * @param iterations warm-up iterations, and as many measured ones
     * @param forks      forked JVMs per benchmark (0: run in this JVM)
     * @param demo       the demo files (deploy/local-stack/demo)
     * @param progress   where JMH's own progress goes
     */
    public JmhBenchmarks(int timeMillis, int iterations, int forks, Path demo, PrintStream progress) {
        this.timeMillis = timeMillis;
        this.iterations = iterations;
        this.forks = forks;
        this.demo = demo.toAbsolutePath().normalize();
        this.progress = progress;
    }

    /** One measured figure: mean ops/s over the measured iterations (and forks), and JMH's 99.9% error of it. */
    private record Score(double opsPerSecond, double error) {
    }

    /** What {@link #run} measured: one table per pair, and every benchmark's raw score. */
    public record Measured(List<Table> tables, List<String> scores) {
    }

    public Measured run() throws RunnerException, IOException {
        if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
            System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", AVRO_PACKAGES);
        }
        Options options = new OptionsBuilder()
                .include("^" + JmhBenchmarks.class.getPackageName().replace(".", "\\.") + "\\.")
                .mode(Mode.Throughput)
                .timeUnit(TimeUnit.SECONDS)
                .threads(1)
                .warmupIterations(iterations)
                .warmupTime(TimeValue.milliseconds(timeMillis))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.milliseconds(timeMillis))
                .forks(forks)
                .jvmArgsAppend("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + AVRO_PACKAGES)
                .param("demo", demo.toString())
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options,
                OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL)).run();
        Map<String, Score> scores = results.stream().collect(Collectors.toMap(JmhBenchmarks::key,
                r -> new Score(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()),
                (a, b) -> a, java.util.TreeMap::new));
        List<Table> tables = new ArrayList<>();
        tables.add(detection(scores));
        tables.add(isoBmff(scores));
        tables.add(policy(scores));
        tables.add(serde(scores));
        List<String> raw = scores.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s: %.0f ± %.0f ops/s",
                e.getKey(), e.getValue().opsPerSecond(), e.getValue().error())).toList();
        return new Measured(tables, raw);
    }

    /** The benchmark's class and method, and its parameters but demo: {@code DetectionBench.ours file=photo.jpg}. */
    private static String key(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        StringBuilder key = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
        for (String name : result.getParams().getParamsKeys()) {
            if (!name.equals("demo")) {
                key.append(' ').append(name).append('=').append(result.getParams().getParam(name));
            }
        }
        return key.toString();
    }

    private static Score score(Map<String, Score> scores, String key) {
        Score score = scores.get(key);
        if (score == null) {
            throw new IllegalStateException("JMH gave no result for " + key + " (got " + scores.keySet() + ")");
        }
        return score;
    }

    private String settings() {
        return String.format(Locale.ROOT, "JMH throughput, %d warm-up + %d measured iterations of %d ms, %s",
                iterations, iterations, timeMillis, forks == 0 ? "in this JVM" : forks + " fork(s)");
    }

    private Table detection(Map<String, Score> scores) throws IOException {
        Table table = new Table("Type detection of the demo files' heads, ops/s (" + settings() + ")",
                "ContentDetector.detect", "baseline (new Tika().detect)");
        for (String file : List.of("photo.jpg", "photo.png", "clip.mp4", "voice.ogg", "invoice.pdf", "sticker.webp")) {
            DetectionBench bench = new DetectionBench();
            bench.demo = demo.toString();
            bench.file = file;
            bench.setUp();
            table.row(file + ": ops/s", score(scores, "DetectionBench.ours file=" + file).opsPerSecond(),
                    score(scores, "DetectionBench.baseline file=" + file).opsPerSecond());
            table.text(file + ": detected", bench.ours(), bench.baseline());
        }
        return table;
    }

    private Table isoBmff(Map<String, Score> scores) throws IOException {
        IsoBmffBench bench = new IsoBmffBench();
        bench.demo = demo.toString();
        bench.setUp();
        MediaTracks tracks = bench.ours();
        byte[] copy = bench.baseline();
        Table table = new Table("ISO-BMFF walk of clip.mp4 in memory, ops/s (" + settings() + ")",
                "BytesProbe.tracks", "baseline (read the bytes once)");
        table.row("clip.mp4 (" + copy.length + " bytes): ops/s", score(scores, "IsoBmffBench.ours").opsPerSecond(),
                score(scores, "IsoBmffBench.baseline").opsPerSecond());
        table.text("result", tracks.problem() != null ? tracks.problem() : tracks.tracks().stream()
                .map(track -> track.type().name().toLowerCase(Locale.ROOT) + " " + track.codec())
                .collect(Collectors.joining(" + ")), copy.length + " bytes copied");
        return table;
    }

    private Table policy(Map<String, Score> scores) throws IOException {
        Table table = new Table("Policy evaluation (default media-policy.yml, outbound WhatsApp), ops/s (" + settings() + ")",
                "Validator.decide", "baseline (rule lookup, type and size)");
        for (String media : List.of("photo.png", "clip.mp4", "photo.jpg")) {
            PolicyBench bench = new PolicyBench();
            bench.demo = demo.toString();
            bench.media = media;
            bench.setUp();
            String label = media + " as " + (media.endsWith(".mp4") ? "video" : "image");
            table.row(label + ": ops/s", score(scores, "PolicyBench.ours media=" + media).opsPerSecond(),
                    score(scores, "PolicyBench.baseline media=" + media).opsPerSecond());
            table.text(label + (media.equals("photo.jpg") ? " (an .exe)" : "") + ": answer", describe(bench.ours()),
                    bench.baseline() ? "allowed" : "not allowed");
        }
        return table;
    }

    private static String describe(Decision decision) {
        return switch (decision) {
            case Decision.Accepted accepted -> "accepted " + accepted.kind().name().toLowerCase(Locale.ROOT);
            case Decision.Rejected rejected -> rejected.reason().name();
        };
    }

    private Table serde(Map<String, Score> scores) throws IOException {
        int[] sizes = AvroSerdeBench.encodedSizes();
        Table table = new Table("Serde of a MediaReceived event (outbound WhatsApp image with its message), ops/s ("
                + settings() + ")", "AvroSerializer / AvroDeserializer", "baseline (Jackson JSON)");
        table.row("serialize: ops/s", score(scores, "AvroSerdeBench.serializeAvro").opsPerSecond(),
                score(scores, "AvroSerdeBench.serializeJson").opsPerSecond());
        table.row("deserialize: ops/s", score(scores, "AvroSerdeBench.deserializeAvro").opsPerSecond(),
                score(scores, "AvroSerdeBench.deserializeJson").opsPerSecond());
        table.row("bytes per event", sizes[0], sizes[1]);
        return table;
    }

    /** The tables as Markdown, with how they were made and JMH's raw scores. */
    public static String markdown(Measured measured, String command) {
        StringBuilder out = new StringBuilder("# JMH microbenchmarks\n\nMade with `").append(command)
                .append("` (Java ").append(Runtime.version()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" processors). Ratio: ours / baseline.\n");
        for (Table table : measured.tables()) {
            out.append('\n').append(table.markdown());
        }
        out.append("\nJMH's scores (mean ± 99.9% error over the measured iterations):\n\n");
        measured.scores().forEach(score -> out.append("- `").append(score).append("`\n"));
        return out.toString();
    }

    /** Writes {@link #markdown} to {@code dir/jmh.md}. */
    public static Path write(Measured measured, String command, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("jmh.md");
        Files.writeString(file, markdown(measured, command));
        return file;
    }
}
