package io.mediaplatform.benchmarks;

import io.mediaplatform.benchmarks.digest.DigestBenchmark;
import io.mediaplatform.benchmarks.upload.UploadBenchmark;
import io.mediaplatform.benchmarks.validation.ValidationReadsBenchmark;
import io.mediaplatform.benchmarks.edgethreads.EdgeThreadsBenchmark;
import io.mediaplatform.benchmarks.edgethreads.SlowDownstream;
import io.mediaplatform.benchmarks.jmh.JmhBenchmarks;
import io.mediaplatform.benchmarks.pipeline.PipelineBenchmark;
import io.mediaplatform.benchmarks.ratelimit.RateLimitBenchmark;
import io.mediaplatform.benchmarks.conversion.ConversionBenchmark;
import io.mediaplatform.benchmarks.report.Table;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs the benchmarks and prints each as a side-by-side table (variant, baseline measured in the same run, ratio).
 * Run with {@code benchmarks/run [options]}; options:
 * <pre>
 *   --benchmark=all|rate-limit|digest|edge-threads|validation-reads|upload|pipeline|jmh|conversion  which benchmarks, or a
 *                                      comma-separated list of them (default all: every one, about 13 minutes here)
 *   --messages=800                     WhatsApp sends per run (rate-limit; pipeline: messages sent, default 2000)
 *   --threads=16                       concurrent sending threads (rate-limit)
 *   --provider-rate=80                 messages/s per sender the loopback provider accepts (rate-limit)
 *   --limit=80                         the per-sender rate limiter of the limited run (default: provider rate)
 *   --phase-ms=N                       start each run N ms (0..999) into the provider's second (default: random)
 *   --payload-mb=256                   payload hashed (digest)
 *   --sizes-mb=1,100,1024              MP4 sizes inspected (validation-reads)
 *   --upload-mb=100,1024               upload sizes (upload: starts the whole platform, like pipeline)
 *   --slow-uploads=200                 slow uploads held at once (upload)
 *   --small-uploads=400                small uploads (256 KiB, 16 at a time) vs as many direct PUTs (upload)
 *   --concurrency=1000                 concurrent closed-loop HTTP clients (edge-threads)
 *   --seconds=10                       measured seconds per server, after a warm-up of up to 3 s (edge-threads)
 *   --downstream-ms=50                 how long each request waits on its blocking downstream call (edge-threads)
 *   --conversations=200                conversations the messages go round-robin over, one PNG each (pipeline)
 *   --clients=16                       concurrent HTTP clients sending (pipeline)
 *   --replicas=2                       dispatch and callback instances of the scale-out run (pipeline; 1: none)
 *   --results=benchmarks/results       where pipeline.md and pipeline-latency.png are written (pipeline; jmh: jmh.md)
 *   --jmh-time-ms=1000                 each JMH iteration's time (jmh, about 3 minutes)
 *   --jmh-iterations=3                 JMH warm-up iterations, and as many measured ones (jmh)
 *   --jmh-forks=1                      forked JVMs per JMH benchmark, 0 to run them in this JVM (jmh)
 *   --conversion-runs=5                timed runs of each auto-fit conversion, after a warm-up (conversion)
 *   --png-px=1400                      width and height of the noisy PNG downscaled (conversion; 1400: ~5.6 MB)
 * </pre>
 */
public final class Benchmarks {

