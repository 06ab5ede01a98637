package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The WhatsApp simulator's life of an accepted message: it fetches the media link, then posts the signed
 * {@code statuses[]} webhooks ({@code sent}, {@code delivered}, {@code read}; or {@code failed}) and keeps what it
 * fetched and posted.
 */
final class WhatsAppStatusWebhooks {

    private static final Logger log = LoggerFactory.getLogger(WhatsAppStatusWebhooks.class);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
    private static final long MAX_WEBHOOK_RETRY_WAIT_MS = 5_000;

    private final WhatsAppSimulator simulator;
    /** Every media link fetched for a send, in order, with what it answered. */
    final List<FetchedMedia> fetches = new CopyOnWriteArrayList<>();
    /** Every status webhook body posted, in the order first posted. */
    final List<JsonNode> postedStatuses = new CopyOnWriteArrayList<>();

    WhatsAppStatusWebhooks(WhatsAppSimulator simulator) {
        this.simulator = simulator;
    }

    /** The status words posted so far for one {@code wamid}, in order. */
    List<String> statusesOf(String wamid) {
        List<String> words = new ArrayList<>();
        for (JsonNode payload : postedStatuses) {
            JsonNode status = payload.at("/entry/0/changes/0/value/statuses/0");
            if (wamid.equals(status.path("id").asText())) {
                words.add(status.path("status").asText());
            }
        }
        return words;
    }

    void clear() {
        fetches.clear();
        postedStatuses.clear();
    }

    record Accepted(String wamid, String phoneNumberId, String recipientId, JsonNode body, boolean failOnPurpose) {
        String opaque() {
            return body.path("biz_opaque_callback_data").asText(null);
        }

        String link() {
            return body.path(body.path("type").asText("text")).path("link").asText(null);
        }
    }

    /** Fetches the message's media, then posts its chain of statuses. */
    void deliver(Accepted message) {
        String link = message.link();
        CompletableFuture<String> fetched = link == null ? CompletableFuture.completedFuture(null) : fetch(link);
        fetched.whenComplete((failure, error) -> {
            String problem = error != null ? error.getMessage() : failure;
            if (problem != null) {
                ObjectNode err = simulator.json.createObjectNode().put("code", 131053).put("title", "Media upload error")
                        .put("message", "Media upload error");
                err.putObject("error_data").put("details", "Downloading the media from " + hostOf(link) + " failed: " + problem);
                postChain(message, List.of(new StatusStep("failed", err)));
            } else if (message.failOnPurpose()) {
                ObjectNode err = simulator.json.createObjectNode().put("code", 131026).put("title", "Message undeliverable")
                        .put("message", "Message undeliverable");
                err.putObject("error_data").put("details", "The recipient cannot receive this message.");
                postChain(message, List.of(new StatusStep("failed", err)));
            } else {
                postChain(message, List.of(new StatusStep("sent", null), new StatusStep("delivered", null),
                        new StatusStep("read", null)));
            }
        });
    }

    /** Null when the link answered 2xx with bytes; otherwise why not. Every answer is kept in {@link #fetches}. */
    private CompletableFuture<String> fetch(String link) {
        return simulator.outbound.fetch(link, FETCH_TIMEOUT, "WhatsApp-Simulator/1.0", response -> fetches.add(new FetchedMedia(link,
                response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body())));
    }

    private record StatusStep(String status, JsonNode error) {
    }

    private void postChain(Accepted message, List<StatusStep> steps) {
        simulator.outbound.postChain(steps, simulator.statusDelay, step -> post(statusPayload(message, step)));
    }

    private ObjectNode statusPayload(Accepted message, StatusStep step) {
        ObjectNode payload = simulator.json.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode entry = payload.putArray("entry").addObject().put("id", simulator.wabaId);
        ObjectNode change = entry.putArray("changes").addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value").put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", simulator.displayPhoneNumber)
                .put("phone_number_id", message.phoneNumberId());
        ObjectNode status = value.putArray("statuses").addObject()
                .put("id", message.wamid())
                .put("status", step.status())
                .put("timestamp", Long.toString(Instant.now().getEpochSecond()))
                .put("recipient_id", message.recipientId());
        if (message.opaque() != null) {
            status.put("biz_opaque_callback_data", message.opaque());
        }
        if ("sent".equals(step.status()) || "delivered".equals(step.status())) {
            status.putObject("conversation").put("id", "conv-" + message.recipientId())
                    .putObject("origin").put("type", "utility");
            status.putObject("pricing").put("billable", true).put("pricing_model", "CBP").put("category", "utility");
        }
        if (step.error() != null) {
            ArrayNode errors = status.putArray("errors");
            errors.add(step.error());
        }
        return payload;
    }

    /** Posts one webhook, retrying a few times when the receiver is down or answers non-2xx. */
    private CompletableFuture<Void> post(ObjectNode payload) {
        if (simulator.webhookUrl() == null || simulator.webhookUrl().isBlank()) {
            log.debug("No webhook URL set: status not posted");
            return CompletableFuture.completedFuture(null);
        }
        byte[] body;
        try {
            body = simulator.json.writeValueAsBytes(payload);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        postedStatuses.add(payload);
        return simulator.outbound.postWithRetries(() -> {
            String target = simulator.webhookUrl();
            if (target == null || target.isBlank()) {
                return null;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(WEBHOOK_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (simulator.appSecret != null) {
                request.header(WhatsAppSimulator.SIGNATURE_HEADER, WhatsAppSimulator.signature(simulator.appSecret, body));
            }
            return request.build();
        }, "Status webhook", () -> simulator.webhookAttempts,
                attempt -> Math.min(simulator.statusDelay.toMillis() * attempt, MAX_WEBHOOK_RETRY_WAIT_MS));
    }

    private static String hostOf(String link) {
        try {
            return URI.create(link).getHost();
        } catch (IllegalArgumentException e) {
            return "an invalid URL";
        }
    }
}
