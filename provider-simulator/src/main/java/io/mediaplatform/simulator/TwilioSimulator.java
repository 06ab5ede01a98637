package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
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
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Logger log = LoggerFactory.getLogger(TwilioSimulator.class);
    private static final Pattern MESSAGES_PATH = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Messages\\.json$");
    private static final Pattern MEDIA_PATH =
            Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)/Media/([^/]+)$");
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(10);
    private static final int CALLBACK_ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String accountSid;
    private final String authToken;
    private final Duration statusDelay;
    private final String phoneNumber;
    private volatile String inboundWebhookUrl;

    private final List<Map<String, String>> postedStatuses = new CopyOnWriteArrayList<>();

    private TwilioSimulator(Builder builder) {
        super("Twilio simulator", "twilio-simulator-", 2, builder.port, builder.oversizeBytes);
        this.accountSid = Objects.requireNonNull(builder.accountSid, "accountSid");
        this.authToken = Objects.requireNonNull(builder.authToken, "authToken");
        this.statusDelay = builder.statusDelay;
        this.phoneNumber = builder.phoneNumber;
        this.inboundWebhookUrl = builder.inboundWebhookUrl;
    }

    /** A builder; account SID and auth token are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Serves the Messages API under {@code /2010-04-01/} and the customer control endpoint. */
    @Override
    protected void serve(HttpServer server) {
        server.createContext("/2010-04-01/", this::handle);
        server.createContext("/simulator/twilio/", exchange -> customers.handleControl(exchange,
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
        return List.copyOf(postedStatuses);
    }

    /** The {@code MessageStatus} words posted so far for one sid, in order. */
    public List<String> statusesOf(String sid) {
        List<String> words = new ArrayList<>();
        for (Map<String, String> status : postedStatuses) {
            if (sid.equals(status.get("MessageSid"))) {
                words.add(status.get("MessageStatus"));
            }
        }
        return words;
    }

    /** Forgets recorded sends, statuses and queued faults, and the customers' media and inbound webhooks. */
    public void reset() {
        forgetSends();
        postedStatuses.clear();
        customers.clear();
    }

    // ---------------------------------------------------------------- the customer's side

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
        int count = media.attachments().size();
        if (count > MAX_MEDIA) {
            throw new IllegalArgumentException("a Twilio message carries at most " + MAX_MEDIA + " media, not " + count);
        }
        String text = media.text() != null ? media.text() : media.caption();
        if (count == 0 && text == null) {
            throw new IllegalArgumentException("a Twilio message needs media or a body");
        }
        String channel = media.channel() == null ? null : media.channel().toLowerCase(Locale.ROOT);
        if (channel != null && !channel.equals("mms") && !channel.equals("whatsapp")) {
            throw new IllegalArgumentException("channel must be mms or whatsapp, not '" + media.channel() + "'");
        }
        String to = media.to() != null ? CustomerMediaStore.normalisePhone(media.to()) : phoneNumber;
        boolean whatsapp = "whatsapp".equals(channel) || (channel == null
                && (media.from().startsWith("whatsapp:") || to.startsWith("whatsapp:")));
        String prefix = whatsapp ? "whatsapp:" : "";
        String from = prefix + media.from().replaceFirst("^whatsapp:", "");
        to = prefix + to.replaceFirst("^whatsapp:", "");
        String messageSid = (count > 0 ? "MM" : "SM") + CustomerMediaStore.randomHex(16);
        String base = url();

        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", messageSid);
        params.put("SmsMessageSid", messageSid);
        params.put("SmsSid", messageSid);
        params.put("AccountSid", accountSid);
        params.put("From", from);
        params.put("To", to);
        params.put("Body", text == null ? "" : text);
        params.put("NumMedia", Integer.toString(count));
        params.put("NumSegments", "1");
        List<CustomerSent.Media> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String mediaSid = "ME" + CustomerMediaStore.randomHex(16);
            String contentType = media.mimeTypeOf(i);
            String mediaUrl = base + "/2010-04-01/Accounts/" + accountSid + "/Messages/" + messageSid + "/Media/" + mediaSid;
            stored.add(customers.put(mediaSid, messageSid, media.attachments().get(i).bytes(), contentType,
                    media.faults()).describe(mediaUrl, false));
            params.put("MediaContentType" + i, contentType);
            params.put("MediaUrl" + i, mediaUrl);
        }
        if (whatsapp) {
            params.put("ProfileName", media.profileName() != null ? media.profileName() : "Customer");
            params.put("WaId", from.replaceAll("\\D", ""));
        }
        params.put("SmsStatus", "received");
        params.put("ApiVersion", "2010-04-01");
        Map<String, String> fixed = Map.copyOf(params);
        byte[] body = form(params).getBytes(StandardCharsets.UTF_8);
        PostedWebhook posted = customers.deliver(messageSid, () -> {
            String target = inboundWebhookUrl;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("User-Agent", "TwilioProxy/1.1");
            if (target != null && !target.isBlank()) {
                headers.put(SIGNATURE_HEADER, signature(authToken, target, fixed));
            }
            return customers.post(client(), messageSid, target, "application/x-www-form-urlencoded", body, headers);
        });
        return new CustomerSent(messageSid, stored, posted.status(), posted);
    }

    /** {@code GET /2010-04-01/Accounts/{sid}/Messages/{MessageSid}/Media/{MediaSid}} with basic auth: the bytes. */
    private void media(HttpExchange exchange, Matcher path) {
        String mediaSid = path.group(3);
        boolean authorized = path.group(1).equals(accountSid)
                && authorized(exchange.getRequestHeaders().getFirst("Authorization"));
        CustomerMediaStore.Stored known = customers.find(mediaSid);
        if (authorized && known != null && !known.owner.equals(path.group(2))) {
            respond(exchange, 404, error(20404, "The requested resource " + exchange.getRequestURI().getPath()
                    + " was not found", 404), null);
            return;
        }
        CustomerMediaStore.Download answer = customers.download(mediaSid, authorized ? 0 : 401);
        switch (answer.status()) {
            case 200 -> customers.writeContent(exchange, answer.media());
            case 401 -> respond(exchange, 401, error(20003, "Authenticate", 401), null);
            case 500 -> respond(exchange, 500, error(20500, "An internal server error has occurred", 500), null);
            default -> respond(exchange, 404, error(20404, "The requested resource " + exchange.getRequestURI().getPath()
                    + " was not found", 404), null);
        }
    }

    private static String form(Map<String, String> params) {
        StringJoiner form = new StringJoiner("&");
        params.forEach((k, v) -> form.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return form.toString();
    }

    // ---------------------------------------------------------------- send endpoint

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher media = MEDIA_PATH.matcher(exchange.getRequestURI().getPath());
            if (media.matches() && "GET".equalsIgnoreCase(exchange.getRequestMethod())) {
                media(exchange, media);
                return;
            }
            Matcher path = MESSAGES_PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches() || !"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                respond(exchange, 404, error(20404, "The requested resource " + exchange.getRequestURI().getPath()
                        + " was not found", 404), null);
                return;
            }
            Map<String, List<String>> form = parseForm(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            ObjectNode body = json.createObjectNode();
            form.forEach((name, values) -> {
                if ("MediaUrl".equals(name)) {
                    values.forEach(body.withArray("MediaUrl")::add);
                } else {
                    body.put(name, values.getFirst());
                }
            });
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!values.isEmpty()) {
                    headers.put(name.toLowerCase(Locale.ROOT), values.getFirst());
                }
            });
            String sid = path.group(1);
            if (!sid.equals(accountSid) || !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                record(exchange, sid, headers, body, 401, null);
                respond(exchange, 401, error(20003, "Authenticate", 401), null);
                return;
            }
            String to = first(form, "To");
            String from = first(form, "From");
            if (to == null || to.isBlank()) {
                record(exchange, sid, headers, body, 400, null);
                respond(exchange, 400, error(21604, "A 'To' phone number is required.", 400), null);
                return;
            }
            if (from == null || from.isBlank()) {
                record(exchange, sid, headers, body, 400, null);
                respond(exchange, 400, error(21603, "A 'From' phone number is required.", 400), null);
                return;
            }
            if (first(form, "Body") == null && first(form, "MediaUrl") == null) {
                record(exchange, sid, headers, body, 400, null);
                respond(exchange, 400, error(21602, "Message body is required.", 400), null);
                return;
            }
            Fault fault = faults.poll();
            if (fault != null && !fault.answersNormally()) {
                record(exchange, sid, headers, body, fault.httpStatus(), null);
                answerLater(exchange, fault.delay(), fault.httpStatus(),
                        error(fault.graphCode(), fault.message(), fault.httpStatus()), fault.retryAfter());
                return;
            }
            String digits = to.replaceAll("\\D", "");
            if (digits.endsWith("0400")) {
                record(exchange, sid, headers, body, 400, null);
                respond(exchange, 400, error(21211, "The 'To' number " + to + " is not a valid phone number.", 400), null);
                return;
            }
            if (digits.endsWith("0500")) {
                record(exchange, sid, headers, body, 500, null);
                respond(exchange, 500, error(20500, "An internal server error has occurred", 500), null);
                return;
            }
            if (digits.endsWith("0429")) {
                record(exchange, sid, headers, body, 429, null);
                respond(exchange, 429, error(20429, "Too Many Requests", 429), Duration.ofSeconds(1));
                return;
            }
            Duration delay = fault != null ? fault.delay() : digits.endsWith("0408") ? SLOW_DELAY : Duration.ZERO;
            String messageSid = "SM" + HexFormat.of().formatHex(randomBytes(16));
            record(exchange, sid, headers, body, 201, messageSid);
            ObjectNode answer = json.createObjectNode()
                    .put("sid", messageSid).put("account_sid", accountSid).put("to", to).put("from", from)
                    .put("body", first(form, "Body")).put("status", "queued")
                    .put("num_media", Integer.toString(form.getOrDefault("MediaUrl", List.of()).size()))
                    .put("direction", "outbound-api").put("api_version", "2010-04-01")
                    .put("date_created", Instant.now().toString())
                    .putNull("error_code").putNull("error_message")
                    .put("uri", "/2010-04-01/Accounts/" + accountSid + "/Messages/" + messageSid + ".json");
            answerLater(exchange, delay, 201, answer, null);
            Accepted accepted = new Accepted(messageSid, to, from, form.getOrDefault("MediaUrl", List.of()),
                    first(form, "StatusCallback"), digits.endsWith("0009"));
            later(Duration.ofMillis(1), () -> deliver(accepted));
        } catch (RuntimeException e) {
            log.warn("Twilio simulator failed to handle a request", e);
            respond(exchange, 500, error(20500, "An internal server error has occurred", 500), null);
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String expected = Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(header.substring(6).trim().getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- asynchronous life of a message

    private record Accepted(String sid, String to, String from, List<String> mediaUrls, String statusCallback,
                            boolean failOnPurpose) {
        boolean whatsapp() {
            return to.startsWith("whatsapp:");
        }
    }

    private void deliver(Accepted message) {
        CompletableFuture<String> fetched = CompletableFuture.completedFuture(null);
        for (String url : message.mediaUrls()) {
            fetched = fetched.thenCompose(problem -> problem != null ? CompletableFuture.completedFuture(problem) : fetch(url));
        }
        fetched.whenComplete((problem, error) -> {
            String failure = error != null ? error.getMessage() : problem;
            List<Step> steps = new ArrayList<>();
            if (failure != null) {
                log.info("Twilio simulator could not fetch the media of {}: {}", message.sid(), failure);
                steps.add(new Step("failed", "11200"));
            } else if (message.failOnPurpose()) {
                steps.add(new Step("sent", null));
                steps.add(new Step("undelivered", "30003"));
            } else {
                steps.add(new Step("sent", null));
                steps.add(new Step("delivered", null));
                if (message.whatsapp()) {
                    steps.add(new Step("read", null));
                }
            }
            postChain(message, steps);
        });
    }

    private record Step(String status, String errorCode) {
    }

    private CompletableFuture<String> fetch(String link) {
        return fetch(link, FETCH_TIMEOUT, "TwilioProxy/1.1", null);
    }

    private void postChain(Accepted message, List<Step> steps) {
        if (message.statusCallback() == null || message.statusCallback().isBlank()) {
            return;
        }
        postChain(steps, statusDelay, step -> {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("MessageSid", message.sid());
            params.put("SmsSid", message.sid());
            params.put("AccountSid", accountSid);
            params.put("MessageStatus", step.status());
            params.put("SmsStatus", step.status());
            params.put("To", message.to());
            params.put("From", message.from());
            params.put("ApiVersion", "2010-04-01");
            if (step.errorCode() != null) {
                params.put("ErrorCode", step.errorCode());
            }
            return post(message.statusCallback(), params);
        });
    }

    private CompletableFuture<Void> post(String url, Map<String, String> params) {
        postedStatuses.add(Map.copyOf(params));
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(CALLBACK_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("User-Agent", "TwilioProxy/1.1")
                    .header(SIGNATURE_HEADER, signature(authToken, url, params))
                    .POST(HttpRequest.BodyPublishers.ofString(form(params), StandardCharsets.UTF_8)).build();
        } catch (IllegalArgumentException e) {
            log.warn("Invalid StatusCallback URL: status not posted");
            return CompletableFuture.completedFuture(null);
        }
        return postWithRetries(request, "Status callback", CALLBACK_ATTEMPTS, attempt -> statusDelay.toMillis() * attempt);
    }

    /** The {@code X-Twilio-Signature} of a request: base64 HMAC-SHA1(authToken, url + sorted name+value pairs). */
    public static String signature(String authToken, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void record(HttpExchange exchange, String sid, Map<String, String> headers, ObjectNode body, int status,
                        String messageSid) {
        sends.add(new ReceivedSend(Instant.now(), exchange.getRequestURI().getPath(), "2010-04-01", sid, headers, body,
                status, messageSid));
    }

    private static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return form;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            form.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private ObjectNode error(int code, String message, int status) {
        return json.createObjectNode().put("code", code).put("message", message)
                .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Builder of a {@link TwilioSimulator}. */
    public static final class Builder {
        private int port;
        private String accountSid;
        private String authToken;
        private Duration statusDelay = WhatsAppSimulator.DEFAULT_STATUS_DELAY;
        private String phoneNumber = DEFAULT_PHONE_NUMBER;
        private String inboundWebhookUrl;
        private long oversizeBytes = MediaFaults.DEFAULT_OVERSIZE_BYTES;

        private Builder() {
        }

        /** Where customers' messages are posted: the platform's Twilio status webhook URL (may be set later). */
        public Builder inboundWebhookUrl(String inboundWebhookUrl) {
            this.inboundWebhookUrl = inboundWebhookUrl;
            return this;
        }

        /** The business number customers write to by default ({@value TwilioSimulator#DEFAULT_PHONE_NUMBER}). */
        public Builder phoneNumber(String phoneNumber) {
            this.phoneNumber = Objects.requireNonNull(phoneNumber);
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

        /** Port to listen on; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The account SID senders must use in the path and basic auth. */
        public Builder accountSid(String accountSid) {
            this.accountSid = accountSid;
            return this;
        }

        /** The auth token of basic auth and of the callback signatures. */
        public Builder authToken(String authToken) {
            this.authToken = authToken;
            return this;
        }

        /** Time before the first status and between statuses (default 200 ms). */
        public Builder statusDelay(Duration statusDelay) {
            this.statusDelay = Objects.requireNonNull(statusDelay);
            return this;
        }

        public TwilioSimulator build() {
            return new TwilioSimulator(this);
        }
    }
}
