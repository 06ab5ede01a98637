package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What every provider simulator shares, so that a simulator holds only its provider's protocol: the server's life
 * (its own loopback port, or contexts on another simulator's server so that one port carries them all), the queue of
 * faults answered to the next sends, the recorded sends, and answering JSON; the calls out to the platform (media
 * fetch, the scheduled chain of signed status callbacks with its retries) are {@link OutboundCalls}.
 *
 * @param <S> the simulator itself, for the fluent calls
 */
public abstract class SimulatorServer<S extends SimulatorServer<S>> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatorServer.class);

    /** JSON of the requests and answers. */
    protected final ObjectMapper json = new ObjectMapper();
    /** Every send request received, in arrival order. */
    protected final List<ReceivedSend> sends = new CopyOnWriteArrayList<>();
    /** Faults queued for the next sends. */
    protected final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    /** Fetching media links and posting the status callbacks. */
    protected final OutboundCalls outbound = new OutboundCalls(this);

    private final String name;
    private final String threadName;
    private final int schedulerThreads;
    private final int requestedPort;

    private HttpServer server;
    private boolean ownsServer;
    private ExecutorService requestExecutor;
    private ScheduledExecutorService scheduler;
    private HttpClient http;

    /**
     * @param name             for logs and errors, e.g. {@code "Twilio simulator"}
     * @param threadName       prefix of the scheduler's daemon threads, e.g. {@code "twilio-simulator-"}
     * @param schedulerThreads threads of the scheduler running the status chains
     * @param requestedPort    the port {@link #start()} binds (0: a free one)
     */
    protected SimulatorServer(String name, String threadName, int schedulerThreads, int requestedPort) {
        this.name = name;
        this.threadName = threadName;
        this.schedulerThreads = schedulerThreads;
        this.requestedPort = requestedPort;
    }

    /** Mounts the provider's contexts on the server. */
    protected abstract void serve(HttpServer server);

    /** The context paths {@link #serve} mounted: removed on {@link #close()} from a server this one does not own. */
    protected abstract List<String> contexts();

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** Binds to loopback and starts serving; returns this. */
    public synchronized S start() {
        if (server != null) {
            return self();
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " cannot listen on port " + requestedPort + " (in use?): "
                    + e.getMessage(), e);
        }
        ownsServer = true;
        startServing();
        server.start();
        log.info("{} listening on {}", name, url());
        return self();
    }

    /**
     * Serves on another simulator's running server (e.g. {@link WhatsAppSimulator#server()}), so one port carries
     * both; {@link #close()} then leaves that server running.
     */
    public synchronized S startOn(HttpServer shared) {
        if (server != null) {
            return self();
        }
        server = shared;
        ownsServer = false;
        startServing();
        log.info("{} serving on {}", name, url());
        return self();
    }

    private void startServing() {
        AtomicInteger threads = new AtomicInteger();
        scheduler = Executors.newScheduledThreadPool(schedulerThreads, r -> {
            Thread t = new Thread(r, threadName + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        requestExecutor = Executors.newVirtualThreadPerTaskExecutor();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).executor(requestExecutor).build();
        if (ownsServer) {
            server.setExecutor(requestExecutor);
        }
        serve(server);
    }

    /** Base URL, {@code http://127.0.0.1:<port>}: what the connector's base URL should be. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The port it listens on. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress().getPort();
    }

    /** The underlying server (this one's, or the shared one it serves on). */
    protected synchronized HttpServer runningServer() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server;
    }

    /** Queues faults answered to the next sends, in order, before any magic-recipient rule applies. */
    public S failNext(Fault... next) {
        faults.addAll(List.of(next));
        return self();
    }

    /** Drops the faults still queued by {@link #failNext(Fault...)}. */
    public S clearFaults() {
        faults.clear();
        return self();
    }

    /** Every send request received so far, in arrival order. */
    public List<ReceivedSend> sends() {
        return List.copyOf(sends);
    }

    /** Forgets the recorded sends and the queued faults. */
    protected void forgetSends() {
        sends.clear();
        faults.clear();
    }

    /** The client the simulator calls out with (media links, webhooks). */
    protected synchronized HttpClient client() {
        if (http == null) {
            throw new IllegalStateException("not started");
        }
        return http;
    }

    /** Whether the simulator is closing: no more retries. */
    protected boolean closing() {
        return scheduler == null || scheduler.isShutdown();
    }

    /** Runs the task after the delay on the scheduler. */
    protected void later(Duration delay, Runnable task) {
        scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        if (ownsServer) {
            server.stop(0);
        } else {
            contexts().forEach(server::removeContext);
        }
        scheduler.shutdownNow();
        requestExecutor.shutdownNow();
        http.close();
        server = null;
    }

    /** Holds this request's own (virtual) thread back: a slow provider. */
    protected static void holdBack(Duration delay) {
        if (delay != null && !delay.isZero() && !delay.isNegative()) {
            LockSupport.parkNanos(delay.toNanos());
        }
    }

    /** Answers JSON, with {@code Retry-After} (whole seconds, at least 1) when given. */
    protected void respond(HttpExchange exchange, int status, JsonNode body, Duration retryAfter) {
        try {
            byte[] bytes = render(body);
            exchange.getResponseHeaders().set("Content-Type", jsonContentType());
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            log.debug("Client went away before the answer: {}", e.getMessage());
        }
    }

    /** The bytes of a JSON answer (compact by default). */
    protected byte[] render(JsonNode body) throws IOException {
        return json.writeValueAsBytes(body);
    }

    /** The content type of a JSON answer. */
    protected String jsonContentType() {
        return "application/json";
    }

    /** {@link #holdBack} then {@link #respond}: the exchange stays open on this request's own thread meanwhile. */
    protected void answerLater(HttpExchange exchange, Duration delay, int status, JsonNode body, Duration retryAfter) {
        holdBack(delay);
        respond(exchange, status, body, retryAfter);
    }
}
