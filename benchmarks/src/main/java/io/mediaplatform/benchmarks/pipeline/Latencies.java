package io.mediaplatform.benchmarks.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;

/**
 * Exact latency percentiles from a sorted array of microseconds (nearest rank). Exact rather than HdrHistogram:
 * HdrHistogram 2.2.2 is in {@code ~/.m2} only as Micrometer's runtime dependency, and a few thousand values sort in
 * no time.
 */
final class Latencies {

    private final long[] micros;

    private Latencies(long[] micros) {
        this.micros = micros;
        Arrays.sort(this.micros);
    }

    static Latencies of(long[] micros) {
        return new Latencies(micros.clone());
    }

    static Latencies of(Collection<Long> micros) {
        return new Latencies(micros.stream().mapToLong(Long::longValue).toArray());
    }

    static long micros(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1000;
    }

    int count() {
        return micros.length;
    }

    /** The p-th percentile (0 < p ≤ 100) in milliseconds, NaN when empty. */
    double percentileMillis(double p) {
        if (micros.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * micros.length);
        return micros[Math.max(0, Math.min(micros.length - 1, rank - 1))] / 1000.0;
    }

    double p50() {
        return percentileMillis(50);
    }

    double p99() {
        return percentileMillis(99);
    }

    double p999() {
        return percentileMillis(99.9);
    }

    double maxMillis() {
        return micros.length == 0 ? Double.NaN : micros[micros.length - 1] / 1000.0;
    }

    /** The sorted values in microseconds (for the plot). */
    long[] sortedMicros() {
        return micros;
    }
}
