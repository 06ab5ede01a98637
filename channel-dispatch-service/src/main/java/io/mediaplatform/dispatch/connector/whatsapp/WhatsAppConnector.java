package io.mediaplatform.dispatch.connector.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.connector.http.ProviderHttp;
import io.mediaplatform.dispatch.send.core.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * WhatsApp Cloud API connector: {@code POST <base>/<version>/<phoneNumberId>/messages} with the access token as
 * Bearer and a Cloud API body by kind (caption for image and video, file name for documents, the media as a
 * {@code link} the provider fetches), correlated through {@code biz_opaque_callback_data}. Graph errors
 * ({@code {"error":{"code","message"}}}) become {@link SendResult.Failed} with the Graph code; 5xx, 429, rate-limit
 * codes and timeouts are retryable.
 *
 * <p>{@link #dialog360} makes the same connector for 360dialog ({@code WHATSAPP_PROVIDER=360dialog}): the same body
 * and answers, posted to {@code <base>/messages} (the API key names the number, so no phone-number id in the path)
 * with {@code D360-API-KEY: <key>} instead of a bearer token.
 */
public final class WhatsAppConnector implements ProviderConnector {

    /** Provider name on {@code message.status}. */
    public static final String PROVIDER = "whatsapp";
    /** Channel it serves. */
    public static final String CHANNEL = "WHATSAPP";
    /** 360dialog's API-key header. */
    public static final String D360_API_KEY_HEADER = "D360-API-KEY";

    private static final Logger log = LoggerFactory.getLogger(WhatsAppConnector.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Graph codes that mean "try again later": unknown/temporary errors, throttling, rate limits. */
    private static final Set<Integer> RETRYABLE_CODES = Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056);

    private final HttpClient http;
    private final URI endpoint;
    private final String sender;
    private final String authHeader;
    private final String authValue;
    private final String name;
    private final Duration requestTimeout;

    /**
     * @param http           client (its connect timeout applies)
     * @param baseUrl        Graph base URL, e.g. {@code https://graph.facebook.com}
     * @param apiVersion     e.g. {@code v21.0}
     * @param phoneNumberId  the business phone number id
     * @param accessToken    system-user access token
     * @param requestTimeout time for the whole answer
     */
    public WhatsAppConnector(HttpClient http, String baseUrl, String apiVersion, String phoneNumberId,
                             String accessToken, Duration requestTimeout) {
        this(http, URI.create(trimSlash(baseUrl) + "/" + apiVersion + "/" + phoneNumberId + "/messages"), phoneNumberId,
                "Authorization", "Bearer " + accessToken, "WhatsApp", requestTimeout);
    }

    private WhatsAppConnector(HttpClient http, URI endpoint, String sender, String authHeader, String authValue,
                              String name, Duration requestTimeout) {
        this.http = http;
        this.endpoint = endpoint;
        this.sender = sender;
        this.authHeader = authHeader;
        this.authValue = authValue;
        this.name = name;
        this.requestTimeout = requestTimeout;
    }

    /**
     * The connector through 360dialog: {@code POST <baseUrl>/messages} with {@code D360-API-KEY}.
     *
     * @param baseUrl        360dialog's API base, e.g. {@code https://waba-v2.360dialog.io}
     * @param apiKey         the number's API key
     * @param sender         the sender identity its rate limit applies to (the phone number id, when known)
     * @param requestTimeout time for the whole answer
     */
    public static WhatsAppConnector dialog360(HttpClient http, String baseUrl, String apiKey, String sender,
                                              Duration requestTimeout) {
        return new WhatsAppConnector(http, URI.create(trimSlash(baseUrl) + "/messages"), sender, D360_API_KEY_HEADER,
                apiKey, "360dialog", requestTimeout);
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    /** WhatsApp's throughput limit applies per business phone number. */
    @Override
    public String senderOf(OutboundSend send) {
        return sender;
    }

    /** The endpoint sends go to. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public SendResult send(OutboundSend send) {
        return ProviderHttp.postJson(http, endpoint, Map.of(authHeader, authValue), body(send), name, requestTimeout,
                response -> outcome(send, response));
    }

    /** The Cloud API body of a send. */
    ObjectNode body(OutboundSend send) {
        ObjectNode root = JSON.createObjectNode()
                .put("messaging_product", "whatsapp")
                .put("recipient_type", "individual")
                .put("to", send.to());
        String type = send.kind().name().toLowerCase(Locale.ROOT);
        root.put("type", type);
        ObjectNode content = root.putObject(type);
        if (send.kind() == SendKind.TEXT) {
            content.put("preview_url", false).put("body", send.text());
        } else {
            content.put("link", send.mediaLink());
            if (send.kind().takesCaption() && send.caption() != null && !send.caption().isBlank()) {
                content.put("caption", send.caption());
            }
            if (send.kind().takesFileName() && send.fileName() != null && !send.fileName().isBlank()) {
                content.put("filename", send.fileName());
            }
        }
        root.put("biz_opaque_callback_data", CallbackData.encode(send.correlation()));
        return root;
    }

    private SendResult outcome(OutboundSend send, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        JsonNode answer = ProviderHttp.json(response.body());
        if (status / 100 == 2) {
            String wamid = answer.at("/messages/0/id").asText(null);
            if (wamid == null || wamid.isBlank()) {
                return new SendResult.Failed("INVALID_PROVIDER_RESPONSE", name + " answered " + status
                        + " without a message id", false);
            }
            log.info("{} took message {} of tenant {} as {}", name, send.messageId(), send.tenantId(), wamid);
            return new SendResult.Sent(wamid);
        }
        JsonNode error = answer.path("error");
        int code = error.path("code").asInt(0);
        // 360dialog answers its own refusals (a wrong API key) as {"meta":{"http_code","developer_message"}}
        String message = error.path("message").asText(answer.at("/meta/developer_message").asText("HTTP " + status));
        String details = error.at("/error_data/details").asText(null);
        if (details != null && !details.isBlank() && !message.contains(details)) {
            message = message + " " + details;
        }
        boolean retryable = status == 429 || status >= 500 || RETRYABLE_CODES.contains(code);
        Duration retryAfter = ProviderHttp.retryAfter(response);
        String reason = code != 0 ? Integer.toString(code) : "HTTP_" + status;
        log.info("{} refused message {} of tenant {}: HTTP {} code {} (retryable: {})", name, send.messageId(),
                send.tenantId(), status, reason, retryable);
        return new SendResult.Failed(reason, message, retryable, retryAfter);
    }
}
