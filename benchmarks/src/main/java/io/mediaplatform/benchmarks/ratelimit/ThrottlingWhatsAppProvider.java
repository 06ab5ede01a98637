package io.mediaplatform.benchmarks.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback WhatsApp Cloud API ({@code POST /{version}/{phone-number-id}/messages}) that throttles like Meta: at
 * most {@code ratePerSecond} messages per sender phone-number-id in fixed one-second windows of the provider's own
 * (wall) clock; beyond that it answers {@code 429} with {@code Retry-After} (seconds to the next window, at least 1)
 * and the Graph error {@code (#130429) Rate limit hit}. Accepted messages get the Graph answer
 * {@code {"messaging_product","contacts","messages":[{"id":"wamid.…"}]}}. It counts, per sender and on the
 * server side, every request, every 429 and the busiest window. Answer shapes follow provider-simulator's
 * {@code WhatsAppSimulator}; there are no status webhooks (the benchmark measures sends only).
 */
public final class ThrottlingWhatsAppProvider implements AutoCloseable {

    private static final Pattern MESSAGES_PATH = Pattern.compile("^/([^/]+)/([^/]+)/messages/?$");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long WINDOW_MILLIS = 1000;

    private final ObjectMapper json = new ObjectMapper();
    private final int ratePerSecond;
    private final String accessToken;
    private final LongSupplier clockMillis;
    private final Map<String, SenderCounters> senders = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Starts the provider on {@code 127.0.0.1} and a free port.
     *
     * @param ratePerSecond messages accepted per sender and one-second window
     * @param accessToken   the Bearer token sends must carry
     */
    public static ThrottlingWhatsAppProvider start(int ratePerSecond, String accessToken) throws IOException {
        return start(ratePerSecond, accessToken, System::currentTimeMillis);
    }

    /** The same on a given clock (milliseconds since the epoch), for tests. */
    static ThrottlingWhatsAppProvider start(int ratePerSecond, String accessToken, LongSupplier clockMillis)
            throws IOException {
        return new ThrottlingWhatsAppProvider(ratePerSecond, accessToken, clockMillis);
    }

    private ThrottlingWhatsAppProvider(int ratePerSecond, String accessToken, LongSupplier clockMillis) throws IOException {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("ratePerSecond must be at least 1");
        }
        this.ratePerSecond = ratePerSecond;
        this.accessToken = accessToken;
        this.clockMillis = clockMillis;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Base URL to give the connector, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Messages accepted per sender and window. */
    public int ratePerSecond() {
        return ratePerSecond;
    }

    /** What the provider saw from one sender phone-number-id so far. */
    public SenderStats stats(String phoneNumberId) {
        SenderCounters counters = senders.get(phoneNumberId);
        return counters == null ? new SenderStats(0, 0, 0, 0, -1, 0) : counters.snapshot();
    }

    /**
     * Server-side counts for one sender.
     *
     * @param requests        send requests received
     * @param accepted        answered 200 with a wamid
     * @param throttled       answered 429
     * @param busiestWindow   most requests (accepted or not) in one one-second window
     * @param firstOffsetMillis where in its one-second window the sender's first request fell (0..999; -1: none):
     *                        the phase between the sender's rate-limit cycles and the provider's windows
     * @param steadyPerSecond mean requests of the provider's whole seconds between the sender's first and last (its
     *                        sustained rate, without the first burst a limiter may let through at once, whatever the
     *                        phase); 0 when the run spanned fewer than three seconds
     */
    public record SenderStats(long requests, long accepted, long throttled, long busiestWindow, long firstOffsetMillis,
                              double steadyPerSecond) {
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Matcher path = MESSAGES_PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches() || !"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                respond(exchange, 400, graphError("Unsupported " + exchange.getRequestMethod().toLowerCase(Locale.ROOT)
                        + " request. Object with ID '" + exchange.getRequestURI().getPath() + "' does not exist",
                        "GraphMethodException", 100), 0);
                return;
            }
            if (!("Bearer " + accessToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, graphError("Invalid OAuth access token - Cannot parse access token",
                        "OAuthException", 190), 0);
                return;
            }
            String phoneNumberId = path.group(2);
            long now = clockMillis.getAsLong();
            long retryAfterSeconds = senders.computeIfAbsent(phoneNumberId, id -> new SenderCounters()).admit(now,
                    ratePerSecond);
            if (retryAfterSeconds > 0) {
                respond(exchange, 429, graphError("(#130429) Rate limit hit", "OAuthException", 130429),
                        retryAfterSeconds);
                return;
            }
            ObjectNode answer = json.createObjectNode().put("messaging_product", "whatsapp");
            answer.putArray("contacts").addObject().put("input", "+15550000000").put("wa_id", "15550000000");
            answer.putArray("messages").addObject().put("id", newWamid());
            respond(exchange, 200, answer, 0);
        }
    }

    private ObjectNode graphError(String message, String type, int code) {
        ObjectNode root = json.createObjectNode();
        root.putObject("error").put("message", message).put("type", type).put("code", code)
                .put("fbtrace_id", "bench" + Long.toHexString(RANDOM.nextLong()));
        return root;
    }

    private void respond(HttpExchange exchange, int status, JsonNode body, long retryAfterSeconds) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (retryAfterSeconds > 0) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfterSeconds));
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            // the client went away before the answer
        }
    }

    private static String newWamid() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "wamid." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** One sender's fixed window and totals. */
    private static final class SenderCounters {
        private long window = Long.MIN_VALUE;
        private long inWindow;
        private long requests;
        private long accepted;
        private long throttled;
        private long busiestWindow;
        private long firstOffsetMillis = -1;
        private long firstWindow;
        private long inWholeWindows;

        /** Counts one request at {@code nowMillis}; 0 when accepted, else the Retry-After in seconds. */
        synchronized long admit(long nowMillis, int limit) {
            long current = Math.floorDiv(nowMillis, WINDOW_MILLIS);
            if (current != window) {
                if (requests > 0 && window > firstWindow) {
                    inWholeWindows += inWindow;      // the window that just ended was neither the first nor the last
                }
                window = current;
                inWindow = 0;
            }
            if (requests == 0) {
                firstOffsetMillis = Math.floorMod(nowMillis, WINDOW_MILLIS);
                firstWindow = current;
            }
            inWindow++;
            requests++;
            busiestWindow = Math.max(busiestWindow, inWindow);
            if (inWindow <= limit) {
                accepted++;
                return 0;
            }
            throttled++;
            long untilNextWindow = (current + 1) * WINDOW_MILLIS - nowMillis;
            return Math.max(1, (untilNextWindow + 999) / 1000);
        }

        synchronized SenderStats snapshot() {
            long wholeWindows = window - firstWindow - 1;
            double steady = wholeWindows > 0 ? (double) inWholeWindows / wholeWindows : 0;
            return new SenderStats(requests, accepted, throttled, busiestWindow, firstOffsetMillis, steady);
        }
    }
}
