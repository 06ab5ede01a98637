package io.mediaplatform.benchmarks.edgethreads;

import io.mediaplatform.benchmarks.pipeline.MachineCpu;

import io.mediaplatform.benchmarks.report.Table;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Why the HTTP edges run Spring MVC on virtual threads ({@code spring.threads.virtual.enabled: true} in
 * {@code platform-common.yml}): the same ingest-like {@link EdgeServer} (each request waits
 * {@code downstreamDelay}, by default {@link #DEFAULT_DOWNSTREAM_DELAY}, on a blocking call to a {@link SlowDownstream}, then answers 202) with Tomcat on virtual
 * threads vs Tomcat's default pool of 200 platform threads, under the same closed-loop load: {@code concurrency}
 * clients on one JDK {@link HttpClient}, each sending its next request as soon as the previous one is answered, for
 * a warm-up and then {@code seconds} measured. The servers run one after the other in this JVM (the platform pool's
 * idle threads would otherwise count in the virtual run), against the same downstream, each freshly started; both
 * are first loaded once for the warm-up time, unmeasured, so that the JIT and the virtual-thread scheduler's own
 * threads are warm for both measured runs.
 *
 * <p>Counted in the measured window only: requests answered 202 (by completion time), errors (any other status, a
 * timeout or a failed connection), exact latency percentiles (client side, from a sorted array, so including any
 * wait for a Tomcat thread), the most requests inside the endpoint at once, the JVM's peak of live platform threads
 * ({@link ThreadMXBean}, which does not count virtual threads; the HTTP clients' executors are virtual, so what
 * grows is Tomcat's), the process CPU time (per second and per request) and GC time, and what other processes took
 * of the machine's CPU meanwhile (from {@code /proc/stat}; the load generator and the downstream share this JVM and
 * its cores with the server).
 */
public final class EdgeThreadsBenchmark {

    /** How long each downstream call waits by default (an S3 part upload or a Kafka ack on a good day). */
    public static final Duration DEFAULT_DOWNSTREAM_DELAY = Duration.ofMillis(50);

    private static final String MESSAGE = "{\"tenant\":\"bench\",\"channel\":\"WHATSAPP\",\"to\":\"+15550000001\","
            + "\"kind\":\"IMAGE\",\"caption\":\"benchmark\",\"mediaUrl\":\"https://cdn.example.test/m/1.jpg\"}";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final int concurrency;
    private final int seconds;
    private final int warmupSeconds;
    private final Duration downstreamDelay;

    /**
     * @param concurrency concurrent clients (each with one request in flight at a time)
     * @param seconds     measured seconds per server, after a warm-up of {@code min(3, seconds)} seconds (and one
     *                    unmeasured warm-up pass of that length on each server first)
     */
    public EdgeThreadsBenchmark(int concurrency, int seconds) {
        this(concurrency, seconds, DEFAULT_DOWNSTREAM_DELAY);
    }

    /** The same with each downstream call waiting {@code downstreamDelay}. */
    public EdgeThreadsBenchmark(int concurrency, int seconds, Duration downstreamDelay) {
        if (concurrency < 1 || seconds < 1 || downstreamDelay.isNegative()) {
            throw new IllegalArgumentException("concurrency and seconds must be at least 1, the delay not negative");
        }
        this.downstreamDelay = downstreamDelay;
        this.concurrency = concurrency;
        this.seconds = seconds;
        this.warmupSeconds = Math.min(3, seconds);
    }

    /** What one server measured. */
    record Run(String requestThreads, long accepted, long errors, Map<String, Long> errorKinds, long windowNanos,
               long p50Micros, long p99Micros, long maxMicros, int peakInFlight, int threadsBefore, int peakThreads,
               double cpuCores, double otherCores, long gcMillis) {

        double perSecond() {
            return accepted / (windowNanos / 1e9);
        }
    }

    /** Runs both servers under the same load and returns the side-by-side table. */
    public Table run() throws Exception {
        try (SlowDownstream downstream = SlowDownstream.start(downstreamDelay)) {
            // JIT warm-up of the shared code (HttpClient, Tomcat, Spring MVC) and the JVM's virtual-thread
            // scheduler on both servers, unmeasured, so that neither measured run pays for it.
            for (EdgeServer.Threads threads : EdgeServer.Threads.values()) {
                measure(threads, downstream, 0, warmupSeconds);
            }
            Run virtual = measure(EdgeServer.Threads.VIRTUAL, downstream, warmupSeconds, seconds);
            Run platform = measure(EdgeServer.Threads.PLATFORM, downstream, warmupSeconds, seconds);
            return table(virtual, platform);
        }
    }

    /** Starts a fresh server, loads it for {@code warmup} seconds, then measures {@code measured} seconds. */
    private Run measure(EdgeServer.Threads threads, SlowDownstream downstream, int warmup, int measured)
            throws Exception {
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int threadsBefore = settledThreadCount(threadBean);
        ExecutorService clientExecutor = Executors.newVirtualThreadPerTaskExecutor();
        try (EdgeServer server = EdgeServer.start(threads, downstream.ackUri());
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientExecutor)
                     .connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpRequest request = HttpRequest.newBuilder(server.messagesUri()).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(MESSAGE)).build();
            long windowStart = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(measured);
            Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
            ClosedLoopClient[] clients = new ClosedLoopClient[concurrency];
            Thread[] running = new Thread[concurrency];
            for (int i = 0; i < concurrency; i++) {
                clients[i] = new ClosedLoopClient(http, request, windowStart, windowEnd, errorKinds);
                running[i] = Thread.ofVirtual().name("edge-load-", i).start(clients[i]);
            }
            sleepUntil(windowStart);
            threadBean.resetPeakThreadCount();
            server.resetPeakInFlight();
            long cpuStart = os.getProcessCpuTime();
            long gcStart = gcMillis();
            MachineCpu machineStart = MachineCpu.read();
            long measuredFrom = System.nanoTime();
            sleepUntil(windowEnd);
            long cpuNanos = os.getProcessCpuTime() - cpuStart;
            MachineCpu machineEnd = MachineCpu.read();
            long gcMillis = gcMillis() - gcStart;
            long measuredNanos = System.nanoTime() - measuredFrom;
            int peakThreads = threadBean.getPeakThreadCount();
            int peakInFlight = server.peakInFlight();
            for (Thread thread : running) {
                thread.join(REQUEST_TIMEOUT.toMillis() + 5_000);
            }
            long[] latencies = ClosedLoopClient.merge(clients);
            long errors = Arrays.stream(clients).mapToLong(c -> c.errors).sum();
            Map<String, Long> kinds = new TreeMap<>();
            errorKinds.forEach((kind, count) -> kinds.put(kind, count.sum()));
            return new Run(server.requestThreads(), latencies.length, errors, kinds, windowEnd - windowStart,
                    ClosedLoopClient.percentile(latencies, 50), ClosedLoopClient.percentile(latencies, 99),
                    latencies.length == 0 ? 0 : latencies[latencies.length - 1], peakInFlight, threadsBefore,
                    peakThreads, cpuNanos / (double) Math.max(1, measuredNanos),
                    MachineCpu.machineCores(machineStart, machineEnd) - cpuNanos / (double) Math.max(1, measuredNanos),
                    gcMillis);
        } finally {
            clientExecutor.shutdownNow();
        }
    }

    /**
     * Live platform threads once the previous server's pool threads have ended: the count when it has not changed
     * for 300 ms (at most 5 s).
     */
    private static int settledThreadCount(ThreadMXBean threadBean) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int count = threadBean.getThreadCount();
        int unchanged = 0;
        while (unchanged < 3 && System.nanoTime() < giveUp) {
            Thread.sleep(100);
            int now = threadBean.getThreadCount();
            unchanged = now == count ? unchanged + 1 : 0;
            count = now;
        }
        return count;
    }

    /** Time the JVM's collectors report having spent so far. */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private Table table(Run virtual, Run platform) {
        int cores = Runtime.getRuntime().availableProcessors();
        Table table = new Table("Ingest-like Spring MVC edge (Tomcat): virtual threads vs Tomcat's platform pool; each"
                + " request waits " + downstreamDelay.toMillis() + " ms on a blocking loopback downstream call, then"
                + " answers 202 (" + concurrency + " closed-loop clients; " + warmupSeconds + " s warm-up on each"
                + " server, then per server a fresh start, " + warmupSeconds + " s warm-up, " + seconds + " s measured;"
                + " " + cores + " cores)", "virtual threads", "baseline (platform pool)");
        table.text("Tomcat request threads", virtual.requestThreads(), platform.requestThreads());
        table.row("requests answered 202", virtual.accepted(), platform.accepted());
        table.row("requests/s", virtual.perSecond(), platform.perSecond());
        table.row("latency p50 (ms)", virtual.p50Micros() / 1000.0, platform.p50Micros() / 1000.0);
        table.row("latency p99 (ms)", virtual.p99Micros() / 1000.0, platform.p99Micros() / 1000.0);
        table.row("latency max (ms)", virtual.maxMicros() / 1000.0, platform.maxMicros() / 1000.0);
        table.row("errors", virtual.errors(), platform.errors());
        table.text("error kinds", kinds(virtual.errorKinds()), kinds(platform.errorKinds()));
        table.row("peak requests in the endpoint at once", virtual.peakInFlight(), platform.peakInFlight());
        table.row("live platform threads before start", virtual.threadsBefore(), platform.threadsBefore());
        table.row("peak live platform threads", virtual.peakThreads(), platform.peakThreads());
        table.row("process CPU (cores busy, of " + cores + ")", virtual.cpuCores(), platform.cpuCores());
        table.row("CPU per request (µs)", virtual.cpuCores() * 1e6 / Math.max(1e-9, virtual.perSecond()),
                platform.cpuCores() * 1e6 / Math.max(1e-9, platform.perSecond()));
        table.row("GC time (ms, all collectors)", virtual.gcMillis(), platform.gcMillis());
        if (Double.isNaN(virtual.otherCores()) || Double.isNaN(platform.otherCores())) {
            table.text("other processes' CPU (cores busy)", "n/a", "n/a");
        } else {
            table.text("other processes' CPU (cores busy)", cores(virtual.otherCores()), cores(platform.otherCores()));
        }
        return table;
    }

    private static String cores(double value) {
        return String.format(Locale.ROOT, "%.2f", Math.max(0, value));
    }

    private static String kinds(Map<String, Long> kinds) {
        return kinds.isEmpty() ? "-" : kinds.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
