package io.mediaplatform.benchmarks.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reading back what a pipeline run reached: waiting for the SENT webhooks at the receiver, then each accepted
 * message's history from the callback API, read by the load's clients.
 */
final class CallbackReadback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int clients;
    private final PrintStream log;

    CallbackReadback(int clients, PrintStream log) {
        this.clients = clients;
        this.log = log;
    }

    /**
     * How long the wait for the SENT webhooks goes on without one arriving: longer than callback's claim lease
     * ({@code WEBHOOK_CLAIM_LEASE}, 2 min), which a held delivery can wait out (see the README).
     */
    private static final Duration NO_PROGRESS = Duration.ofSeconds(150);

    /** Waits until every accepted message's SENT webhook arrived, or none arrived for {@link #NO_PROGRESS}, or the timeout. */
    boolean awaitWebhooks(WebhookReceiver receiver, List<Sent> sent, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            long missing = sent.stream().filter(s -> s.status() == 202 && receiver.arrival(s.messageId(), "SENT") == null).count();
            if (missing == 0) {
                return true;
            }
            long now = System.nanoTime();
            if (missing != lastCount) {
                lastCount = missing;
                lastProgress = now;
            }
            if (now > deadline || now - lastProgress > NO_PROGRESS.toNanos()) {
                log.println("pipeline: " + missing + " SENT webhooks still missing, going on");
                return false;
            }
            Thread.sleep(50);
        }
    }

    /** Each accepted message's history from {@code GET {callback}/v1/messages/{id}}, read by the same clients. */
    Map<String, History> histories(List<HttpClient> http, String callbackUrl, String apiKey, List<Sent> sent,
                                           WebhookReceiver receiver) throws InterruptedException {
        AtomicInteger described = new AtomicInteger();
        List<Sent> accepted = sent.stream().filter(s -> s.status() == 202).toList();
        Map<String, History> histories = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            HttpClient client = http.get(c);
            threads.add(Thread.ofVirtual().start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < accepted.size()) {
                    String id = accepted.get(i).messageId();
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                        URI.create(callbackUrl + "/v1/messages/" + id)).timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + apiKey).GET().build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            continue;
                        }
                        Map<String, Instant> at = new LinkedHashMap<>();
                        JsonNode detail = JSON.readTree(response.body());
                        if (receiver.arrival(id, "SENT") == null && described.incrementAndGet() <= 3) {
                            // why a SENT webhook is missing: the message's statuses and webhook attempts as callback has them
                            log.println("pipeline: no SENT webhook for " + id + ": status " + detail.path("status").asText()
                                    + ", history " + detail.path("history") + ", webhookAttempts " + detail.path("webhookAttempts"));
                        }
                        for (JsonNode entry : detail.path("history")) {
                            at.putIfAbsent(entry.path("status").asText(), Instant.parse(entry.path("at").asText()));
                        }
                        histories.put(id, new History(at));
                    } catch (IOException | RuntimeException e) {
                        // counted as not reaching SENT
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return histories;
    }
}
