package io.mediaplatform.benchmarks.ratelimit;

import io.mediaplatform.benchmarks.report.Table;
import io.mediaplatform.dispatch.resilience.resilience4j.ResilientSender;
import io.mediaplatform.dispatch.resilience.core.RateShare;
import io.mediaplatform.dispatch.retry.core.ProviderHealth;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.dispatch.connector.whatsapp.WhatsAppConnector;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * "The per-sender rate is held without 429s": {@code messages} WhatsApp sends from {@code threads} concurrent
 * threads through channel-dispatch-service's real {@link WhatsAppConnector} and {@link ResilientSender} (with the
 * service's default retry, circuit breaker and bulkhead settings) against a {@link ThrottlingWhatsAppProvider}
 * that allows {@code providerRate} messages per sender and second. Two runs with the same connector settings and
 * load, side by side:
 * <ul>
 *   <li>rate-limited: the per-sender limiter at {@code limit} messages/s (default: the provider's rate, as
 *       {@code WHATSAPP_RATE_LIMIT} would be set);</li>
 *   <li>baseline: the same sender without a rate limit (retries on 429 honouring {@code Retry-After} still on).</li>
 * </ul>
 * and a third run with the same limit spread over the second ({@link SpreadLimitedConnector}), shown against the
 * rate-limited run. Every run starts {@code phaseMillis} into the provider's second. Requests and 429s are counted
 * by the provider, not by the client.
 */
public final class RateLimitBenchmark {

    private static final String API_VERSION = "v21.0";
    private static final String ACCESS_TOKEN = "bench-token";

    private final int messages;
    private final int threads;
    private final int providerRate;
    private final int limit;
    private final int phaseMillis;

    /**
     * @param messages     sends per run
     * @param threads      concurrent sending threads
     * @param providerRate messages per second and sender the provider accepts
     * @param limit        the rate limiter's messages per second in the limited run
     * @param phaseMillis  where in the provider's (wall-clock) second each run starts, 0..999
     */
    public RateLimitBenchmark(int messages, int threads, int providerRate, int limit, int phaseMillis) {
        if (messages < 1 || threads < 1 || providerRate < 1 || limit < 1) {
            throw new IllegalArgumentException("messages, threads, provider rate and limit must be at least 1");
        }
        if (phaseMillis < 0 || phaseMillis > 999) {
            throw new IllegalArgumentException("the phase is 0..999 ms");
        }
        this.phaseMillis = phaseMillis;
        this.messages = messages;
        this.threads = threads;
        this.providerRate = providerRate;
        this.limit = limit;
    }

    /** What one run measured. */
    record Run(int messages, Duration wall, int sent, int failed, Map<String, Integer> failureCodes, long p50Micros,
               long p99Micros, long maxMicros, ThrottlingWhatsAppProvider.SenderStats provider) {

        double achievedPerSecond() {
            return sent / Math.max(1e-9, wall.toNanos() / 1e9);
        }
    }

    /**
     * Runs warm-up, the rate-limited run, the baseline and the spread limiter; returns two side-by-side tables:
     * rate-limited vs no limiter, and a limiter spreading its permits over the second vs the service's limiter.
     */
    public List<Table> run() throws Exception {
        try (ThrottlingWhatsAppProvider provider = ThrottlingWhatsAppProvider.start(providerRate, ACCESS_TOKEN)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            // Warm-up (JIT, connections) on its own sender id, so it uses none of the measured windows.
            measure(provider, http, "warmup", sender(null), Math.min(messages, providerRate / 2 + 1), null);
            Run limited = measure(provider, http, "sender-limited", sender(limit), messages, null);
            Run baseline = measure(provider, http, "sender-baseline", sender(null), messages, null);
            SpreadLimitedConnector.Shape shape = SpreadLimitedConnector.Shape.within(limit);
            Run spread = measure(provider, http, "sender-spread", sender(null), messages, shape);
            Run replicas = measureReplicas(provider, http, "sender-replicas", messages);
            return List.of(table(limited, baseline), spreadTable(spread, limited, shape), replicasTable(replicas, limited));
        }
    }

