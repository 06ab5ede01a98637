package io.mediaplatform.benchmarks.edgethreads;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A loopback stand-in for what an ingest request waits on (the S3 part upload, the Kafka ack): a JDK
 * {@link HttpServer} on {@code 127.0.0.1} that answers {@code POST /ack} with {@code 200 {"acked":true}} after a
 * fixed delay. Every exchange runs on its own virtual thread, so the downstream never queues: the delay is the same
 * whichever edge calls it and however many calls are in flight.
 *
 * <p>The JDK's HTTP server closes a connection that goes idle while 200 others are idle
 * ({@code sun.net.httpserver.maxIdleConnections}, read once per JVM): an edge with more than 200 calls in flight
 * would then reconnect for almost every call and see some calls fail on a connection closed under it, which S3 or
 * Kafka would not do. {@link #keepIdleConnections()} lifts that limit and must run before the JVM's first
 * {@link HttpServer}.
 */
public final class SlowDownstream implements AutoCloseable {

    private static final byte[] ACK = "{\"acked\":true}".getBytes(StandardCharsets.UTF_8);
    private static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

    private final Duration delay;
    private final HttpServer server;
    private final ExecutorService executor;
    private final LongAdder requests = new LongAdder();

    private SlowDownstream(Duration delay) throws IOException {
        this.delay = delay;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/ack", this::handle);
        server.start();
    }

    /**
     * Lets the JDK's HTTP servers keep their idle connections open (until their 30 s idle timeout) unless
     * {@code sun.net.httpserver.maxIdleConnections} was set; effective only before the JVM's first {@link HttpServer}.
     */
    public static void keepIdleConnections() {
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, "100000");
        }
    }

    /** Starts the downstream on a free loopback port, answering after {@code delay}. */
    public static SlowDownstream start(Duration delay) throws IOException {
        keepIdleConnections();
        return new SlowDownstream(delay);
    }

    /** Where the edges send their calls, e.g. {@code http://127.0.0.1:41234/ack}. */
    public URI ackUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ack");
    }

    /** The delay before each answer. */
    public Duration delay() {
        return delay;
    }

    /** Calls answered or being answered so far. */
    public long requests() {
        return requests.sum();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.increment();
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ACK.length);
            exchange.getResponseBody().write(ACK);
        }
    }
}
