package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.mediaplatform.common.signing.StandardWebhooks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A demo webhook receiver for the local stack, at {@code /webhook-inbox/<name>} on the simulator port: POST
 * records the webhook and checks its Standard Webhooks signature against the demo tenants' secrets (and the secrets of
 * the tenant webhook endpoints the local stack registered here, see {@link #trust}); GET lists
 * what arrived (newest last) with {@code signatureValid} and the tenant whose secret verified it.
 */
final class WebhookInbox implements HttpHandler {

    static final String PATH = "/webhook-inbox/";
    private static final int KEEP = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<LocalSecrets.Tenant> tenants;
    private final Map<String, Deque<ObjectNode>> inboxes = new HashMap<>();
    /** Secrets of tenant webhook endpoints (created through the callback API) pointing here, with their tenant. */
    private final Map<String, String> endpointSecrets = new java.util.concurrent.ConcurrentHashMap<>();

    WebhookInbox(List<LocalSecrets.Tenant> tenants) {
        this.tenants = tenants;
    }

    /** Also verifies signatures made with this endpoint secret, as the tenant's. */
    void trust(String tenantId, String endpointSecret) {
        endpointSecrets.put(endpointSecret, tenantId);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring(PATH.length());
            if (name.isEmpty() || name.contains("/")) {
                answer(exchange, 404, "{\"error\":\"use /webhook-inbox/<name>\"}");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "POST" -> receive(exchange, name);
                case "GET" -> list(exchange, name);
                case "DELETE" -> {
                    synchronized (inboxes) {
                        inboxes.remove(name);
                    }
                    answer(exchange, 204, null);
                }
                default -> answer(exchange, 405, "{\"error\":\"method not allowed\"}");
            }
        }
    }

    private void receive(HttpExchange exchange, String name) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String id = exchange.getRequestHeaders().getFirst(StandardWebhooks.ID_HEADER);
        String timestamp = exchange.getRequestHeaders().getFirst(StandardWebhooks.TIMESTAMP_HEADER);
        String signature = exchange.getRequestHeaders().getFirst(StandardWebhooks.SIGNATURE_HEADER);
        String verifiedTenant = null;
        for (LocalSecrets.Tenant tenant : tenants) {
            if (StandardWebhooks.verify(tenant.webhookSecret(), id, timestamp, body, signature, Instant.now(), Duration.ofMinutes(5))) {
                verifiedTenant = tenant.id();
            }
        }
        for (Map.Entry<String, String> endpoint : endpointSecrets.entrySet()) {
            if (StandardWebhooks.verify(endpoint.getKey(), id, timestamp, body, signature, Instant.now(), Duration.ofMinutes(5))) {
                verifiedTenant = endpoint.getValue();
            }
        }
        ObjectNode entry = JSON.createObjectNode();
        entry.put("receivedAt", Instant.now().toString());
        entry.put("webhookId", id);
        entry.put("signatureValid", verifiedTenant != null);
        entry.put("tenant", verifiedTenant);
        JsonNode payload;
        try {
            payload = JSON.readTree(body);
        } catch (IOException e) {
            payload = JSON.getNodeFactory().textNode(body);
        }
        entry.set("payload", payload);
        synchronized (inboxes) {
            Deque<ObjectNode> inbox = inboxes.computeIfAbsent(name, k -> new ArrayDeque<>());
            inbox.addLast(entry);
            while (inbox.size() > KEEP) {
                inbox.removeFirst();
            }
        }
        answer(exchange, 204, null);
    }

    private void list(HttpExchange exchange, String name) throws IOException {
        ArrayNode list = JSON.createArrayNode();
        synchronized (inboxes) {
            inboxes.getOrDefault(name, new ArrayDeque<>()).forEach(list::add);
        }
        answer(exchange, 200, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(list) + "\n");
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        if (json == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
