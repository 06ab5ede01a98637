package io.mediaplatform.benchmarks.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.benchmarks.pipeline.IngestRequests;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One phase's messages, sent at a steady rate in the background like a well-behaved client: each message is a
 * {@code POST /v1/messages} (a WhatsApp image of its conversation's media), sent again with the same
 * {@code Idempotency-Key} every second while it is not answered 202 (ingest down, a 5xx, a refused connection), for
 * at most {@code giveUp}.
 */
final class Traffic {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message's fate: its id once answered 202 (else null), and when. */
    record Outcome(int index, String messageId, Instant acceptedAt, int attempts) {
    }

    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentHashMap<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
    private final AtomicInteger launched = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final Thread pacer;

    private Traffic(HttpClient http, String ingestUrl, String apiKey, String callback, List<String> mediaIds,
                    List<String> conversations, String phase, int count, double perSecond, Duration giveUp) {
        long start = System.nanoTime();
        pacer = Thread.ofPlatform().name("traffic-" + phase).start(() -> {
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int index = i;
                int conversation = i % conversations.size();
                String key = "faults-" + phase + "-" + i;
                Thread sender = Thread.ofVirtual().start(() -> {
                    long deadline = System.nanoTime() + giveUp.toNanos();
                    int attempts = 0;
                    String messageId = null;
                    while (messageId == null && System.nanoTime() < deadline) {
                        attempts++;
                        try {
                            HttpResponse<String> response = IngestRequests.postImageMessage(http, ingestUrl, apiKey,
                                    mediaIds.get(conversation), conversations.get(conversation), callback, key);
                            if (response.statusCode() == 202) {
                                messageId = JSON.readTree(response.body()).path("messageId").asText(null);
                            }
                        } catch (IOException e) {
                            // refused or cut: try again
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        if (messageId == null) {
                            retried.incrementAndGet();
                            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                        }
                    }
                    outcomes.put(index, new Outcome(index, messageId, messageId == null ? null : Instant.now(), attempts));
                });
                synchronized (threads) {
                    threads.add(sender);
                }
                launched.incrementAndGet();
            }
        });
    }

    static Traffic start(HttpClient http, String ingestUrl, String apiKey, String callback, List<String> mediaIds,
                         List<String> conversations, String phase, int count, double perSecond, Duration giveUp) {
        return new Traffic(http, ingestUrl, apiKey, callback, mediaIds, conversations, phase, count, perSecond, giveUp);
    }

    /** Messages whose first POST went out so far. */
    int launched() {
        return launched.get();
    }

    /** POSTs that were not answered 202 and were sent again. */
    int retried() {
        return retried.get();
    }

    /** Waits until every message went out and got its answer (or gave up); returns the outcomes in order. */
    List<Outcome> awaitDone() throws InterruptedException {
        pacer.join();
        List<Thread> all;
        synchronized (threads) {
            all = List.copyOf(threads);
        }
        for (Thread t : all) {
            t.join();
        }
        return outcomes.values().stream().sorted(java.util.Comparator.comparingInt(Outcome::index)).toList();
    }
}