    /** The dispatch service's default resilience settings (see dispatch.yml), with or without the rate limit. */
    private static final ResilientSender.Settings DEFAULTS = new ResilientSender.Settings(3, Duration.ofMillis(500),
            Duration.ofSeconds(10), 2.0, 0.5, 50f, 10, 20, Duration.ofSeconds(30), 3, 25, Duration.ofSeconds(10));

    private static ResilientSender sender(Integer ratePerSecond) {
        Map<String, Integer> rates = ratePerSecond == null ? Map.of() : Map.of(WhatsAppConnector.PROVIDER, ratePerSecond);
        return new ResilientSender(DEFAULTS, rates, Duration.ofSeconds(5));
    }

    private Run measure(ThrottlingWhatsAppProvider provider, HttpClient http, String phoneNumberId,
                        ResilientSender sender, int count, SpreadLimitedConnector.Shape spread) throws Exception {
        WhatsAppConnector whatsApp = new WhatsAppConnector(http, provider.baseUrl(), API_VERSION, phoneNumberId,
                ACCESS_TOKEN, Duration.ofSeconds(15));
        ProviderConnector connector = spread == null ? whatsApp : new SpreadLimitedConnector(whatsApp, spread);
        return measure(provider, phoneNumberId, n -> sender, connector, count);
    }

