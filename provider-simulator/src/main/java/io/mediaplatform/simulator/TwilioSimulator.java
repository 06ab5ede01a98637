package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Twilio Messages API look-alike on the JDK HTTP server, for the local stack and for tests.
 *
 * <p>It takes {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} with HTTP basic auth
 * {@code AccountSid:AuthToken} and form-encoded {@code To}, {@code From}, {@code Body}, {@code MediaUrl} (repeatable),
 * {@code StatusCallback}; answers {@code 201} with a message resource ({@code sid "SM…"}, {@code status "queued"}) or
 * a Twilio error ({@code {"code","message","more_info","status"}}); then, asynchronously, fetches every
 * {@code MediaUrl} and posts form-encoded status callbacks ({@code sent}, {@code delivered}, and {@code read} for
 * {@code whatsapp:} recipients; {@code failed} with {@code ErrorCode 11200} when the media cannot be fetched) to
 * {@code StatusCallback}, signed with {@code X-Twilio-Signature} (base64 HMAC-SHA1 of the URL followed by the sorted
 * parameters, keyed with the auth token).
 *
 * <p>Magic recipients (last four digits of {@code To}): {@code 0400} is refused with 400 / 21211; {@code 0500} gets a
 * 500; {@code 0429} a 429 / 20429 with {@code Retry-After: 1}; {@code 0408} is answered after {@link #SLOW_DELAY};
 * {@code 0009} is accepted, then reported {@code sent} and {@code undelivered} with {@code ErrorCode 30003}.
 * {@link #failNext(Fault...)} queues faults for the next sends whatever their recipient (the fault's
 * {@code graphCode} is used as the Twilio error code).
 *
 * <p><b>The customer's side</b> (inbound media). {@link #customerSends(CustomerMedia)}, or the control endpoint
 * {@code POST /simulator/twilio/customer-messages?from=+15557654321&to=+15550100002&body=&channel=mms|whatsapp
 * &name=&fault=} (body: one file's raw bytes with its {@code Content-Type}, or {@code multipart/form-data} with up to
 * 10 {@code file} parts, each with its own content type), plays a customer sending an MMS (or a WhatsApp message
 * through Twilio: {@code From}/{@code To} {@code whatsapp:+1555…}, plus {@code ProfileName} and {@code WaId}). Each
 * file is kept in memory under a new {@code ME…} MediaSid and the inbound message is posted form-encoded
 * ({@code MessageSid MM…, AccountSid, From, To, Body, NumMedia, MediaUrl{N}, MediaContentType{N},
 * SmsStatus=received, ApiVersion=2010-04-01}) to the {@code inboundWebhookUrl} (builder or setter: the platform's
 * Twilio status webhook), signed with {@code X-Twilio-Signature} exactly like the status callbacks, synchronously
 * and once; the call answers {@code {"providerMessageId","media":[{"mediaId","sha256","size","contentType","url"}],
 * "webhookStatus"}}. {@code to} defaults to the {@code phoneNumber} (builder, default
 * {@value #DEFAULT_PHONE_NUMBER}). {@link #redeliver(String)} posts the same message again.
 *
 * <p>The media is served at {@code MediaUrlN = {base}/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/
 * {MediaSid}} with basic auth {@code AccountSid:AuthToken} (wrong: 401 / 20003; unknown or deleted: 404 / 20404).
 * {@link #downloads(String)} counts the requests per MediaSid. Faults ({@code fault=}, see {@link MediaFaults}):
 * {@code download-5xx:N}, {@code oversize}, {@code gone}; {@code wrong-sha256} and {@code expired-url} change nothing
 * (Twilio reports no digest and its URLs do not expire).
 */
public final class TwilioSimulator extends CustomerFacingSimulator<TwilioSimulator> {

    /** Header carrying the callback signature. */
    public static final String SIGNATURE_HEADER = "X-Twilio-Signature";
    /** How long a send to a recipient ending in {@code 0408} is held back. */
    public static final Duration SLOW_DELAY = Duration.ofSeconds(5);
    /** Default business number customers write to. */
    public static final String DEFAULT_PHONE_NUMBER = "+15550100002";
    /** Control endpoint playing a customer who sends media. */
    public static final String CUSTOMER_MESSAGES_PATH = "/simulator/twilio/customer-messages";
    /** Most media files in one Twilio message. */
    public static final int MAX_MEDIA = 10;

    final String accountSid;
    final String authToken;
    final Duration statusDelay;
    private final String phoneNumber;
    private volatile String inboundWebhookUrl;

    final TwilioSends sendEndpoint = new TwilioSends(this);
    final TwilioStatusCallbacks statusCallbacks = new TwilioStatusCallbacks(this);
    final TwilioCustomerSide customerSide = new TwilioCustomerSide(this);

    TwilioSimulator(TwilioSimulatorBuilder builder) {
        super("Twilio simulator", "twilio-simulator-", 2, builder.port, builder.oversizeBytes);
        this.accountSid = Objects.requireNonNull(builder.accountSid, "accountSid");
        this.authToken = Objects.requireNonNull(builder.authToken, "authToken");
        this.statusDelay = builder.statusDelay;
        this.phoneNumber = builder.phoneNumber;
        this.inboundWebhookUrl = builder.inboundWebhookUrl;
    }

    /** A builder; account SID and auth token are required. */
    public static TwilioSimulatorBuilder builder() {
        return new TwilioSimulatorBuilder();
    }

    /** Serves the Messages API under {@code /2010-04-01/} and the customer control endpoint. */
    @Override
    protected void serve(HttpServer server) {
        server.createContext("/2010-04-01/", sendEndpoint::handle);
        server.createContext("/simulator/twilio/", exchange -> control.handle(exchange,
                CUSTOMER_MESSAGES_PATH, this::customerSends));
    }

    @Override
    protected List<String> contexts() {
        return List.of("/2010-04-01/", "/simulator/twilio/");
    }

    /**
     * Every send request received so far, in arrival order; {@code body} holds the form fields as a JSON object
     * ({@code MediaUrl} as an array), {@code messageId} the {@code SM…} sid when accepted.
     */
    @Override
    public List<ReceivedSend> sends() {
        return super.sends();
    }

    /** Every status callback posted so far (its form parameters), in order of first posting. */
    public List<Map<String, String>> postedStatuses() {
        return List.copyOf(statusCallbacks.postedStatuses);
    }

    /** The {@code MessageStatus} words posted so far for one sid, in order. */
    public List<String> statusesOf(String sid) {
        return statusCallbacks.statusesOf(sid);
    }

    /** Forgets recorded sends, statuses and queued faults, and the customers' media and inbound webhooks. */
    public void reset() {
        forgetSends();
        statusCallbacks.postedStatuses.clear();
        forgetCustomers();
    }

    /**
     * Where customers' messages are posted: the platform's Twilio webhook (the same URL as the status callbacks,
     * e.g. {@code <dispatch>/v1/providers/twilio/status}); may be set after start. Null: nothing is posted.
     */
    public TwilioSimulator inboundWebhookUrl(String url) {
        this.inboundWebhookUrl = url;
        return this;
    }

    /** The current inbound webhook URL, or null. */
    public String inboundWebhookUrl() {
        return inboundWebhookUrl;
    }

    /** The business number customers write to by default. */
    public String phoneNumber() {
        return phoneNumber;
    }

    /**
     * Plays a customer sending a message with 0..10 media files (none only with a text): stores each file under a
     * new {@code ME…} MediaSid, served at its {@code MediaUrlN} with basic auth, and posts the form-encoded inbound
     * message, signed with {@code X-Twilio-Signature}, to {@link #inboundWebhookUrl()} now, once. Channel
     * {@code mms} (default) or {@code whatsapp} ({@code From}/{@code To} get the {@code whatsapp:} prefix).
     *
     * @return the {@code MM…} MessageSid, the media (MediaSid, hex sha256, size, content type, MediaUrl) and the
     *         webhook's HTTP status
     * @throws IllegalArgumentException for more than 10 files, no file and no text, or an unknown channel
     */
    public CustomerSent customerSends(CustomerMedia media) {
        return customerSide.customerSends(media);
    }

    /** The {@code X-Twilio-Signature} of a request: base64 HMAC-SHA1(authToken, url + sorted name+value pairs). */
    public static String signature(String authToken, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        return Base64.getEncoder().encodeToString(Hmac.of("HmacSHA1", authToken.getBytes(StandardCharsets.UTF_8),
                data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** A Twilio error body. */
    ObjectNode error(int code, String message, int status) {
        return json.createObjectNode().put("code", code).put("message", message)
                .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status);
    }
}
