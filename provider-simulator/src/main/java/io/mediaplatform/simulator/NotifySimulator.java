package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A generic notification API look-alike ({@code POST /notification}, the shape of the product pages): takes
 * {@code {"channel", "request": {"from","to","message","type","caption","fileName","externalId","clientId"},
 * "callbacks"}} with {@code Authorization: Bearer <apiKey>}, answers {@code {"meta":{"timestamp","transactionId",
 * "explain"}}}, then fetches {@code request.message} (a media URL) and posts JSON status callbacks
 * {@code {"transactionId","status","timestamp","externalId","clientId","errorCode"?,"errorMessage"?}} ({@code SENT},
 * {@code DELIVERED}, {@code READ}; {@code FAILED} when the media cannot be fetched) to every comma-separated URL in
 * {@code callbacks}, signed the Standard Webhooks way ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature: v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>}; a {@code whsec_} secret is
 * base64-decoded first).
 *
 * <p>Magic recipients as in the other simulators: {@code 0400} → 400, {@code 0500} → 500, {@code 0429} → 429 with
 * {@code Retry-After: 1}, {@code 0408} → answered after {@link #SLOW_DELAY}, {@code 0009} → accepted then
 * {@code FAILED}.
 *
 * <p><b>The customer's side</b> (inbound media). {@link #customerSends(CustomerMedia)}, or the control endpoint
 * {@code POST /simulator/notify/customer-messages?from=+15557654321&to=<sender>&channel=RCS|WEBCHAT&type=image
 * &caption=&filename=&text=&fault=} (body: one file's raw bytes with its {@code Content-Type}, or
 * {@code multipart/form-data} with one or more {@code file} parts), plays a customer: each file is kept in memory
 * and served at {@code {base}/notify/media/<id>} with {@code Authorization: Bearer <apiKey>} (wrong key: 401;
 * unknown or deleted: 404), and the callback {@code {"type":"message.received","messageId":"ntf_in_…","channel",
 * "from","to","timestamp","text","attachments":[{"type","url","contentType","size","sha256"(hex),"fileName",
 * "caption","voice"(audio only)}]}} is posted to the {@code inboundWebhookUrl} (builder or setter: the platform's notification-API status
 * webhook), signed the Standard Webhooks way like the status callbacks, synchronously and once; the call answers
 * {@code {"providerMessageId","media":[{"mediaId","sha256","size","contentType","url"}],"webhookStatus"}}.
 * {@code to} defaults to the {@code sender} (builder, default {@value #DEFAULT_SENDER}). {@link #redeliver(String)}
 * posts it again (same {@code webhook-id}, fresh timestamp and signature); {@link #downloads(String)} counts the
 * requests per media id. Faults ({@code fault=}, see {@link MediaFaults}): {@code download-5xx:N},
 * {@code wrong-sha256}, {@code oversize}, {@code gone}; {@code expired-url} changes nothing (the URLs do not expire).
 */
public final class NotifySimulator extends CustomerFacingSimulator<NotifySimulator> {

    /** How long a send to a recipient ending in {@code 0408} is held back. */
    public static final Duration SLOW_DELAY = Duration.ofSeconds(5);
    /** Default business sender id (the {@code to} of inbound messages). */
    public static final String DEFAULT_SENDER = "demo-sender";
    /** Control endpoint playing a customer who sends media. */
    public static final String CUSTOMER_MESSAGES_PATH = "/simulator/notify/customer-messages";
    /** Path prefix of the customers' media URLs. */
    public static final String MEDIA_PATH = "/notify/media/";
    private static final java.util.Set<String> CHANNELS = java.util.Set.of("RCS", "WEBCHAT");
    private static final java.util.Set<String> TYPES = java.util.Set.of("image", "video", "audio", "document", "sticker");

    private static final Logger log = LoggerFactory.getLogger(NotifySimulator.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String apiKey;
    private final String webhookSecret;
    private final Duration statusDelay;
    private final String sender;
    private volatile String inboundWebhookUrl;
    private final List<JsonNode> postedStatuses = new CopyOnWriteArrayList<>();

    private NotifySimulator(Builder builder) {
        super("Notification API simulator", "notify-simulator-", 1, builder.port, builder.oversizeBytes);
        this.apiKey = Objects.requireNonNull(builder.apiKey, "apiKey");
        this.webhookSecret = Objects.requireNonNull(builder.webhookSecret, "webhookSecret");
        this.statusDelay = builder.statusDelay;
        this.sender = builder.sender;
        this.inboundWebhookUrl = builder.inboundWebhookUrl;
    }

    /** A builder; API key and webhook secret are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Serves {@code /notification}, the customers' media and the customer control endpoint. */
    @Override
    protected void serve(HttpServer server) {
        server.createContext("/notification", this::handle);
        server.createContext(MEDIA_PATH, this::media);
        server.createContext("/simulator/notify/", exchange -> customers.handleControl(exchange,
                CUSTOMER_MESSAGES_PATH, this::customerSends));
    }

    @Override
    protected List<String> contexts() {
        return List.of("/notification", MEDIA_PATH, "/simulator/notify/");
    }

    /** Every request received, in order ({@code messageId} is the transaction id when accepted). */
    @Override
    public List<ReceivedSend> sends() {
        return super.sends();
    }

    /** Every status callback body posted, in order. */
    public List<JsonNode> postedStatuses() {
        return List.copyOf(postedStatuses);
    }

    /** Forgets sends, statuses and faults, and the customers' media and inbound webhooks. */
    public void reset() {
        forgetSends();
        postedStatuses.clear();
        customers.clear();
    }

    // ---------------------------------------------------------------- the customer's side

    /**
     * Where customers' messages are posted: the platform's notification-API webhook (the same URL as the status
     * callbacks, {@code <dispatch>/v1/providers/notify/status}); may be set after start. Null: nothing is posted.
     */
    public NotifySimulator inboundWebhookUrl(String url) {
        this.inboundWebhookUrl = url;
        return this;
    }

    /** The current inbound webhook URL, or null. */
    public String inboundWebhookUrl() {
        return inboundWebhookUrl;
    }

    /** The business sender id customers write to by default. */
    public String sender() {
        return sender;
    }

    /**
     * Plays a customer sending a message with one or more media files on {@code RCS} (default) or {@code WEBCHAT}:
     * stores each file, served at {@code {base}/notify/media/<id>} with the bearer API key, and posts the
     * {@code message.received} callback, signed the Standard Webhooks way, to {@link #inboundWebhookUrl()} now, once.
     *
     * @return the {@code ntf_in_…} message id, the media (id, hex sha256, size, content type, url) and the
     *         webhook's HTTP status
     * @throws IllegalArgumentException for no file, an unknown channel or type
     */
    public CustomerSent customerSends(CustomerMedia media) {
        if (media.attachments().isEmpty()) {
            throw new IllegalArgumentException("a customer message needs at least one media file");
        }
        String channel = media.channel() == null ? "RCS" : media.channel().toUpperCase(Locale.ROOT);
        if (!CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("channel must be RCS or WEBCHAT, not '" + media.channel() + "'");
        }
        String messageId = "ntf_in_" + CustomerMediaStore.randomHex(12);
        String base = url();
        ObjectNode payload = json.createObjectNode().put("type", "message.received").put("messageId", messageId)
                .put("channel", channel).put("from", media.from())
                .put("to", media.to() != null ? media.to() : sender)
                .put("timestamp", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .put("text", media.text());
        com.fasterxml.jackson.databind.node.ArrayNode attachments = payload.putArray("attachments");
        List<CustomerSent.Media> stored = new ArrayList<>();
        for (int i = 0; i < media.attachments().size(); i++) {
            String type = media.typeOf(i);
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("type must be one of " + TYPES + ", not '" + type + "'");
            }
            String mediaId = "nm" + CustomerMediaStore.randomHex(12);
            String url = base + MEDIA_PATH + mediaId;
            CustomerMediaStore.Stored file = customers.put(mediaId, messageId, media.attachments().get(i).bytes(),
                    media.mimeTypeOf(i), media.faults());
            stored.add(file.describe(url, true));
            ObjectNode attachment = attachments.addObject().put("type", type).put("url", url)
                    .put("contentType", file.contentType).put("size", file.size).put("sha256", file.reportedSha256Hex)
                    .put("fileName", media.fileNameOf(i)).put("caption", i == 0 ? media.caption() : null);
            if ("audio".equals(type)) {
                attachment.put("voice", media.voice());
            }
        }
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String webhookId = "msg_" + UUID.randomUUID();
        // A re-delivery keeps the webhook id (the Standard Webhooks way) but is signed afresh with a new timestamp.
        PostedWebhook posted = customers.deliver(messageId, () -> {
            long timestamp = Instant.now().getEpochSecond();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("webhook-id", webhookId);
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put("webhook-signature", signature(webhookSecret, webhookId, timestamp, body));
            return customers.post(client(), messageId, inboundWebhookUrl, "application/json", bytes, headers);
        });
        return new CustomerSent(messageId, stored, posted.status(), posted);
    }

    /** {@code GET /notify/media/<id>} with {@code Authorization: Bearer <apiKey>}: the bytes. */
    private void media(HttpExchange exchange) {
        try (exchange) {
            String mediaId = exchange.getRequestURI().getPath().substring(MEDIA_PATH.length());
            if (!"GET".equalsIgnoreCase(exchange.getRequestMethod())) {
                respond(exchange, 405, meta(null, "Method not allowed"), null);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean authorized = auth != null && MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
                    ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8));
            CustomerMediaStore.Download answer = customers.download(mediaId, authorized ? 0 : 401);
            switch (answer.status()) {
                case 200 -> customers.writeContent(exchange, answer.media());
                case 401 -> respond(exchange, 401, meta(null, "Unauthorized"), null);
                case 500 -> respond(exchange, 500, meta(null, "Internal error"), null);
                default -> respond(exchange, 404, meta(null, "Media not found"), null);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
            JsonNode body;
            try {
                body = json.readTree(exchange.getRequestBody().readAllBytes());
            } catch (IOException e) {
                body = NullNode.getInstance();
            }
            body = body == null ? NullNode.getInstance() : body;
            if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                respond(exchange, 405, meta(null, "Method not allowed"), null);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
                    ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8))) {
                record(headers, body, 401, null);
                respond(exchange, 401, meta(null, "Unauthorized"), null);
                return;
            }
            String to = body.at("/request/to").asText("");
            if (!body.path("channel").isTextual() || to.isBlank() || body.at("/request/type").asText("").isBlank()) {
                record(headers, body, 400, null);
                respond(exchange, 400, meta(null, "channel, request.to and request.type are required"), null);
                return;
            }
            Fault fault = faults.poll();
            if (fault != null && !fault.answersNormally()) {
                record(headers, body, fault.httpStatus(), null);
                holdBack(fault.delay());
                respond(exchange, fault.httpStatus(), meta(null, fault.message()), fault.retryAfter());
                return;
            }
            String digits = to.replaceAll("\\D", "");
            if (digits.endsWith("0400") || digits.endsWith("0500") || digits.endsWith("0429")) {
                int status = Integer.parseInt(digits.substring(digits.length() - 3));
                record(headers, body, status, null);
                respond(exchange, status, meta(null, status == 400 ? "Invalid destination" : status == 429
                        ? "Too many requests" : "Internal error"), status == 429 ? Duration.ofSeconds(1) : null);
                return;
            }
            holdBack(fault != null ? fault.delay() : digits.endsWith("0408") ? SLOW_DELAY : Duration.ZERO);
            String transactionId = UUID.randomUUID().toString();
            record(headers, body, 200, transactionId);
            respond(exchange, 200, meta(transactionId, "Send Notification"), null);
            JsonNode accepted = body;
            later(Duration.ofMillis(1), () -> deliver(transactionId, accepted, digits.endsWith("0009")));
        } catch (RuntimeException e) {
            log.warn("Notification simulator failed to handle a request", e);
            respond(exchange, 500, meta(null, "Internal error"), null);
        }
    }

    private void deliver(String transactionId, JsonNode body, boolean failOnPurpose) {
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
        postChain(steps, statusDelay, step -> {
            ObjectNode status = json.createObjectNode().put("transactionId", transactionId).put("status", step[0])
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
            String payload = json.writeValueAsString(status);
            String id = "msg_" + UUID.randomUUID();
            long timestamp = Instant.now().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signature(webhookSecret, id, timestamp, payload))
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
            return postWithRetries(request, "Status callback", 1, attempt -> 0);
        } catch (IOException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** The Standard Webhooks signature header value: {@code v1,<base64 HMAC-SHA256(key, id.timestamp.body)>}. */
    public static String signature(String secret, String id, long timestamp, String body) {
        String raw = secret.startsWith("whsec_") ? secret.substring(6) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(raw);
        } catch (IllegalArgumentException e) {
            key = raw.getBytes(StandardCharsets.UTF_8);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return "v1," + Base64.getEncoder().encodeToString(
                    mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private CompletableFuture<String> fetch(String link) {
        return fetch(link, TIMEOUT, null, null)
                .thenApply(problem -> problem != null && problem.startsWith("no answer") ? "no answer" : problem);
    }

    private void record(Map<String, String> headers, JsonNode body, int status, String transactionId) {
        sends.add(new ReceivedSend(Instant.now(), "/notification", "", "", headers, body, status, transactionId));
    }

    private ObjectNode meta(String transactionId, String explain) {
        ObjectNode root = json.createObjectNode();
        ObjectNode meta = root.putObject("meta").put("timestamp", System.currentTimeMillis());
        if (transactionId != null) {
            meta.put("transactionId", transactionId);
        }
        meta.put("explain", explain);
        return root;
    }

    /** Builder of a {@link NotifySimulator}. */
    public static final class Builder {
        private int port;
        private String apiKey;
        private String webhookSecret;
        private Duration statusDelay = WhatsAppSimulator.DEFAULT_STATUS_DELAY;
        private String sender = DEFAULT_SENDER;
        private String inboundWebhookUrl;
        private long oversizeBytes = MediaFaults.DEFAULT_OVERSIZE_BYTES;

        private Builder() {
        }

        /** Where customers' messages are posted: the platform's notification-API status webhook (may be set later). */
        public Builder inboundWebhookUrl(String inboundWebhookUrl) {
            this.inboundWebhookUrl = inboundWebhookUrl;
            return this;
        }

        /** The business sender id customers write to by default ({@value NotifySimulator#DEFAULT_SENDER}). */
        public Builder sender(String sender) {
            this.sender = Objects.requireNonNull(sender);
            return this;
        }

        /** Bytes an {@code oversize} media download streams (default 101 MiB). */
        public Builder oversizeBytes(long oversizeBytes) {
            if (oversizeBytes <= 0) {
                throw new IllegalArgumentException("oversizeBytes must be positive: " + oversizeBytes);
            }
            this.oversizeBytes = oversizeBytes;
            return this;
        }

        /** Port; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The key senders must present as {@code Authorization: Bearer}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Standard Webhooks secret signing the callbacks ({@code whsec_<base64>} or plain text). */
        public Builder webhookSecret(String webhookSecret) {
            this.webhookSecret = webhookSecret;
            return this;
        }

        /** Time before the first status and between statuses. */
        public Builder statusDelay(Duration statusDelay) {
            this.statusDelay = Objects.requireNonNull(statusDelay);
            return this;
        }

        public NotifySimulator build() {
            return new NotifySimulator(this);
        }
    }
}