    /**
     * Two dispatch replicas sending for one sender at once, as two instances of one consumer group do: each its own
     * {@link ResilientSender} with the limit, sharing it by the partitions each holds ({@link RateShare}: 3 of 6
     * each), the messages taken in turn.
     */
    private Run measureReplicas(ThrottlingWhatsAppProvider provider, HttpClient http, String phoneNumberId, int count)
            throws Exception {
        WhatsAppConnector whatsApp = new WhatsAppConnector(http, provider.baseUrl(), API_VERSION, phoneNumberId,
                ACCESS_TOKEN, Duration.ofSeconds(15));
        List<ResilientSender> replicas = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            RateShare share = new RateShare(() -> 6);
            share.assigned(r == 0 ? List.of(0, 1, 2) : List.of(3, 4, 5));
            replicas.add(new ResilientSender(DEFAULTS, Map.of(WhatsAppConnector.PROVIDER, limit), Duration.ofSeconds(5),
                    ResilientSender.DEFAULT_RATE_LIMIT_MARGIN, share, new ProviderHealth()));
        }
        return measure(provider, phoneNumberId, n -> replicas.get(n % 2), whatsApp, count);
    }

    /** {@code count} sends from this run's threads, send {@code n} through {@code senderOf(n)}, counted by the provider. */
    private Run measure(ThrottlingWhatsAppProvider provider, String phoneNumberId, IntFunction<ResilientSender> senderOf,
                        ProviderConnector connector, int count) throws Exception {
        long[] latencies = new long[count];
        SendResult[] results = new SendResult[count];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>(count);
            startAtPhase();
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    OutboundSend send = OutboundSend.media("bench", phoneNumberId + "-m" + n, WhatsAppConnector.CHANNEL,
                            null, "+1555" + String.format("%07d", n), SendKind.IMAGE, "benchmark " + n, null,
                            "http://127.0.0.1:1/v1/media/bench-" + n + "?sig=x", "bench-" + n, "conv-" + (n % 50));
                    long t0 = System.nanoTime();
                    results[n] = senderOf.apply(n).send(connector, send);
                    latencies[n] = (System.nanoTime() - t0) / 1000;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return run(count, Duration.ofNanos(System.nanoTime() - started), results, latencies,
                    provider.stats(phoneNumberId));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until the wall clock is {@code phaseMillis} into a second (the provider's windows are wall seconds). */
    private void startAtPhase() throws InterruptedException {
        long wait = Math.floorMod(phaseMillis - System.currentTimeMillis(), 1000L);
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static Run run(int count, Duration wall, SendResult[] results, long[] latencies,
                           ThrottlingWhatsAppProvider.SenderStats stats) {
        int sent = 0;
        Map<String, Integer> codes = new TreeMap<>();
        for (SendResult result : results) {
            if (result instanceof SendResult.Sent) {
                sent++;
            } else if (result instanceof SendResult.Failed failed) {
                codes.merge(failed.code(), 1, Integer::sum);
            }
        }
        Arrays.sort(latencies);
        return new Run(count, wall, sent, count - sent, codes, percentile(latencies, 50), percentile(latencies, 99),
                latencies[count - 1], stats);
    }

    private Table replicasTable(Run replicas, Run limited) {
        Table table = figures(new Table("The same load from two dispatch replicas sharing the limit (each "
                + limit + "/s x 3 of 6 partitions) vs one instance with the whole limit, same phase",
                "two replicas (" + limit + "/s shared)", "one instance (" + limit + "/s)"), replicas, limited);
        table.row("sustained ÷ provider limit", replicas.provider().steadyPerSecond() / providerRate,
                limited.provider().steadyPerSecond() / providerRate);
        return table;
    }


    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private Table table(Run limited, Run baseline) {
        Table table = figures(new Table("WhatsApp sends through ResilientSender: per-sender rate limit vs none (provider allows "
                + providerRate + " msgs/s per sender in fixed 1 s windows; " + threads + " threads; runs start "
                + phaseMillis + " ms into the provider's second)",
                "rate-limited (" + limit + "/s)", "baseline (no limiter)"), limited, baseline);
        table.row("sustained ÷ provider limit", limited.provider().steadyPerSecond() / providerRate,
                baseline.provider().steadyPerSecond() / providerRate);
        return table;
    }

    private Table spreadTable(Run spread, Run limited, SpreadLimitedConnector.Shape shape) {
        return figures(new Table("The same load with the limit spread over the second (" + shape + ") vs the service's"
                + " limiter (" + limit + "/s setting), same phase", "spread (" + shape.perSecond() + "/s)",
                "rate-limited (" + limit + "/s)"), spread, limited);
    }

    private static Table figures(Table table, Run limited, Run baseline) {
        table.row("messages", limited.messages(), baseline.messages());
        table.row("sent", limited.sent(), baseline.sent());
        table.row("failed sends", limited.failed(), baseline.failed());
        table.text("failure codes", codes(limited.failureCodes()), codes(baseline.failureCodes()));
        table.row("provider requests", limited.provider().requests(), baseline.provider().requests());
        table.row("429 responses (provider)", limited.provider().throttled(), baseline.provider().throttled());
        table.row("busiest 1 s window (requests)", limited.provider().busiestWindow(),
                baseline.provider().busiestWindow());
        table.text("first request at (ms into provider's second)", Long.toString(limited.provider().firstOffsetMillis()),
                Long.toString(baseline.provider().firstOffsetMillis()));
        table.row("wall time (s)", limited.wall().toMillis() / 1000.0, baseline.wall().toMillis() / 1000.0);
        table.row("achieved msgs/s (sent)", limited.achievedPerSecond(), baseline.achievedPerSecond());
        table.row("sustained requests/s (whole provider seconds)", limited.provider().steadyPerSecond(),
                baseline.provider().steadyPerSecond());
        table.row("send latency p50 (ms)", limited.p50Micros() / 1000.0, baseline.p50Micros() / 1000.0);
        table.row("send latency p99 (ms)", limited.p99Micros() / 1000.0, baseline.p99Micros() / 1000.0);
        table.row("send latency max (ms)", limited.maxMicros() / 1000.0, baseline.maxMicros() / 1000.0);
        return table;
    }

    private static String codes(Map<String, Integer> codes) {
        return codes.isEmpty() ? "-" : codes.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
