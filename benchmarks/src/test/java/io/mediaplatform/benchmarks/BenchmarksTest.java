package io.mediaplatform.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command of the README ({@code benchmarks/run}) with tiny parameters: the same main, the same tables. Only
 * facts that do not depend on timing are checked; the figures themselves are never asserted.
 */
class BenchmarksTest {

    private record Output(int status, String out, String err) {
    }

    private static Output run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Benchmarks.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The two value columns of a table row, e.g. {@code sent  60  60  1.00x} gives {"60", "60"}. */
    private static String[] row(String table, String figure) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(figure) + "\\s{2,}(.*)$").matcher(table);
        assertThat(line.find()).as("row '%s' in%n%s", figure, table).isTrue();
        String[] cells = line.group(1).trim().split("\\s{2,}");
        return Arrays.copyOf(cells, 2);
    }

    @Test
    void prints_the_rate_limited_run_and_the_baseline_side_by_side_with_every_message_sent_under_the_limit() throws Exception {
        // Given the in-process benchmarks with a tiny load and a small payload (the others start the platform and are
        // run by the tests below)
        // When they run like the README's command does, named as a list
        Output output = run("--benchmark=rate-limit,digest,edge-threads,validation-reads", "--messages=60", "--threads=4",
                "--payload-mb=4", "--concurrency=4", "--seconds=1", "--sizes-mb=1");

        // Then both tables are printed, each with its variant and its baseline column
        assertThat(output.status()).as(output.err()).isZero();
        String table = output.out();
        assertThat(table).contains("rate-limited (80/s)", "baseline (no limiter)", "ratio", "spread (72/s)",
                "streamed (8 MiB parts)", "baseline (readAllBytes)", "virtual threads", "baseline (platform pool)");
        // And every message of the rate-limited run was sent, none failed
        assertThat(row(table, "messages")).containsExactly("60", "60");
        assertThat(row(table, "sent")[0]).isEqualTo("60");
        assertThat(row(table, "failed sends")[0]).isEqualTo("0");
        // And the provider, not the client, counted at least one request per message in both runs
        String[] requests = row(table, "provider requests");
        assertThat(Long.parseLong(requests[0])).isGreaterThanOrEqualTo(60);
        assertThat(Long.parseLong(requests[1])).isGreaterThanOrEqualTo(60);
        assertThat(row(table, "429 responses (provider)")).hasSize(2).doesNotContainNull();
        for (String figure : new String[] {"wall time (s)", "achieved msgs/s (sent)", "send latency p50 (ms)",
                "send latency p99 (ms)"}) {
            assertThat(row(table, figure)).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
        }
        // And both ways of hashing the upload agree on its SHA-256
        assertThat(row(table, "same digest")[0]).isEqualTo("yes");
        // And two dispatch replicas sharing the limit are measured against one instance with all of it
        assertThat(table).contains("two replicas (80/s shared)", "one instance (80/s)");
    }

    @Test
    void prints_the_bytes_validation_reads_of_each_mp4_next_to_its_size_and_they_do_not_grow_with_it() throws Exception {
        // Given MP4s of 1 and 8 MiB
        // When the validation-reads benchmark runs like the README's command does
        Output output = run("--benchmark=validation-reads", "--sizes-mb=1,8");

        // Then each size's bytes read by the inspector are printed next to the object's size, and are a small part of it
        assertThat(output.status()).as(output.err()).isZero();
        String table = output.out();
        assertThat(table).contains("inspector", "whole object");
        String[] small = row(table, "1 MiB: bytes read");
        String[] large = row(table, "8 MiB: bytes read");
        assertThat(Long.parseLong(small[1])).isEqualTo(1024 * 1024);
        assertThat(Long.parseLong(large[1])).isEqualTo(8 * 1024 * 1024);
        assertThat(Long.parseLong(large[0])).isLessThan(256 * 1024).isEqualTo(Long.parseLong(small[0]));
        // And the clip is still recognised as an MP4 with its tracks
        assertThat(row(table, "8 MiB: detected / tracks")[0]).startsWith("video/mp4");
    }

    @Test
    void prints_each_auto_fit_conversion_next_to_a_plain_copy_of_the_same_bytes_and_writes_the_table(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path results) throws Exception {
        // Given the conversion benchmark with one run and a 64-pixel PNG
        // When it runs like the README's command does
        Output output = run("--benchmark=conversion", "--conversion-runs=1", "--png-px=64", "--results=" + results);

        // Then each kind has its ms and MB/s next to the copy's, and its bytes in and out
        assertThat(output.status()).as(output.err()).isZero();
        String table = output.out();
        assertThat(table).contains("auto-fit conversion", "baseline (plain copy via temp file)");
        for (String kind : new String[] {"image webp→jpeg", "png downscale"}) {
            assertThat(row(table, kind + ": ms")).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
            assertThat(row(table, kind + ": MB/s")).doesNotContainNull();
        }
        assertThat(row(table, "image webp→jpeg: bytes")[1]).endsWith("→ " + row(table, "image webp→jpeg: bytes")[1]
                .split(" → ")[0]);
        if (io.mediaplatform.validation.conversion.ffmpeg.FfmpegConverter.runs("ffmpeg")) {
            assertThat(row(table, "hevc→h264: ms")).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
            assertThat(row(table, "mp3-in-mp4→aac: ms")).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
        }
        // And the table is written as Markdown
        assertThat(java.nio.file.Files.readString(results.resolve("conversion.md")))
                .contains("| image webp→jpeg: ms |", "benchmarks/run --benchmark=conversion --conversion-runs=1 --png-px=64");
    }

    @Test
    void prints_uploads_through_ingest_next_to_direct_puts_and_slow_uploads_held_at_once_all_stored() throws Exception {
        // Given the upload benchmark with a 4 MiB upload, 3 slow ones and 5 small ones
        // When it runs like the README's command does
        Output output = run("--benchmark=upload", "--upload-mb=4", "--slow-uploads=3", "--small-uploads=5");

        // Then the upload was stored (201) next to the direct PUT (200), both with a speed
        assertThat(output.status()).as(output.err()).isZero();
        String table = output.out();
        assertThat(row(table, "4 MiB: answer")).containsExactly("201", "200");
        assertThat(row(table, "4 MiB: MB/s")).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
        // And both the heap after each GC and the live heap (what full GCs leave) have a figure on each side
        assertThat(row(table, "4 MiB: heap after each GC, peak growth (MiB)")).hasSize(2)
                .allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isNotNegative());
        assertThat(row(table, "4 MiB: live heap, peak growth (MiB; full GC every 500 ms)")).hasSize(2)
                .allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isNotNegative());
        // And every slow upload held at once was stored
        assertThat(row(table, "uploads stored (201)")).containsExactly("3", "1");
        // And the small uploads have a rate next to the direct PUTs'
        assertThat(row(table, "uploads/s")).hasSize(2).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
    }

    @Test
    void prints_the_virtual_thread_edge_and_the_platform_pool_side_by_side_with_every_request_answered() throws Exception {
        // Given the edge-threads benchmark with a tiny load
        // When it runs like the README's command does
        Output output = run("--benchmark=edge-threads", "--concurrency=8", "--seconds=1");

        // Then only its table is printed, with the two thread models as Tomcat reports them
        assertThat(output.status()).as(output.err()).isZero();
        String table = output.out();
        assertThat(table).contains("virtual threads", "baseline (platform pool)", "ratio")
                .doesNotContain("baseline (no limiter)", "baseline (readAllBytes)");
        assertThat(row(table, "Tomcat request threads"))
                .containsExactly("virtual thread per request", "platform thread pool (max 200)");
        // And both servers answered 202 to requests in the measured second, none failed
        assertThat(row(table, "requests answered 202"))
                .allSatisfy(cell -> assertThat(Long.parseLong(cell)).isPositive());
        assertThat(row(table, "errors")).containsExactly("0", "0");
        // And no more requests were inside the endpoint at once than there are clients
        assertThat(row(table, "peak requests in the endpoint at once"))
                .allSatisfy(cell -> assertThat(Integer.parseInt(cell)).isBetween(1, 8));
        for (String figure : new String[] {"requests/s", "latency p50 (ms)", "latency p99 (ms)",
                "peak live platform threads"}) {
            assertThat(row(table, figure)).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
        }
    }

    @Test
    void sends_every_pipeline_message_to_SENT_and_its_webhook_and_the_same_records_through_the_bare_kafka_chain(
            @TempDir Path results) throws Exception {
        // Given the pipeline benchmark with a tiny load (the whole platform starts in this JVM)
        // When it runs like the README's command does, writing its results to a scratch directory
        Output output = run("--benchmark=pipeline", "--messages=20", "--conversations=4", "--clients=2",
                "--results=" + results);

        // Then its table is printed with the pipeline and the Kafka-chain baseline side by side
        assertThat(output.status()).as(output.err()).isZero();
        String table = output.out();
        assertThat(table).contains("pipeline (4 services)", "baseline (4 bare Kafka hops)", "ratio")
                .doesNotContain("baseline (no limiter)", "baseline (readAllBytes)");
        // And every message was accepted, reached SENT and had its SENT webhook; every record went through the chain
        assertThat(row(table, "messages")).containsExactly("20", "20");
        assertThat(row(table, "accepted (202) / produced")).containsExactly("20", "20");
        assertThat(row(table, "errors (non-202, failed sends)")).containsExactly("0", "0");
        assertThat(row(table, "reached SENT / end of chain")).containsExactly("20", "20");
        assertThat(row(table, "SENT webhooks received")).containsExactly("20", "20");
        assertThat(row(table, "all SENT webhooks arrived")[0]).isEqualTo("yes");
        for (String figure : new String[] {"POST 202s/s / produce acks/s", "msgs/s reaching SENT / end of chain",
                "msgs/s SENT webhook / end of chain", "send → SENT webhook p50 (ms)", "send → SENT webhook p99 (ms)"}) {
            assertThat(row(table, figure)).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
        }
        assertThat(row(table, "slowest hop (by p50)")[0]).isIn("send → ACCEPTED", "ACCEPTED → QUEUED",
                "QUEUED → SENT", "SENT → SENT webhook");
        // And the webhooks alone are measured on the same stack, side by side with raw signed POSTs: every one arrived
        assertThat(table).contains("platform (callback service)", "raw signed POSTs");
        assertThat(row(table, "webhooks that arrived")).containsExactly("20", "20");
        assertThat(row(table, "webhooks/s")).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
        // And the same pipeline entered over Kafka, as an upstream system publishes commands, is measured the same way
        assertThat(table).contains("entered over message.send-requested.v1");
        assertThat(row(table, "input acks/s / produce acks/s")).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
        assertThat(table.split("all SENT webhooks arrived\\s+yes", -1)).as("both runs had every SENT webhook").hasSize(3);
        // And the tables are written as Markdown, with the latency plot next to them
        assertThat(Files.readString(results.resolve("pipeline.md")))
                .contains("| messages | 20 | 20 | 1.00x |", "| | pipeline (4 services) | baseline (4 bare Kafka hops) | ratio |",
                        "| | platform (callback service) | raw signed POSTs | ratio |",
                        "entered over message.send-requested.v1");
        assertThat(results.resolve("pipeline-latency.png")).isNotEmptyFile();
        // And the scale-out run, two dispatch and two callback instances, took every message to SENT and its webhook
        assertThat(table).contains("2 instances each", "one instance each");
        assertThat(row(table, "reached SENT")).containsExactly("20", "20");
        assertThat(row(table, "SENT webhooks that arrived")).containsExactly("20", "20");
    }

    @Test
    void runs_each_jmh_pair_with_its_baseline_and_writes_the_tables_as_markdown(@TempDir Path results) throws Exception {
        // Given the JMH microbenchmarks with one short warm-up and one short measured iteration, in this JVM (a fork
        // per benchmark, the default, costs a JVM start each: 24 of them)
        // When they run like the README's command does, writing their results to a scratch directory
        Output output = run("--benchmark=jmh", "--jmh-time-ms=100", "--jmh-iterations=1", "--jmh-forks=0",
                "--results=" + results);

        // Then one table per pair is printed, ours next to its baseline
        assertThat(output.status()).as(output.err()).isZero();
        String table = output.out();
        assertThat(table).contains("ContentDetector.detect", "baseline (new Tika().detect)", "BytesProbe.tracks",
                "baseline (read the bytes once)", "Validator.decide", "baseline (rule lookup, type and size)",
                "AvroSerializer / AvroDeserializer", "baseline (Jackson JSON)", "in this JVM")
                .doesNotContain("baseline (no limiter)", "baseline (readAllBytes)");
        // And every benchmark measured some operations on both sides
        for (String figure : new String[] {"photo.jpg: ops/s", "photo.png: ops/s", "clip.mp4: ops/s", "voice.ogg: ops/s",
                "invoice.pdf: ops/s", "sticker.webp: ops/s", "clip.mp4 (11729 bytes): ops/s", "photo.png as image: ops/s",
                "clip.mp4 as video: ops/s", "photo.jpg as image: ops/s", "serialize: ops/s", "deserialize: ops/s"}) {
            assertThat(row(table, figure)).allSatisfy(cell -> assertThat(Double.parseDouble(cell)).isPositive());
        }
        // And each side did its work: the refinements over plain Tika, the clip's tracks, the policy's decisions
        assertThat(row(table, "clip.mp4: detected")).containsExactly("video/mp4", "video/quicktime");
        assertThat(row(table, "voice.ogg: detected")).containsExactly("audio/ogg", "application/ogg");
        assertThat(row(table, "photo.jpg: detected")[0]).isEqualTo("application/x-msdownload");
        assertThat(row(table, "result")).containsExactly("video H.264 + audio AAC", "11729 bytes copied");
        assertThat(row(table, "photo.png as image: answer")).containsExactly("accepted image", "allowed");
        assertThat(row(table, "clip.mp4 as video: answer")).containsExactly("accepted video", "allowed");
        assertThat(row(table, "photo.jpg as image (an .exe): answer")).containsExactly("TYPE_MISMATCH", "not allowed");
        String[] bytes = row(table, "bytes per event");
        assertThat(Long.parseLong(bytes[0])).isPositive().isLessThan(Long.parseLong(bytes[1]));
        // And the same tables are written as Markdown
        assertThat(Files.readString(results.resolve("jmh.md")))
                .contains("`benchmarks/run --benchmark=jmh --jmh-time-ms=100 --jmh-iterations=1 --jmh-forks=0`",
                        "| | ContentDetector.detect | baseline (new Tika().detect) | ratio |",
                        "| clip.mp4: detected | video/mp4 | video/quicktime |  |",
                        "JMH's scores (mean ± 99.9% error", "- `DetectionBench.ours file=clip.mp4: ");
    }

    @Test
    void refuses_an_unknown_option_with_the_usage() throws Exception {
        // Given an option the benchmarks do not know
        // When run with it
        Output output = run("--messagez=10");

        // Then nothing runs and the usage is printed
        assertThat(output.status()).isEqualTo(2);
        assertThat(output.err()).contains("unknown option --messagez", "usage: benchmarks/run");
        assertThat(output.out()).isEmpty();
    }

    @Test
    void the_run_script_selects_a_recent_jdk_and_starts_this_main_class() throws Exception {
        // Given the script the README tells to use
        String script = Files.readString(Path.of("run"));

        // Then it picks a JDK 21+ like ./mvnw does and starts this class
        assertThat(script).contains(". .mvn/jdk.sh", "\"$JAVA_HOME/bin/java\"", Benchmarks.class.getName(),
                "benchmarks/target/classpath.txt");
        assertThat(Files.isExecutable(Path.of("run"))).isTrue();
    }
}
