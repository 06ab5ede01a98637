package io.mediaplatform.benchmarks.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.benchmarks.faults.core.PhaseResult;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Each message's status as callback's {@code GET /v1/messages/{id}} has it: a final status of its history when it has
 * one, else its current status; {@link #UNKNOWN} for a 404, {@link #UNREADABLE} when the API did not answer.
 */
final class MessageStatuses {

    static final String UNKNOWN = "404";
    static final String UNREADABLE = "unreadable";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String callbackUrl;
    private final String apiKey;
    private final Semaphore inFlight = new Semaphore(8);

    MessageStatuses(HttpClient http, String callbackUrl, String apiKey) {
        this.http = http;
        this.callbackUrl = callbackUrl;
        this.apiKey = apiKey;
    }

    Map<String, String> read(Collection<String> messageIds) throws InterruptedException {
        Map<String, String> statuses = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (String id : messageIds) {
            inFlight.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    statuses.put(id, read(id));
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return statuses;
    }

    private String read(String id) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(callbackUrl + "/v1/messages/" + id))
                    .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + apiKey).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return UNKNOWN;
            }
            if (response.statusCode() != 200) {
                return UNREADABLE;
            }
            JsonNode detail = JSON.readTree(response.body());
            for (JsonNode entry : detail.path("history")) {
                if (PhaseResult.isFinal(entry.path("status").asText(null))) {
                    return entry.path("status").asText();
                }
            }
            return detail.path("status").asText(UNREADABLE);
        } catch (IOException e) {
            return UNREADABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNREADABLE;
        }
    }
}
