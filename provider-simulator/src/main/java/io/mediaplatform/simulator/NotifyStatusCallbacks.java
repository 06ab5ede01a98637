package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The notification simulator's life of an accepted send: it fetches the media URL, then posts the JSON status
 * callbacks ({@code SENT}, {@code DELIVERED}, {@code READ}; or {@code FAILED}), signed the Standard Webhooks way, to
 * every URL of the send's {@code callbacks}, and keeps what it posted.
 */
final class NotifyStatusCallbacks {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final NotifySimulator simulator;
    /** Every status callback body posted, in order. */
    final List<JsonNode> postedStatuses = new CopyOnWriteArrayList<>();

    NotifyStatusCallbacks(NotifySimulator simulator) {
        this.simulator = simulator;
    }

    /** Fetches the message's media (unless a text), then posts its chain of statuses. */
    void deliver(String transactionId, JsonNode body, boolean failOnPurpose) {
        String type = body.at("/request/type").asText();
        String message = body.at("/request/message").asText("");
        CompletableFuture<String> fetched = "text".equals(type) || !message.startsWith("http")
                ? CompletableFuture.completedFuture(null) : fetch(message);
        fetched.whenComplete((problem, error) -> {
            List<String[]> steps = new ArrayList<>();
            if (problem != null || error != null) {
                steps.add(new String[]{"FAILED", "MEDIA_FETCH_FAILED", "The media could not be downloaded: "
                        + (problem != null ? problem : error.getClass().getSimpleName())});
            } else if (failOnPurpose) {
                steps.add(new String[]{"SENT", null, null});
                steps.add(new String[]{"FAILED", "UNDELIVERABLE", "The recipient cannot receive this message"});
            } else {
                steps.add(new String[]{"SENT", null, null});
                steps.add(new String[]{"DELIVERED", null, null});
                steps.add(new String[]{"READ", null, null});
            }
            chain(transactionId, body, steps);
        });
    }

    private void chain(String transactionId, JsonNode body, List<String[]> steps) {
        simulator.outbound.postChain(steps, simulator.statusDelay, step -> {
            ObjectNode status = simulator.json.createObjectNode().put("transactionId", transactionId).put("status", step[0])
                    .put("timestamp", System.currentTimeMillis());
            if (body.at("/request/externalId").isTextual()) {
                status.put("externalId", body.at("/request/externalId").asText());
            }
            if (body.at("/request/clientId").isTextual()) {
                status.put("clientId", body.at("/request/clientId").asText());
            }
            if (step[1] != null) {
                status.put("errorCode", step[1]).put("errorMessage", step[2]);
            }
            postedStatuses.add(status);
            List<CompletableFuture<Void>> posts = new ArrayList<>();
            for (String url : body.path("callbacks").asText("").split(",")) {
                if (!url.isBlank()) {
                    posts.add(post(url.trim(), status));
                }
            }
            return CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new));
        });
    }

    private CompletableFuture<Void> post(String url, JsonNode status) {
        try {
            String payload = simulator.json.writeValueAsString(status);
            String id = "msg_" + UUID.randomUUID();
            long timestamp = Instant.now().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", NotifySimulator.signature(simulator.webhookSecret, id, timestamp, payload))
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
            return simulator.outbound.postWithRetries(request, "Status callback", 1, attempt -> 0);
        } catch (IOException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletableFuture<String> fetch(String link) {
        return simulator.outbound.fetch(link, TIMEOUT, null, null)
                .thenApply(problem -> problem != null && problem.startsWith("no answer") ? "no answer" : problem);
    }
}