    private static final Set<String> OPTIONS = Set.of("benchmark", "messages", "threads", "provider-rate", "limit",
            "phase-ms", "payload-mb", "concurrency", "seconds", "downstream-ms", "conversations", "clients", "replicas", "results",
            "sizes-mb", "upload-mb", "slow-uploads", "small-uploads", "jmh-time-ms", "jmh-iterations", "jmh-forks", "conversion-runs", "png-px");
    private static final String USAGE = "usage: benchmarks/run [--benchmark=all|rate-limit|digest|edge-threads|validation-reads|upload|pipeline|jmh|conversion[,...]]"
            + " [--messages=800 (pipeline: 2000)] [--threads=16] [--provider-rate=80] [--limit=<provider-rate>]"
            + " [--phase-ms=<random 0..999>] [--payload-mb=256] [--concurrency=1000] [--seconds=10] [--downstream-ms=50]"
            + " [--conversations=200] [--clients=16] [--replicas=2] [--sizes-mb=1,100,1024] [--upload-mb=100,1024] [--slow-uploads=200] [--small-uploads=400] [--results=benchmarks/results]"
            + " [--jmh-time-ms=1000] [--jmh-iterations=3] [--jmh-forks=1] [--conversion-runs=5] [--png-px=1400]";

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs what {@code args} ask for, printing to {@code out}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String which;
        int messages;
        int pipelineMessages;
        int threads;
        int providerRate;
        int limit;
        int phaseMillis;
        int payloadMegabytes;
        int concurrency;
        int seconds;
        int downstreamMillis;
        int conversations;
        int clients;
        int replicas;
        Path results;
        List<Integer> sizesMegabytes;
        List<Integer> uploadMegabytes;
        int slowUploads;
        int smallUploads;
        int jmhTimeMillis;
        int jmhIterations;
        int jmhForks;
        int conversionRuns;
        int pngPixels;
        try {
            Map<String, String> options = parse(args);
            which = options.getOrDefault("benchmark", "all");
            for (String one : which.split(",")) {
                if (!Set.of("all", "rate-limit", "digest", "edge-threads", "validation-reads", "upload", "pipeline", "jmh",
                        "conversion").contains(one)) {
                    throw new IllegalArgumentException("unknown --benchmark=" + one
                            + " (all, rate-limit, digest, edge-threads, validation-reads, upload, pipeline, jmh,"
                            + " conversion, or a comma-separated list of them)");
                }
            }
            messages = number(options, "messages", 800);
            pipelineMessages = number(options, "messages", 2000);
            threads = number(options, "threads", 16);
            providerRate = number(options, "provider-rate", 80);
            limit = number(options, "limit", providerRate);
            phaseMillis = options.containsKey("phase-ms") ? range("phase-ms", options.get("phase-ms"), 0, 999)
                    : ThreadLocalRandom.current().nextInt(1000);
            payloadMegabytes = number(options, "payload-mb", 256);
            concurrency = number(options, "concurrency", 1000);
            seconds = number(options, "seconds", 10);
            downstreamMillis = number(options, "downstream-ms", 50);
            conversations = number(options, "conversations", 200);
            clients = number(options, "clients", 16);
            replicas = options.containsKey("replicas") ? range("replicas", options.get("replicas"), 1, 4) : 2;
            results = Path.of(options.getOrDefault("results", "benchmarks/results"));
            sizesMegabytes = sizes(options.getOrDefault("sizes-mb", "1,100,1024"));
            uploadMegabytes = sizes(options.getOrDefault("upload-mb", "100,1024"));
            slowUploads = number(options, "slow-uploads", 200);
            smallUploads = number(options, "small-uploads", 400);
            jmhTimeMillis = number(options, "jmh-time-ms", 1000);
            jmhIterations = number(options, "jmh-iterations", 3);
            jmhForks = options.containsKey("jmh-forks") ? range("jmh-forks", options.get("jmh-forks"), 0, 10) : 1;
            conversionRuns = number(options, "conversion-runs", 5);
            pngPixels = options.containsKey("png-px") ? range("png-px", options.get("png-px"), 16, 8000) : 1400;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        SlowDownstream.keepIdleConnections(); // before any benchmark starts a JDK HttpServer
        out.printf("Java %s, %d processors%n%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
        Set<String> chosen = Set.of(which.split(","));
        java.util.function.Predicate<String> runs = name -> chosen.contains("all") || chosen.contains(name);
        if (runs.test("rate-limit")) {
            for (Table table : new RateLimitBenchmark(messages, threads, providerRate, limit, phaseMillis).run()) {
                table.print(out);
            }
        }
        if (runs.test("digest")) {
            new DigestBenchmark(payloadMegabytes).run().print(out);
        }
        if (runs.test("edge-threads")) {
            new EdgeThreadsBenchmark(concurrency, seconds, Duration.ofMillis(downstreamMillis)).run().print(out);
        }
        if (runs.test("validation-reads")) {
            new ValidationReadsBenchmark(sizesMegabytes, inRepository("deploy/local-stack/demo/clip.mp4")).run().print(out);
        }
        if (runs.test("upload")) {
            for (Table table : new UploadBenchmark(uploadMegabytes, slowUploads, smallUploads, err).run()) {
                table.print(out);
            }
        }
        if (runs.test("pipeline")) {
            new PipelineBenchmark(pipelineMessages, conversations, clients, replicas, results, err).run()
                    .forEach(table -> table.print(out));
            out.println("Written to " + results.resolve("pipeline.md"));
        }
        if (runs.test("jmh")) {
            JmhBenchmarks.Measured measured = new JmhBenchmarks(jmhTimeMillis, jmhIterations, jmhForks,
                    inRepository("deploy/local-stack/demo"), err).run();
            measured.tables().forEach(table -> table.print(out));
            out.println("Written to " + JmhBenchmarks.write(measured, "benchmarks/run --benchmark=jmh --jmh-time-ms="
                    + jmhTimeMillis + " --jmh-iterations=" + jmhIterations + " --jmh-forks=" + jmhForks, results));
        }
        if (runs.test("conversion")) {
            Table table = new ConversionBenchmark(conversionRuns, pngPixels,
                    inRepository("media-validation-service/src/test/resources/media"), "ffmpeg").run();
            table.print(out);
            out.println("Written to " + ConversionBenchmark.write(table, "benchmarks/run --benchmark=conversion"
                    + " --conversion-runs=" + conversionRuns + " --png-px=" + pngPixels, results));
        }
        out.flush();
        return 0;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            String name = arg.substring(2, eq);
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            options.put(name, arg.substring(eq + 1));
        }
        return options;
    }

    /** A file of the repository, from its root (benchmarks/run) or from a module directory (the tests). */
    private static Path inRepository(String path) {
        Path fromRoot = Path.of(path);
        return java.nio.file.Files.exists(fromRoot) ? fromRoot : Path.of("..").resolve(path);
    }

    private static List<Integer> sizes(String value) {
        List<Integer> sizes = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            try {
                int n = Integer.parseInt(part.trim());
                if (n < 1 || n > 4000) {
                    throw new NumberFormatException();
                }
                sizes.add(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sizes must be whole numbers of MiB, 1..4000, separated by commas, got " + value);
            }
        }
        return sizes;
    }

    /** A whole number in {@code [min, max]}, for {@code --name}. */
    private static int range(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be " + min + ".." + max + ", got " + value);
    }

    private static int number(Map<String, String> options, String name, int fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a positive whole number, got " + value);
        }
    }
}
