package io.mediaplatform.dispatch.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.ProviderHttp;
import io.mediaplatform.dispatch.send.core.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * WhatsApp Cloud API connector: {@code POST <base>/<version>/<phoneNumberId>/messages} with the access token as
 * Bearer and a Cloud API body by kind (caption for image and video, file name for documents, the media as a
 * {@code link} the provider fetches), correlated through {@code biz_opaque_callback_data}. Graph errors
 * ({@code {"error":{"code","message"}}}) become {@link SendResult.Failed} with the Graph code; 5xx, 429, rate-limit
 * codes and timeouts are retryable.
 */
public final class WhatsAppConnector implements ProviderConnector {

    /** Provider name on {@code message.status}. */
    public static final String PROVIDER = "whatsapp";
    /** Channel it serves. */
    public static final String CHANNEL = "WHATSAPP";

    private static final Logger log = LoggerFactory.getLogger(WhatsAppConnector.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Graph codes that mean "try again later": unknown/temporary errors, throttling, rate limits. */
    private static final Set<Integer> RETRYABLE_CODES = Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056);

    private final HttpClient http;
    private final URI endpoint;
    private final String phoneNumberId;
    private final String accessToken;
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
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = http;
        this.endpoint = URI.create(base + "/" + apiVersion + "/" + phoneNumberId + "/messages");
        this.phoneNumberId = phoneNumberId;
        this.accessToken = accessToken;
        this.requestTimeout = requestTimeout;
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
        return phoneNumberId;
    }

    /** The endpoint sends go to. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public SendResult send(OutboundSend send) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(body(send));
        } catch (IOException e) {
            return new SendResult.Failed("INVALID_REQUEST", "Could not write the request: " + e.getMessage(), false);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return ProviderHttp.call(http, request, "WhatsApp", requestTimeout, response -> outcome(send, response));
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
                return new SendResult.Failed("INVALID_PROVIDER_RESPONSE", "WhatsApp answered " + status
                        + " without a message id", false);
            }
            log.info("WhatsApp took message {} of tenant {} as {}", send.messageId(), send.tenantId(), wamid);
            return new SendResult.Sent(wamid);
        }
        JsonNode error = answer.path("error");
        int code = error.path("code").asInt(0);
        String message = error.path("message").asText("HTTP " + status);
        String details = error.at("/error_data/details").asText(null);
        if (details != null && !details.isBlank() && !message.contains(details)) {
            message = message + " " + details;
        }
        boolean retryable = status == 429 || status >= 500 || RETRYABLE_CODES.contains(code);
        Duration retryAfter = ProviderHttp.retryAfter(response);
        String reason = code != 0 ? Integer.toString(code) : "HTTP_" + status;
        log.info("WhatsApp refused message {} of tenant {}: HTTP {} code {} (retryable: {})", send.messageId(),
                send.tenantId(), status, reason, retryable);
        return new SendResult.Failed(reason, message, retryable, retryAfter);
    }
}
