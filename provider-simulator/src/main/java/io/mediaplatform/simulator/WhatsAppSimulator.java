package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WhatsApp Cloud API look-alike on the JDK HTTP server, for the local stack and for tests.
 *
 * <p>It takes {@code POST /{version}/{phoneNumberId}/messages} with {@code Authorization: Bearer <token>} and a
 * Cloud API body, answers like Graph does ({@code 200 {"messaging_product","contacts","messages":[{"id":"wamid.…"}]}}
 * or a Graph error {@code {"error":{"message","type","code"}}}), and then, asynchronously like the real provider,
 * fetches the media link and posts status webhooks ({@code sent}, {@code delivered}, {@code read}; or
 * {@code failed} with error 131053 when the media cannot be fetched) to the webhook URL, each signed with
 * {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(appSecret, body)>}.
 *
 * <p>Magic recipients (the last four digits of {@code to}): {@code 0400} is refused with 400 and Graph code
 * 131026 (undeliverable); {@code 0500} gets a 500; {@code 0429} gets a 429 with {@code Retry-After: 1} and code
 * 130429; {@code 0009} is accepted and then reported {@code failed}; {@code 0408} is accepted after a
 * {@link #SLOW_DELAY} pause (a slow provider, to make a client time out). {@link #failNext(Fault...)} queues faults
 * for the next sends whatever their recipient.
 */
public final class WhatsAppSimulator implements AutoCloseable {

    /** Header carrying the webhook signature. */
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    /** How long a send to a recipient ending in {@code 0408} is held back. */
    public static final Duration SLOW_DELAY = Duration.ofSeconds(5);
    /** Default time between a send and its first status, and between statuses. */
    public static final Duration DEFAULT_STATUS_DELAY = Duration.ofMillis(200);

    private static final Logger log = LoggerFactory.getLogger(WhatsAppSimulator.class);
    private static final Pattern MESSAGES_PATH = Pattern.compile("^/([^/]+)/([^/]+)/messages/?$");
    private static final Set<String> MEDIA_TYPES = Set.of("image", "video", "audio", "document", "sticker");
    private static final Set<String> CAPTIONED = Set.of("image", "video", "document");
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
    private static final int WEBHOOK_ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int requestedPort;
    private final String accessToken;
    private final String appSecret;
    private final Duration statusDelay;
    private final String wabaId;
    private final String displayPhoneNumber;
    private volatile String webhookUrl;

    private final ObjectMapper json = new ObjectMapper();
    private final List<ReceivedSend> sends = new CopyOnWriteArrayList<>();
    private final List<JsonNode> postedStatuses = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();

    private HttpServer server;
    private ExecutorService requestExecutor;
    private ScheduledExecutorService scheduler;
    private HttpClient http;

    private WhatsAppSimulator(Builder builder) {
        this.requestedPort = builder.port;
        this.accessToken = Objects.requireNonNull(builder.accessToken, "accessToken");
        this.appSecret = builder.appSecret;
        this.webhookUrl = builder.webhookUrl;
        this.statusDelay = builder.statusDelay;
        this.wabaId = builder.wabaId;
        this.displayPhoneNumber = builder.displayPhoneNumber;
    }

    /** A builder; only the access token is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds to loopback and starts serving; returns this. */
    public synchronized WhatsAppSimulator start() {
        if (server != null) {
            return this;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("WhatsApp simulator cannot listen on port " + requestedPort
                    + " (in use?): " + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "whatsapp-simulator-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        requestExecutor = Executors.newVirtualThreadPerTaskExecutor();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).executor(requestExecutor).build();
        server.setExecutor(requestExecutor);
        server.createContext("/", this::handle);
        server.start();
        log.info("WhatsApp simulator listening on {}", url());
        return this;
    }

    /** Base URL, {@code http://127.0.0.1:<port>}: what {@code WHATSAPP_BASE_URL} should be. */
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

    /** The underlying server, e.g. to mount more contexts on it (a demo webhook inbox). */
    public synchronized HttpServer server() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server;
    }

    /** Where status webhooks go; may be set after start (null: statuses are not posted). */
    public WhatsAppSimulator webhookUrl(String url) {
        this.webhookUrl = url;
        return this;
    }

    /** The current webhook URL, or null. */
    public String webhookUrl() {
        return webhookUrl;
    }

    /** Queues faults answered to the next sends, in order, before any magic-recipient rule applies. */
    public WhatsAppSimulator failNext(Fault... next) {
        faults.addAll(List.of(next));
        return this;
    }

    /** Every send request received so far, in arrival order (accepted or not). */
    public List<ReceivedSend> sends() {
        return List.copyOf(sends);
    }

    /**
     * Every status webhook body posted so far (the whole {@code whatsapp_business_account} payload), in the
     * order they were first posted; see {@link #statusesOf(String)} for the status words of one message.
     */
    public List<JsonNode> postedStatuses() {
        return List.copyOf(postedStatuses);
    }

    /** The status words ({@code sent}, {@code delivered}, …) posted so far for one {@code wamid}, in order. */
    public List<String> statusesOf(String wamid) {
        List<String> words = new ArrayList<>();
        for (JsonNode payload : postedStatuses) {
            JsonNode status = payload.at("/entry/0/changes/0/value/statuses/0");
            if (wamid.equals(status.path("id").asText())) {
                words.add(status.path("status").asText());
            }
        }
        return words;
    }

    /** Drops the faults still queued by {@link #failNext(Fault...)}. */
    public WhatsAppSimulator clearFaults() {
        faults.clear();
        return this;
    }

    /** Forgets recorded sends, statuses and queued faults. */
    public void reset() {
        sends.clear();
        postedStatuses.clear();
        faults.clear();
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.stop(0);
        scheduler.shutdownNow();
        requestExecutor.shutdownNow();
        http.close();
        server = null;
    }

    // ---------------------------------------------------------------- send endpoint

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = MESSAGES_PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches() || !"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                respond(exchange, 400, graphError("Unsupported " + exchange.getRequestMethod().toLowerCase(Locale.ROOT)
                        + " request. Object with ID '" + exchange.getRequestURI().getPath() + "' does not exist",
                        "GraphMethodException", 100), null);
                return;
            }
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = headers(exchange);
            JsonNode body = parse(raw);
            String version = path.group(1);
            String phoneNumberId = path.group(2);

            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                record(exchange, version, phoneNumberId, headers, body, 401, null);
                respond(exchange, 401, graphError("Invalid OAuth access token - Cannot parse access token",
                        "OAuthException", 190), null);
                return;
            }
            String invalid = validate(body);
            if (invalid != null) {
                record(exchange, version, phoneNumberId, headers, body, 400, null);
                respond(exchange, 400, graphError("(#100) " + invalid, "OAuthException", 100), null);
                return;
            }
            Fault fault = faults.poll();
            if (fault != null && !fault.answersNormally()) {
                record(exchange, version, phoneNumberId, headers, body, fault.httpStatus(), null);
                answerLater(exchange, fault.delay(), fault.httpStatus(),
                        graphError(fault.message(), "OAuthException", fault.graphCode()), fault.retryAfter());
                return;
            }
            String to = body.path("to").asText();
            String waId = to.replaceAll("\\D", "");
            if (waId.endsWith("0400")) {
                record(exchange, version, phoneNumberId, headers, body, 400, null);
                ObjectNode error = graphError("(#131026) Message Undeliverable.", "OAuthException", 131026);
                ((ObjectNode) error.get("error")).putObject("error_data").put("messaging_product", "whatsapp")
                        .put("details", "Message Undeliverable.");
                respond(exchange, 400, error, null);
                return;
            }
            if (waId.endsWith("0408") && (fault == null || fault.delay().isZero())) {
                fault = Fault.slow(SLOW_DELAY);
            }
            if (waId.endsWith("0500")) {
                record(exchange, version, phoneNumberId, headers, body, 500, null);
                respond(exchange, 500, graphError("An unknown error has occurred.", "OAuthException", 1), null);
                return;
            }
            if (waId.endsWith("0429")) {
                record(exchange, version, phoneNumberId, headers, body, 429, null);
                respond(exchange, 429, graphError("(#130429) Rate limit hit", "OAuthException", 130429), Duration.ofSeconds(1));
                return;
            }

            String wamid = newWamid();
            record(exchange, version, phoneNumberId, headers, body, 200, wamid);
            ObjectNode answer = json.createObjectNode().put("messaging_product", "whatsapp");
            answer.putArray("contacts").addObject().put("input", to).put("wa_id", waId);
            answer.putArray("messages").addObject().put("id", wamid);
            Duration delay = fault == null ? Duration.ZERO : fault.delay();
            answerLater(exchange, delay, 200, answer, null);
            scheduler.schedule(() -> deliver(new Accepted(wamid, phoneNumberId, waId, body, waId.endsWith("0009"))),
                    delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            log.warn("WhatsApp simulator failed to handle a request", e);
            respond(exchange, 500, graphError("An unexpected error has occurred.", "OAuthException", 2), null);
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                accessToken.getBytes(StandardCharsets.UTF_8));
    }

    /** The reason the body is not a valid Cloud API send, or null when it is. */
    private static String validate(JsonNode body) {
        if (!body.isObject()) {
            return "The request body is not a JSON object";
        }
        if (!"whatsapp".equals(body.path("messaging_product").asText(null))) {
            return "The parameter messaging_product is required and must be 'whatsapp'";
        }
        if (body.has("recipient_type") && !"individual".equals(body.path("recipient_type").asText())) {
            return "Param recipient_type must be 'individual'";
        }
        String to = body.path("to").asText("");
        if (!body.path("to").isTextual() || to.replaceAll("\\D", "").isEmpty()) {
            return "The parameter to is required and must be a phone number";
        }
        String type = body.path("type").asText("text");
        if (!MEDIA_TYPES.contains(type) && !"text".equals(type)) {
            return "Param type must be one of {TEXT, IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER}";
        }
        JsonNode content = body.path(type);
        if (!content.isObject()) {
            return "The parameter " + type + " is required";
        }
        if ("text".equals(type)) {
            if (content.path("body").asText("").isBlank()) {
                return "The parameter text['body'] is required";
            }
        } else {
            String link = content.path("link").asText(null);
            if (link == null && !content.has("id")) {
                return "Param " + type + " must have a link or an id";
            }
            if (link != null && !(link.startsWith("http://") || link.startsWith("https://"))) {
                return "Param " + type + "['link'] must be an http or https URL";
            }
            if (content.has("caption") && !CAPTIONED.contains(type)) {
                return "Param " + type + "['caption'] is not valid";
            }
            if (content.has("filename") && !"document".equals(type)) {
                return "Param " + type + "['filename'] is not valid";
            }
        }
        JsonNode opaque = body.get("biz_opaque_callback_data");
        if (opaque != null && (!opaque.isTextual() || opaque.asText().length() > 512)) {
            return "Param biz_opaque_callback_data must be a string of at most 512 characters";
        }
        return null;
    }

    // ---------------------------------------------------------------- asynchronous life of a message

    private record Accepted(String wamid, String phoneNumberId, String recipientId, JsonNode body, boolean failOnPurpose) {
        String opaque() {
            return body.path("biz_opaque_callback_data").asText(null);
        }

        String link() {
            return body.path(body.path("type").asText("text")).path("link").asText(null);
        }
    }

    private void deliver(Accepted message) {
        String link = message.link();
        CompletableFuture<String> fetched = link == null ? CompletableFuture.completedFuture(null) : fetch(link);
        fetched.whenComplete((failure, error) -> {
            String problem = error != null ? error.getMessage() : failure;
            if (problem != null) {
                ObjectNode err = json.createObjectNode().put("code", 131053).put("title", "Media upload error")
                        .put("message", "Media upload error");
                err.putObject("error_data").put("details", "Downloading the media from " + hostOf(link) + " failed: " + problem);
                postChain(message, List.of(new StatusStep("failed", err)));
            } else if (message.failOnPurpose()) {
                ObjectNode err = json.createObjectNode().put("code", 131026).put("title", "Message undeliverable")
                        .put("message", "Message undeliverable");
                err.putObject("error_data").put("details", "The recipient cannot receive this message.");
                postChain(message, List.of(new StatusStep("failed", err)));
            } else {
                postChain(message, List.of(new StatusStep("sent", null), new StatusStep("delivered", null),
                        new StatusStep("read", null)));
            }
        });
    }

    /** Null when the link answered 2xx with bytes; otherwise why not. */
    private CompletableFuture<String> fetch(String link) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(link)).timeout(FETCH_TIMEOUT)
                    .header("User-Agent", "WhatsApp-Simulator/1.0").GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture("invalid media URL");
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(FETCH_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        return "no answer (" + error.getClass().getSimpleName() + ")";
                    }
                    if (response.statusCode() / 100 != 2) {
                        return "HTTP " + response.statusCode();
                    }
                    if (response.body().length == 0) {
                        return "empty body";
                    }
                    log.debug("Fetched {} bytes of media", response.body().length);
                    return null;
                });
    }

    private record StatusStep(String status, JsonNode error) {
    }

    private void postChain(Accepted message, List<StatusStep> steps) {
        if (steps.isEmpty()) {
            return;
        }
        scheduler.schedule(() -> {
            StatusStep step = steps.getFirst();
            post(statusPayload(message, step), 1)
                    .whenComplete((ok, e) -> postChain(message, steps.subList(1, steps.size())));
        }, statusDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ObjectNode statusPayload(Accepted message, StatusStep step) {
        ObjectNode payload = json.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode entry = payload.putArray("entry").addObject().put("id", wabaId);
        ObjectNode change = entry.putArray("changes").addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value").put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", displayPhoneNumber)
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
    private CompletableFuture<Void> post(ObjectNode payload, int attempt) {
        String target = webhookUrl;
        if (target == null || target.isBlank()) {
            log.debug("No webhook URL set: status not posted");
            return CompletableFuture.completedFuture(null);
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (attempt == 1) {
            postedStatuses.add(payload);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(WEBHOOK_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (appSecret != null) {
            request.header(SIGNATURE_HEADER, signature(appSecret, body));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            boolean ok = error == null && response.statusCode() / 100 == 2;
            if (ok) {
                done.complete(null);
            } else if (attempt < WEBHOOK_ATTEMPTS && !scheduler.isShutdown()) {
                log.info("Status webhook to {} not taken ({}), retrying", target,
                        error != null ? error.getClass().getSimpleName() : "HTTP " + response.statusCode());
                scheduler.schedule(() -> post(payload, attempt + 1).whenComplete((v, e) -> done.complete(null)),
                        statusDelay.toMillis() * attempt, TimeUnit.MILLISECONDS);
            } else {
                log.warn("Status webhook to {} given up after {} attempts", target, attempt);
                done.complete(null);
            }
        });
        return done;
    }

    /** The {@code X-Hub-Signature-256} value of a body: {@code sha256=<hex HMAC-SHA256(appSecret, body)>}. */
    public static String signature(String appSecret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void record(HttpExchange exchange, String version, String phoneNumberId, Map<String, String> headers,
                        JsonNode body, int status, String wamid) {
        sends.add(new ReceivedSend(Instant.now(), exchange.getRequestURI().getPath(), version, phoneNumberId, headers,
                body, status, wamid));
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.getFirst());
            }
        });
        return headers;
    }

    private JsonNode parse(byte[] raw) {
        try {
            JsonNode node = json.readTree(raw);
            return node == null ? NullNode.getInstance() : node;
        } catch (IOException e) {
            return NullNode.getInstance();
        }
    }

    private ObjectNode graphError(String message, String type, int code) {
        ObjectNode root = json.createObjectNode();
        root.putObject("error").put("message", message).put("type", type).put("code", code)
                .put("fbtrace_id", "sim" + Long.toHexString(RANDOM.nextLong()));
        return root;
    }

    private void answerLater(HttpExchange exchange, Duration delay, int status, JsonNode body, Duration retryAfter) {
        if (delay == null || delay.isZero() || delay.isNegative()) {
            respond(exchange, status, body, retryAfter);
            return;
        }
        // The exchange is closed by the try-with-resources of handle(); a delayed answer therefore blocks this
        // request's own (virtual) thread, never a scheduler or status thread.
        CompletableFuture<Void> later = new CompletableFuture<>();
        scheduler.schedule(() -> later.complete(null), delay.toMillis(), TimeUnit.MILLISECONDS);
        later.join();
        respond(exchange, status, body, retryAfter);
    }

    private void respond(HttpExchange exchange, int status, JsonNode body, Duration retryAfter) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            log.debug("Client went away before the answer: {}", e.getMessage());
        }
    }

    private static String newWamid() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "wamid." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hostOf(String link) {
        try {
            return URI.create(link).getHost();
        } catch (IllegalArgumentException e) {
            return "an invalid URL";
        }
    }

    /**
     * Runs the simulator on its own: {@code SIMULATOR_PORT} (8099), {@code WHATSAPP_ACCESS_TOKEN},
     * {@code WHATSAPP_APP_SECRET}, {@code WHATSAPP_WEBHOOK_URL} from the environment.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        WhatsAppSimulator simulator = builder()
                .port(Integer.parseInt(env.getOrDefault("SIMULATOR_PORT", "8099")))
                .accessToken(env.getOrDefault("WHATSAPP_ACCESS_TOKEN", "dev-whatsapp-token"))
                .appSecret(env.getOrDefault("WHATSAPP_APP_SECRET", "dev-whatsapp-app-secret"))
                .webhookUrl(env.get("WHATSAPP_WEBHOOK_URL"))
                .build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        Thread.currentThread().join();
    }

    /** Builder of a {@link WhatsAppSimulator}. */
    public static final class Builder {
        private int port;
        private String accessToken;
        private String appSecret;
        private String webhookUrl;
        private Duration statusDelay = DEFAULT_STATUS_DELAY;
        private String wabaId = "102290129340398";
        private String displayPhoneNumber = "15550783881";

        private Builder() {
        }

        /** Port to listen on; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The access token senders must present as {@code Authorization: Bearer <token>}. */
        public Builder accessToken(String accessToken) {
            this.accessToken = accessToken;
            return this;
        }

        /** App secret signing the status webhooks; null posts them unsigned. */
        public Builder appSecret(String appSecret) {
            this.appSecret = appSecret;
            return this;
        }

        /** Where status webhooks go (may also be set after start). */
        public Builder webhookUrl(String webhookUrl) {
            this.webhookUrl = webhookUrl;
            return this;
        }

        /** Time before the first status and between statuses (default 200 ms). */
        public Builder statusDelay(Duration statusDelay) {
            this.statusDelay = Objects.requireNonNull(statusDelay);
            return this;
        }

        /** WhatsApp Business Account id in the webhooks' {@code entry[0].id}. */
        public Builder wabaId(String wabaId) {
            this.wabaId = Objects.requireNonNull(wabaId);
            return this;
        }

        /** Display phone number in the webhooks' metadata. */
        public Builder displayPhoneNumber(String displayPhoneNumber) {
            this.displayPhoneNumber = Objects.requireNonNull(displayPhoneNumber);
            return this;
        }

        public WhatsAppSimulator build() {
            return new WhatsAppSimulator(this);
        }
    }
}
