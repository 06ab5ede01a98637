package io.mediaplatform.dispatch.connector.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.connector.http.ProviderHttp;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.dispatch.connector.whatsapp.WhatsAppConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Twilio Programmable Messaging connector: {@code POST <base>/2010-04-01/Accounts/<AccountSid>/Messages.json},
 * form-encoded {@code To}, {@code From}, {@code Body}, {@code MediaUrl} (the signed link Twilio fetches) and
 * {@code StatusCallback}, HTTP basic auth {@code AccountSid:AuthToken}. Serves MMS, SMS (when it is the SMS provider:
 * the media as the signed link in {@code Body}, after the caption and a newline, and no {@code MediaUrl}), and
 * WhatsApp too when {@code WHATSAPP_PROVIDER=twilio} ({@code whatsapp:}-prefixed addresses). The status callback URL carries our
 * correlation in its query ({@code t}, {@code m}, {@code c}, {@code to}, {@code ch}), which Twilio signs with the
 * rest. Errors ({@code {"code","message","status"}}) become failures with Twilio's code; 429, 5xx and timeouts are
 * retryable. Twilio has no idempotency key for message creation.
 */
public final class TwilioConnector implements ProviderConnector {

    /** Provider name on {@code message.status}. */
    public static final String PROVIDER = "twilio";
    /** Path of the status callback endpoint. */
    public static final String STATUS_PATH = "/v1/providers/twilio/status";
    /** The SMS channel: media goes as a link in {@code Body}, never as {@code MediaUrl}. */
    public static final String SMS = "SMS";

    private static final Logger log = LoggerFactory.getLogger(TwilioConnector.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI endpoint;
    private final String authorization;
    private final String defaultFrom;
    private final String statusCallbackBase;
    private final Set<String> channels;
    private final Duration requestTimeout;

    /**
     * @param http              client
     * @param baseUrl           API base, e.g. {@code https://api.twilio.com}
     * @param accountSid        account SID
     * @param authToken         auth token
     * @param defaultFrom       sender when the message names none (a number or messaging sender)
     * @param dispatchPublicUrl this service's public base URL, for {@code StatusCallback}
     * @param channels          channels served ({@code MMS}, and {@code WHATSAPP} when Twilio is the WhatsApp provider)
     * @param requestTimeout    time for the whole answer
     */
    public TwilioConnector(HttpClient http, String baseUrl, String accountSid, String authToken, String defaultFrom,
                           String dispatchPublicUrl, Set<String> channels, Duration requestTimeout) {
        String base = trimSlash(baseUrl);
        this.http = http;
        this.endpoint = URI.create(base + "/2010-04-01/Accounts/" + accountSid + "/Messages.json");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        this.defaultFrom = defaultFrom;
        this.statusCallbackBase = trimSlash(dispatchPublicUrl) + STATUS_PATH;
        this.channels = Set.copyOf(channels);
        this.requestTimeout = requestTimeout;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String channel() {
        return channels.contains("MMS") ? "MMS" : channels.iterator().next();
    }

    @Override
    public Set<String> channels() {
        return channels;
    }

    @Override
    public String senderOf(OutboundSend send) {
        return from(send);
    }

    /** The endpoint sends go to. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public SendResult send(OutboundSend send) {
        String from = from(send);
        if (from == null || from.isBlank()) {
            return new SendResult.Failed("NO_SENDER", "No From address: the message has none and TWILIO_FROM is not set",
                    false);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form(send)), StandardCharsets.UTF_8))
                .build();
        return ProviderHttp.call(http, request, "Twilio", requestTimeout, response -> outcome(send, response));
    }

    /** The form parameters of a send, in order. */
    Map<String, String> form(OutboundSend send) {
        boolean whatsapp = WhatsAppConnector.CHANNEL.equals(send.channel());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", address(send.to(), whatsapp));
        form.put("From", address(from(send), whatsapp));
        if (SMS.equals(send.channel()) && send.mediaLink() != null) {
            // an SMS carries no media: the signed link goes in the text, which the recipient opens
            form.put("Body", send.textWithLink());
        } else {
            String body = send.text() != null ? send.text()
                    : send.kind().takesCaption() && send.caption() != null && !send.caption().isBlank() ? send.caption()
                    : send.kind().takesFileName() && send.fileName() != null ? send.fileName() : null;
            if (body != null) {
                form.put("Body", body);
            }
            if (send.mediaLink() != null) {
                form.put("MediaUrl", send.mediaLink());
            }
        }
        form.put("StatusCallback", statusCallback(send));
        return form;
    }

    /** Our status callback URL for a message, the correlation in its query. */
    String statusCallback(OutboundSend send) {
        return ProviderHttp.statusCallbackUrl(statusCallbackBase, send);
    }

    private String from(OutboundSend send) {
        return send.from() != null && !send.from().isBlank() ? send.from() : defaultFrom;
    }

    private static String address(String address, boolean whatsapp) {
        if (address == null) {
            return null;
        }
        return whatsapp && !address.startsWith("whatsapp:") ? "whatsapp:" + address : address;
    }

    private SendResult outcome(OutboundSend send, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        JsonNode answer = ProviderHttp.json(response.body());
        if (status / 100 == 2) {
            String sid = answer.path("sid").asText(null);
            if (sid == null || sid.isBlank()) {
                return new SendResult.Failed("INVALID_PROVIDER_RESPONSE", "Twilio answered " + status + " without a sid",
                        false);
            }
            log.info("Twilio took message {} of tenant {} as {}", send.messageId(), send.tenantId(), sid);
            return new SendResult.Sent(sid);
        }
        int code = answer.path("code").asInt(0);
        String message = answer.path("message").asText("HTTP " + status);
        boolean retryable = status == 429 || status >= 500 || code == 20429;
        Duration retryAfter = ProviderHttp.retryAfter(response);
        String reason = code != 0 ? Integer.toString(code) : "HTTP_" + status;
        log.info("Twilio refused message {} of tenant {}: HTTP {} code {} (retryable: {})", send.messageId(),
                send.tenantId(), status, reason, retryable);
        return new SendResult.Failed(reason, message, retryable, retryAfter);
    }


    static String form(Map<String, String> fields) {
        StringJoiner joiner = new StringJoiner("&");
        fields.forEach((k, v) -> {
            if (v != null) {
                joiner.add(encode(k) + "=" + encode(v));
            }
        });
        return joiner.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
