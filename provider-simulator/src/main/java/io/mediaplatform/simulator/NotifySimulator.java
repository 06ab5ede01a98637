package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;


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
    static final Set<String> CHANNELS = Set.of("RCS", "WEBCHAT");
    static final Set<String> TYPES = Set.of("image", "video", "audio", "document", "sticker");

    private static final Logger log = LoggerFactory.getLogger(NotifySimulator.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    final String apiKey;
    final String webhookSecret;
    final Duration statusDelay;
    private final String sender;
    private volatile String inboundWebhookUrl;

    final NotifyStatusCallbacks statusCallbacks = new NotifyStatusCallbacks(this);
    final NotifyCustomerSide customerSide = new NotifyCustomerSide(this);

    NotifySimulator(NotifySimulatorBuilder builder) {
        super("Notification API simulator", "notify-simulator-", 1, builder.port, builder.oversizeBytes);
        this.apiKey = Objects.requireNonNull(builder.apiKey, "apiKey");
        this.webhookSecret = Objects.requireNonNull(builder.webhookSecret, "webhookSecret");
        this.statusDelay = builder.statusDelay;
        this.sender = builder.sender;
        this.inboundWebhookUrl = builder.inboundWebhookUrl;
    }

    /** A builder; API key and webhook secret are required. */
    public static NotifySimulatorBuilder builder() {
        return new NotifySimulatorBuilder();
    }

    /** Serves {@code /notification}, the customers' media and the customer control endpoint. */
    @Override
    protected void serve(HttpServer server) {
        server.createContext("/notification", this::handle);
        server.createContext(MEDIA_PATH, customerSide::media);
        server.createContext("/simulator/notify/", exchange -> control.handle(exchange,
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
        return List.copyOf(statusCallbacks.postedStatuses);
    }

    /** Forgets sends, statuses and faults, and the customers' media and inbound webhooks. */
    public void reset() {
        forgetSends();
        statusCallbacks.postedStatuses.clear();
        forgetCustomers();
    }

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
        return customerSide.customerSends(media);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = SimulatorRequests.headers(exchange);
            JsonNode body = SimulatorRequests.json(json, exchange.getRequestBody().readAllBytes());
            if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                respond(exchange, 405, meta(null, "Method not allowed"), null);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!SimulatorRequests.sameSecret(auth, "Bearer " + apiKey)) {
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
            later(Duration.ofMillis(1), () -> statusCallbacks.deliver(transactionId, accepted, digits.endsWith("0009")));
        } catch (RuntimeException e) {
            log.warn("Notification simulator failed to handle a request", e);
            respond(exchange, 500, meta(null, "Internal error"), null);
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
        return "v1," + Base64.getEncoder().encodeToString(
                Hmac.of("HmacSHA256", key, (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private void record(Map<String, String> headers, JsonNode body, int status, String transactionId) {
        sends.add(new ReceivedSend(Instant.now(), "/notification", "", "", headers, body, status, transactionId));
    }

    /** The answer body {@code {"meta":{"timestamp","transactionId"?,"explain"}}}. */
    ObjectNode meta(String transactionId, String explain) {
        ObjectNode root = json.createObjectNode();
        ObjectNode meta = root.putObject("meta").put("timestamp", System.currentTimeMillis());
        if (transactionId != null) {
            meta.put("transactionId", transactionId);
        }
        meta.put("explain", explain);
        return root;
    }
}
