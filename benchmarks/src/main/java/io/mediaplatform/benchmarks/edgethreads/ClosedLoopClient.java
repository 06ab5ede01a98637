package io.mediaplatform.benchmarks.edgethreads;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One closed-loop client: sends, waits for the answer, sends again, until the window ends. */
final class ClosedLoopClient implements Runnable {
    private final HttpClient http;
    private final HttpRequest request;
    private final long windowStart;
    private final long windowEnd;
    private final Map<String, LongAdder> errorKinds;
    private long[] latencies = new long[256];
    private int count;
    /** Answers other than 202 (and failed sends) inside the window. */
    long errors;

    ClosedLoopClient(HttpClient http, HttpRequest request, long windowStart, long windowEnd,
                     Map<String, LongAdder> errorKinds) {
        this.http = http;
        this.request = request;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.errorKinds = errorKinds;
    }

    @Override
    public void run() {
        while (System.nanoTime() < windowEnd) {
            long started = System.nanoTime();
            String error;
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                error = status == 202 ? null : "HTTP " + status;
            } catch (IOException e) {
                error = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                return;
            }
            long done = System.nanoTime();
            if (done < windowStart || done > windowEnd) {
                continue;
            }
            if (error != null) {
                errors++;
                errorKinds.computeIfAbsent(error, k -> new LongAdder()).increment();
            } else {
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = (done - started) / 1000;
            }
        }
    }

    /** Every client's latencies in the window (µs), sorted. */
    static long[] merge(ClosedLoopClient[] clients) {
        long[] all = new long[Arrays.stream(clients).mapToInt(c -> c.count).sum()];
        int at = 0;
        for (ClosedLoopClient client : clients) {
            System.arraycopy(client.latencies, 0, all, at, client.count);
            at += client.count;
        }
        Arrays.sort(all);
        return all;
    }

    /** The p-th percentile of sorted latencies (0 for none). */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
