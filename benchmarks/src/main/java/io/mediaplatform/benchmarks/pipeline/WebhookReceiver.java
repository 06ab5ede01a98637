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
 * {@code messageId} + {@code status} webhook first arrived (signatures are not checked here) and answers 204. It can be
 * taken down ({@link #stop()}: connections refused) and brought back on the same port ({@link #start()}).
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final int port;
    private final Map<String, Instant> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile Instant last;

    public WebhookReceiver() throws IOException {
        bind(0);
        port = server.getAddress().getPort();
    }

    /** Takes the receiver down: its port refuses connections until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Brings a stopped receiver back on its port. */
    public synchronized void start() throws IOException {
        if (server == null) {
            bind(port);
        }
    }

    private void bind(int on) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 0);
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

    public String url() {
        return "http://127.0.0.1:" + port + "/hooks";
    }

    /** When the first webhook of that message with that status arrived, or null. */
    public Instant arrival(String messageId, String status) {
        return arrivals.get(key(messageId, status));
    }

    public long requests() {
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
        stop();
    }
}
