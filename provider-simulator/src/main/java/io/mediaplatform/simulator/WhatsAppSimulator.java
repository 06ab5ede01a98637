package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.net.URI;
import java.net.http.HttpRequest;
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
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>With a {@code d360ApiKey} (builder) it plays 360dialog too: {@code POST /messages} with
 * {@code D360-API-KEY: <key>} (401 {@code {"meta":{"http_code":401,"developer_message":"Invalid api key"}}} otherwise)
 * takes the same body, recorded with a null {@code apiVersion} and the simulator's phone-number id, and lives the same
 * life (media fetched, the same {@code statuses[]} webhooks, the same magic recipients and faults).
 *
 * <p>Magic recipients (the last four digits of {@code to}): {@code 0400} is refused with 400 and Graph code
 * 131026 (undeliverable); {@code 0500} gets a 500; {@code 0429} gets a 429 with {@code Retry-After: 1} and code
 * 130429; {@code 0009} is accepted and then reported {@code failed}; {@code 0408} is accepted after a
 * {@link #SLOW_DELAY} pause (a slow provider, to make a client time out). {@link #failNext(Fault...)} queues faults
 * for the next sends whatever their recipient.
 *
 * <p><b>The customer's side</b> (inbound media). {@link #customerSends(CustomerMedia)}, or the control endpoint
 * {@code POST /simulator/whatsapp/customer-messages?from=+15557654321&type=image|video|audio|document|sticker
 * &caption=&filename=&voice=true&animated=true&name=&to=&fault=} (body: the file's raw bytes with its
 * {@code Content-Type}, or {@code multipart/form-data} with one {@code file} part), plays a customer sending one media
 * file: the bytes are kept in memory under a new numeric media id and the {@code messages[]} webhook
 * ({@code {"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":
 * {"phone_number_id"},"contacts","messages":[{"from","id":"wamid.…","timestamp","type","<type>":{"caption"?,
 * "filename"?,"mime_type","sha256"(base64),"id","voice"?,"animated"?}}]}}]}]}}) is posted, signed like the statuses,
 * to the webhook URL synchronously and once; the call answers {@code {"providerMessageId","media":[{"mediaId",
 * "sha256"(hex),"size","contentType"}],"webhookStatus"}}. {@code to} defaults to the {@code phoneNumberId} (builder,
 * default {@value #DEFAULT_PHONE_NUMBER_ID}); {@code type} to the content type's kind; an audio without a content type
 * is {@code audio/ogg; codecs=opus}. {@link #redeliver(String)} posts the same webhook again.
 *
 * <p>The platform then fetches the media like from Graph: {@code GET /{version}/{media-id}} with the bearer token
 * answers {@code {"messaging_product":"whatsapp","url","mime_type","sha256"(hex),"file_size","id"}} (unknown or
 * deleted: 404 {@code OAuth}-style error code 100, subcode 33; bad token: 401 code 190), and {@code GET url} (the
 * url is {@code {base}/whatsapp/media-download/<id>?expires=<unix>&sig=<hex HMAC>}, valid {@code mediaUrlTtl},
 * default 5 minutes) with the same bearer answers the bytes with their {@code Content-Type}; bad token 401, a
 * tampered url 403, an expired one 404 (resolve again). {@link #downloads(String)} and {@link #resolves(String)}
 * count the requests per media id. Faults per media ({@code fault=}, see {@link MediaFaults}): {@code download-5xx:N},
 * {@code expired-url} (the first url handed out is already expired), {@code wrong-sha256}, {@code oversize}
 * (streams {@code oversizeBytes}, default 101 MiB, never held in memory), {@code gone}; {@link #deleteMedia(String)}
 * deletes one later.
 */
public final class WhatsAppSimulator extends CustomerFacingSimulator<WhatsAppSimulator> {

    /** Header carrying the webhook signature. */
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    /** How long a send to a recipient ending in {@code 0408} is held back. */
    public static final Duration SLOW_DELAY = Duration.ofSeconds(5);
    /** Default time between a send and its first status, and between statuses. */
    public static final Duration DEFAULT_STATUS_DELAY = Duration.ofMillis(200);
    /** Default business phone number id (the {@code metadata.phone_number_id} of inbound messages). */
    public static final String DEFAULT_PHONE_NUMBER_ID = "106540352242922";
    /** Default validity of a media download URL. */
    public static final Duration DEFAULT_MEDIA_URL_TTL = Duration.ofMinutes(5);
    /** Control endpoint playing a customer who sends media. */
    public static final String CUSTOMER_MESSAGES_PATH = "/simulator/whatsapp/customer-messages";
    /**
     * {@code GET}: what the business sent and the simulator accepted, newest last, as the customer's phone would show
     * it ({@code ?to=+15557654321} for one customer): {@code [{"messageId","to","type","body"}]}.
     */
    public static final String SENT_MESSAGES_PATH = "/simulator/whatsapp/sent-messages";
    /** 360dialog's API-key header, checked on {@code POST /messages} when the simulator plays 360dialog too. */
    public static final String D360_API_KEY_HEADER = "D360-API-KEY";
    /** Path prefix of the short-lived media download URLs. */
    public static final String MEDIA_DOWNLOAD_PATH = "/whatsapp/media-download/";

    private static final Logger log = LoggerFactory.getLogger(WhatsAppSimulator.class);
    private static final Pattern MESSAGES_PATH = Pattern.compile("^/([^/]+)/([^/]+)/messages/?$");
    private static final Pattern DIALOG360_MESSAGES_PATH = Pattern.compile("^/messages/?$");
    private static final Pattern MEDIA_PATH = Pattern.compile("^/(v\\d[0-9.]*)/([^/]+)/?$");
    private static final Set<String> MEDIA_TYPES = Set.of("image", "video", "audio", "document", "sticker");
    private static final Set<String> CAPTIONED = Set.of("image", "video", "document");
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
    private static final int WEBHOOK_ATTEMPTS = 3;
    private static final long MAX_WEBHOOK_RETRY_WAIT_MS = 5_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String accessToken;
    private final String d360ApiKey;
    private final String appSecret;
    private final Duration statusDelay;
    private final String wabaId;
    private final String displayPhoneNumber;
    private final String phoneNumberId;
    private final Duration mediaUrlTtl;
    private final byte[] urlKey = CustomerMediaStore.randomBytes(32);
    private volatile String webhookUrl;
    private volatile int webhookAttempts = WEBHOOK_ATTEMPTS;

    private final List<FetchedMedia> fetches = new CopyOnWriteArrayList<>();
    private final List<JsonNode> postedStatuses = new CopyOnWriteArrayList<>();
    private volatile FaultMix faultMix;
    private final AtomicInteger lateAnswers = new AtomicInteger();


    private WhatsAppSimulator(Builder builder) {
        super("WhatsApp simulator", "whatsapp-simulator-", 2, builder.port, builder.oversizeBytes);
        this.accessToken = Objects.requireNonNull(builder.accessToken, "accessToken");
        this.d360ApiKey = builder.d360ApiKey;
        this.appSecret = builder.appSecret;
        this.webhookUrl = builder.webhookUrl;
        this.statusDelay = builder.statusDelay;
        this.wabaId = builder.wabaId;
        this.displayPhoneNumber = builder.displayPhoneNumber;
        this.phoneNumberId = builder.phoneNumberId;
        this.mediaUrlTtl = builder.mediaUrlTtl;
    }

    /** A builder; only the access token is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Serves the Graph API (and 360dialog's) at the root, the media downloads and the control endpoints. */
    @Override
    protected void serve(HttpServer server) {
        server.createContext("/", this::handle);
        server.createContext(MEDIA_DOWNLOAD_PATH, this::download);
        server.createContext("/simulator/whatsapp/", exchange -> customers.handleControl(exchange,
                CUSTOMER_MESSAGES_PATH, this::customerSends));
        server.createContext(SENT_MESSAGES_PATH, this::sentMessages);
    }

    @Override
    protected List<String> contexts() {
        return List.of("/", MEDIA_DOWNLOAD_PATH, "/simulator/whatsapp/", SENT_MESSAGES_PATH);
    }

    private void sentMessages(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equalsIgnoreCase(exchange.getRequestMethod()) || !SENT_MESSAGES_PATH.equals(exchange.getRequestURI().getPath())) {
                byte[] body = "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"GET /simulator/whatsapp/sent-messages\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            String to = null;
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("to=")) {
                        to = java.net.URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8).trim().replaceAll("^\\+?", "");
                    }
                }
            }
            ArrayNode list = json.createArrayNode();
            for (ReceivedSend send : sends) {
                String recipient = send.body().path("to").asText("").replaceAll("^\\+", "");
                if (send.accepted() && (to == null || recipient.equals(to))) {
                    String type = send.body().path("type").asText();
                    list.addObject().put("messageId", send.messageId()).put("to", send.body().path("to").asText())
                            .put("type", type).set("body", send.body().path(type));
                }
            }
            byte[] body = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(list);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The underlying server, e.g. to mount more contexts on it (a demo webhook inbox). */
    public HttpServer server() {
        return runningServer();
    }

    /** Where status webhooks go; may be set after start (null: statuses are not posted). */
    public WhatsAppSimulator webhookUrl(String url) {
        this.webhookUrl = url;
        return this;
    }

    /**
     * How many times a status webhook is posted before it is given up (default 3), the waits between growing by the
     * status delay up to 5 s; more like the real Cloud API, which retries for days, when the receiver may be down a while.
     */
    public WhatsAppSimulator webhookAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.webhookAttempts = attempts;
        return this;
    }

    /** The current webhook URL, or null. */
    public String webhookUrl() {
        return webhookUrl;
    }

    /**
     * Fails sends at random with that mix from now on (after the faults queued by {@link #failNext(Fault...)}, before
     * any magic-recipient rule), or no longer with null.
     */
    public WhatsAppSimulator failRandomly(FaultMix mix) {
        this.faultMix = mix;
        return this;
    }

    /** How many sends were accepted but answered late (a slow fault, the {@code 0408} recipient, a {@link FaultMix} timeout). */
    public int lateAnswers() {
        return lateAnswers.get();
    }

    /** Every media link fetched so far for a send, in order, with what it answered. */
    public List<FetchedMedia> fetches() {
        return List.copyOf(fetches);
    }

    /** Every send request received so far, in arrival order (accepted or not). */
    @Override
    public List<ReceivedSend> sends() {
        return super.sends();
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

    /** Forgets recorded sends, statuses and queued faults, and the customers' media and inbound webhooks. */
    public void reset() {
        forgetSends();
        fetches.clear();
        postedStatuses.clear();
        customers.clear();
    }

    /** The business phone number id inbound messages are addressed to by default. */
    public String phoneNumberId() {
        return phoneNumberId;
    }

    // ---------------------------------------------------------------- the customer's side

    /**
     * Plays a customer sending one media file to the business: stores the bytes under a new media id (served by the
     * Graph media endpoint and the download URL, with the media's {@link MediaFaults}) and posts the signed
     * {@code messages[]} webhook to {@link #webhookUrl()} now, once.
     *
     * @return the {@code wamid}, the media (id, hex sha256, size, content type) and the webhook's HTTP status
     * @throws IllegalArgumentException when the message has not exactly one file, or an unknown type
     */
    public CustomerSent customerSends(CustomerMedia media) {
        if (media.attachments().size() != 1) {
            throw new IllegalArgumentException("a WhatsApp message carries exactly one media file, not "
                    + media.attachments().size());
        }
        String type = media.typeOf(0);
        if (!MEDIA_TYPES.contains(type)) {
            throw new IllegalArgumentException("type must be one of " + MEDIA_TYPES + ", not '" + type + "'");
        }
        String waId = media.from().replaceAll("\\D", "");
        if (waId.isEmpty()) {
            throw new IllegalArgumentException("from must be a phone number: '" + media.from() + "'");
        }
        String mimeType = media.mimeTypeOf(0);
        String wamid = newWamid();
        String mediaId = newMediaId();
        CustomerMediaStore.Stored stored = customers.put(mediaId, wamid, media.attachments().getFirst().bytes(),
                mimeType, media.faults());

        ObjectNode payload = json.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode change = payload.putArray("entry").addObject().put("id", wabaId).putArray("changes").addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value").put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", displayPhoneNumber)
                .put("phone_number_id", media.to() != null ? media.to() : phoneNumberId);
        ObjectNode contact = value.putArray("contacts").addObject();
        contact.putObject("profile").put("name", media.profileName() != null ? media.profileName() : "Customer");
        contact.put("wa_id", waId);
        ObjectNode message = value.putArray("messages").addObject().put("from", waId).put("id", wamid)
                .put("timestamp", Long.toString(Instant.now().getEpochSecond())).put("type", type);
        ObjectNode content = message.putObject(type);
        if (CAPTIONED.contains(type) && media.caption() != null) {
            content.put("caption", media.caption());
        }
        if ("document".equals(type) && media.fileNameOf(0) != null) {
            content.put("filename", media.fileNameOf(0));
        }
        content.put("mime_type", mimeType).put("sha256", stored.reportedSha256Base64()).put("id", mediaId);
        if ("audio".equals(type)) {
            content.put("voice", media.voice());
        }
        if ("sticker".equals(type)) {
            content.put("animated", media.animated());
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostedWebhook posted = customers.deliver(wamid, () -> customers.post(client(), wamid, webhookUrl,
                "application/json", body, appSecret == null ? Map.of() : Map.of(SIGNATURE_HEADER, signature(appSecret, body))));
        return new CustomerSent(wamid, List.of(stored.describe(null, true)), posted.status(), posted);
    }

    /** How many Graph resolve requests ({@code GET /{version}/{media-id}}) named a customer media. */
    public int resolves(String mediaId) {
        return customers.resolves(mediaId);
    }

    /** {@code GET /{version}/{media-id}}: the media's metadata and a short-lived download URL. */
    private void resolve(HttpExchange exchange, String mediaId) {
        CustomerMediaStore.Stored stored = customers.find(mediaId);
        if (stored != null) {
            stored.resolves.incrementAndGet();
        }
        if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, graphError("Invalid OAuth access token - Cannot parse access token",
                    "OAuthException", 190), null);
            return;
        }
        if (stored == null || stored.gone) {
            respond(exchange, 404, mediaNotFound(mediaId), null);
            return;
        }
        long expires = stored.expiredUrlPending.getAndSet(false)
                ? Instant.now().getEpochSecond() - 60
                : Instant.now().plus(mediaUrlTtl).getEpochSecond();
        String url = url() + MEDIA_DOWNLOAD_PATH + mediaId + "?expires=" + expires + "&sig=" + urlSignature(mediaId, expires);
        ObjectNode answer = json.createObjectNode().put("messaging_product", "whatsapp").put("url", url)
                .put("mime_type", stored.contentType).put("sha256", stored.reportedSha256Hex)
                .put("file_size", stored.size).put("id", mediaId);
        respond(exchange, 200, answer, null);
    }

    /** {@code GET /whatsapp/media-download/<id>?expires=&sig=} with the bearer token: the bytes. */
    private void download(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String mediaId = path.substring(MEDIA_DOWNLOAD_PATH.length());
            if (!"GET".equalsIgnoreCase(exchange.getRequestMethod()) || mediaId.isEmpty() || mediaId.contains("/")) {
                respond(exchange, 404, mediaNotFound(mediaId), null);
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            int refusal = 0;
            long expires = parseLong(query.get("expires"));
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refusal = 401;
            } else if (expires == Long.MIN_VALUE || query.get("sig") == null || !MessageDigest.isEqual(
                    urlSignature(mediaId, expires).getBytes(StandardCharsets.US_ASCII),
                    query.get("sig").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
                refusal = 403;
            } else if (expires < Instant.now().getEpochSecond()) {
                refusal = 404;
            }
            CustomerMediaStore.Download answer = customers.download(mediaId, refusal);
            switch (answer.status()) {
                case 200 -> customers.writeContent(exchange, answer.media());
                case 401 -> respond(exchange, 401, graphError("Invalid OAuth access token - Cannot parse access token",
                        "OAuthException", 190), null);
                case 403 -> respond(exchange, 403, graphError("URL signature mismatch", "OAuthException", 100), null);
                case 500 -> respond(exchange, 500, graphError("An unexpected error has occurred. Please retry your "
                        + "request later.", "OAuthException", 2), null);
                default -> respond(exchange, 404, refusal == 404
                        ? graphError("URL signature expired", "OAuthException", 100) : mediaNotFound(mediaId), null);
            }
        }
    }

    private String urlSignature(String mediaId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(urlKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((mediaId + ":" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode mediaNotFound(String mediaId) {
        ObjectNode error = graphError("Unsupported get request. Object with ID '" + mediaId + "' does not exist, "
                + "cannot be loaded due to missing permissions, or does not support this operation.",
                "GraphMethodException", 100);
        ((ObjectNode) error.get("error")).put("error_subcode", 33);
        return error;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                params.putIfAbsent(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return params;
    }

    private static long parseLong(String value) {
        try {
            return value == null ? Long.MIN_VALUE : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static String newMediaId() {
        return Long.toString(1_000_000_000_000_000L + Math.floorMod(RANDOM.nextLong(), 8_999_999_999_999_999L));
    }

    // ---------------------------------------------------------------- send endpoint

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher media = MEDIA_PATH.matcher(exchange.getRequestURI().getPath());
            if ("GET".equalsIgnoreCase(exchange.getRequestMethod()) && media.matches()) {
                resolve(exchange, media.group(2));
                return;
            }
            Matcher path = MESSAGES_PATH.matcher(exchange.getRequestURI().getPath());
            boolean dialog360 = d360ApiKey != null && DIALOG360_MESSAGES_PATH.matcher(exchange.getRequestURI().getPath()).matches();
            if (!(path.matches() || dialog360) || !"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                respond(exchange, 400, graphError("Unsupported " + exchange.getRequestMethod().toLowerCase(Locale.ROOT)
                        + " request. Object with ID '" + exchange.getRequestURI().getPath() + "' does not exist",
                        "GraphMethodException", 100), null);
                return;
            }
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = headers(exchange);
            JsonNode body = parse(raw);
            // 360dialog: no version or phone-number id in the path, the API key names the number
            String version = dialog360 ? null : path.group(1);
            String phoneNumberId = dialog360 ? this.phoneNumberId : path.group(2);

            if (dialog360 && !dialog360Authorized(exchange.getRequestHeaders().getFirst(D360_API_KEY_HEADER))) {
                record(exchange, version, phoneNumberId, headers, body, 401, null);
                ObjectNode meta = json.createObjectNode();
                meta.putObject("meta").put("api_status", "stable").put("version", "2.0").put("http_code", 401)
                        .put("developer_message", "Invalid api key").put("success", false);
                respond(exchange, 401, meta, null);
                return;
            }
            if (!dialog360 && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
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
            FaultMix mix = faultMix;
            if (fault == null && mix != null) {
                fault = mix.draw(java.util.concurrent.ThreadLocalRandom.current().nextDouble()).orElse(null);
            }
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
            if (!delay.isZero()) {
                lateAnswers.incrementAndGet();
            }
            answerLater(exchange, delay, 200, answer, null);
            later(delay, () -> deliver(new Accepted(wamid, phoneNumberId, waId, body, waId.endsWith("0009"))));
        } catch (RuntimeException e) {
            log.warn("WhatsApp simulator failed to handle a request", e);
            respond(exchange, 500, graphError("An unexpected error has occurred.", "OAuthException", 2), null);
        }
    }

    private boolean dialog360Authorized(String header) {
        return header != null && MessageDigest.isEqual(header.trim().getBytes(StandardCharsets.UTF_8),
                d360ApiKey.getBytes(StandardCharsets.UTF_8));
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

    /** Null when the link answered 2xx with bytes; otherwise why not. Every answer is kept in {@link #fetches()}. */
    private CompletableFuture<String> fetch(String link) {
        return fetch(link, FETCH_TIMEOUT, "WhatsApp-Simulator/1.0", response -> fetches.add(new FetchedMedia(link,
                response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body())));
    }

    private record StatusStep(String status, JsonNode error) {
    }

    private void postChain(Accepted message, List<StatusStep> steps) {
        postChain(steps, statusDelay, step -> post(statusPayload(message, step)));
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
    private CompletableFuture<Void> post(ObjectNode payload) {
        if (webhookUrl == null || webhookUrl.isBlank()) {
            log.debug("No webhook URL set: status not posted");
            return CompletableFuture.completedFuture(null);
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        postedStatuses.add(payload);
        return postWithRetries(() -> {
            String target = webhookUrl;
            if (target == null || target.isBlank()) {
                return null;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(WEBHOOK_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (appSecret != null) {
                request.header(SIGNATURE_HEADER, signature(appSecret, body));
            }
            return request.build();
        }, "Status webhook", () -> webhookAttempts,
                attempt -> Math.min(statusDelay.toMillis() * attempt, MAX_WEBHOOK_RETRY_WAIT_MS));
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
     * {@code WHATSAPP_APP_SECRET}, {@code WHATSAPP_WEBHOOK_URL}, {@code WHATSAPP_PHONE_NUMBER_ID} from the environment.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        WhatsAppSimulator simulator = builder()
                .port(Integer.parseInt(env.getOrDefault("SIMULATOR_PORT", "8099")))
                .accessToken(env.getOrDefault("WHATSAPP_ACCESS_TOKEN", "dev-whatsapp-token"))
                .appSecret(env.getOrDefault("WHATSAPP_APP_SECRET", "dev-whatsapp-app-secret"))
                .d360ApiKey(env.get("D360_API_KEY"))
                .webhookUrl(env.get("WHATSAPP_WEBHOOK_URL"))
                .phoneNumberId(env.getOrDefault("WHATSAPP_PHONE_NUMBER_ID", DEFAULT_PHONE_NUMBER_ID))
                .build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        Thread.currentThread().join();
    }

    /** Builder of a {@link WhatsAppSimulator}. */
    public static final class Builder {
        private int port;
        private String accessToken;
        private String d360ApiKey;
        private String appSecret;
        private String webhookUrl;
        private Duration statusDelay = DEFAULT_STATUS_DELAY;
        private String wabaId = "102290129340398";
        private String displayPhoneNumber = "15550783881";
        private String phoneNumberId = DEFAULT_PHONE_NUMBER_ID;
        private Duration mediaUrlTtl = DEFAULT_MEDIA_URL_TTL;
        private long oversizeBytes = MediaFaults.DEFAULT_OVERSIZE_BYTES;

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

        /**
         * Plays 360dialog too: {@code POST /messages} (no version or phone-number id in the path) with
         * {@code D360-API-KEY: <key>} takes the same Cloud API body and answers, and its statuses are posted like the
         * Cloud API's; a missing or wrong key is a 401 {@code {"meta":{"http_code":401,"developer_message",
         * "success":false}}}. Null (default): {@code /messages} is not served.
         */
        public Builder d360ApiKey(String d360ApiKey) {
            this.d360ApiKey = d360ApiKey;
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

        /** The business phone number id customers write to (default {@value WhatsAppSimulator#DEFAULT_PHONE_NUMBER_ID}). */
        public Builder phoneNumberId(String phoneNumberId) {
            this.phoneNumberId = Objects.requireNonNull(phoneNumberId);
            return this;
        }

        /** How long a media download URL stays valid (default 5 minutes). */
        public Builder mediaUrlTtl(Duration mediaUrlTtl) {
            if (mediaUrlTtl.isNegative() || mediaUrlTtl.isZero()) {
                throw new IllegalArgumentException("mediaUrlTtl must be positive: " + mediaUrlTtl);
            }
            this.mediaUrlTtl = mediaUrlTtl;
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

        public WhatsAppSimulator build() {
            return new WhatsAppSimulator(this);
        }
    }
}
