package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

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

    private static final int WEBHOOK_ATTEMPTS = 3;

    final String accessToken;
    final String d360ApiKey;
    final String appSecret;
    final Duration statusDelay;
    final String wabaId;
    final String displayPhoneNumber;
    final String phoneNumberId;
    final Duration mediaUrlTtl;
    private volatile String webhookUrl;
    volatile int webhookAttempts = WEBHOOK_ATTEMPTS;
    volatile FaultMix faultMix;
    final AtomicInteger lateAnswers = new AtomicInteger();

    final WhatsAppSends sendEndpoint = new WhatsAppSends(this);
    final WhatsAppStatusWebhooks statusWebhooks = new WhatsAppStatusWebhooks(this);
    final WhatsAppCustomerSide customerSide = new WhatsAppCustomerSide(this);

    WhatsAppSimulator(WhatsAppSimulatorBuilder builder) {
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
    public static WhatsAppSimulatorBuilder builder() {
        return new WhatsAppSimulatorBuilder();
    }

    /** Serves the Graph API (and 360dialog's) at the root, the media downloads and the control endpoints. */
    @Override
    protected void serve(HttpServer server) {
        server.createContext("/", sendEndpoint::handle);
        server.createContext(MEDIA_DOWNLOAD_PATH, customerSide::download);
        server.createContext("/simulator/whatsapp/", exchange -> control.handle(exchange,
                CUSTOMER_MESSAGES_PATH, this::customerSends));
        server.createContext(SENT_MESSAGES_PATH, sendEndpoint::sentMessages);
    }

    @Override
    protected List<String> contexts() {
        return List.of("/", MEDIA_DOWNLOAD_PATH, "/simulator/whatsapp/", SENT_MESSAGES_PATH);
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
        return List.copyOf(statusWebhooks.fetches);
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
        return List.copyOf(statusWebhooks.postedStatuses);
    }

    /** The status words ({@code sent}, {@code delivered}, …) posted so far for one {@code wamid}, in order. */
    public List<String> statusesOf(String wamid) {
        return statusWebhooks.statusesOf(wamid);
    }

    /** Forgets recorded sends, statuses and queued faults, and the customers' media and inbound webhooks. */
    public void reset() {
        forgetSends();
        statusWebhooks.clear();
        forgetCustomers();
    }

    /** The business phone number id inbound messages are addressed to by default. */
    public String phoneNumberId() {
        return phoneNumberId;
    }

    /**
     * Plays a customer sending one media file to the business: stores the bytes under a new media id (served by the
     * Graph media endpoint and the download URL, with the media's {@link MediaFaults}) and posts the signed
     * {@code messages[]} webhook to {@link #webhookUrl()} now, once.
     *
     * @return the {@code wamid}, the media (id, hex sha256, size, content type) and the webhook's HTTP status
     * @throws IllegalArgumentException when the message has not exactly one file, or an unknown type
     */
    public CustomerSent customerSends(CustomerMedia media) {
        return customerSide.customerSends(media);
    }

    /** How many Graph resolve requests ({@code GET /{version}/{media-id}}) named a customer media. */
    public int resolves(String mediaId) {
        return customers.resolves(mediaId);
    }

    /** The {@code X-Hub-Signature-256} value of a body: {@code sha256=<hex HMAC-SHA256(appSecret, body)>}. */
    public static String signature(String appSecret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(Hmac.of("HmacSHA256",
                appSecret.getBytes(StandardCharsets.UTF_8), body));
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
}
