package io.mediaplatform.benchmarks.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messages' callback: a JDK HTTP server on loopback with a virtual-thread executor that records when each
 * {@code messageId} + {@code status} webhook first arrived (signatures are not checked here) and answers 204.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Instant> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile Instant last;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hooks", exchange -> {
            try (exchange) {
                Instant at = Instant.now();
                requests.incrementAndGet();
                last = at;
                byte[] body = exchange.getRequestBody().readAllBytes();
                try {
                    JsonNode data = JSON.readTree(body).path("data");
                    String messageId = data.path("messageId").asText(null);
                    String status = data.path("status").asText(null);
                    if (messageId != null && status != null) {
                        arrivals.putIfAbsent(key(messageId, status), at);
                    } else {
                        unreadable.incrementAndGet();
                    }
                } catch (IOException e) {
                    unreadable.incrementAndGet();
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    private static String key(String messageId, String status) {
        return messageId + "|" + status;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** When the first webhook of that message with that status arrived, or null. */
    Instant arrival(String messageId, String status) {
        return arrivals.get(key(messageId, status));
    }

    long requests() {
        return requests.get();
    }

    /** When the latest webhook arrived, or null. */
    Instant last() {
        return last;
    }

    long unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
