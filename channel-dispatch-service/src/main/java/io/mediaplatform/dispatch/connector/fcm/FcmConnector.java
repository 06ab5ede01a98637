package io.mediaplatform.dispatch.connector.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaplatform.dispatch.connector.http.ProviderHttp;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Firebase Cloud Messaging HTTP v1 connector for the PUSH channel: {@code POST <base>/v1/projects/<project>/messages:send}
 * with {@code Authorization: Bearer <access token>} and
 * {@code {"message":{"token":<the send's to>,"notification":{"title","body":<caption>,"image":<signed media link>},
 * "data":{"tenantId","messageId","conversationId"?,"mediaId"?}}}}. The answer {@code {"name":"projects/p/messages/<id>"}}
 * is SENT with that name as the provider message id. Push has no delivery receipts: SENT is the last status.
 *
 * <p>FCM errors ({@code {"error":{"code","message","status","details":[{"errorCode"}]}}}) become failures with the
 * FCM error code ({@code UNREGISTERED}, {@code INVALID_ARGUMENT}, … else the status, else {@code HTTP_<n>}); 429
 * ({@code QUOTA_EXCEEDED}), 5xx ({@code UNAVAILABLE}, {@code INTERNAL}) and timeouts are retryable with FCM's
 * {@code Retry-After}; a 400 or an unregistered (404) token is not.
 */
public final class FcmConnector implements ProviderConnector {

    /** Provider name on {@code message.status}. */
    public static final String PROVIDER = "fcm";
    /** Channel it serves. */
    public static final String CHANNEL = "PUSH";

    private static final Logger log = LoggerFactory.getLogger(FcmConnector.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI endpoint;
    private final String accessToken;
    private final String title;
    private final Duration requestTimeout;

    /**
     * @param http           client (its connect timeout applies)
     * @param baseUrl        FCM base URL, e.g. {@code https://fcm.googleapis.com}
     * @param projectId      the Firebase project id
     * @param accessToken    OAuth 2.0 access token of a service account with the {@code firebase.messaging} scope
     * @param title          the notification's title
     * @param requestTimeout time for the whole answer
     */
    public FcmConnector(HttpClient http, String baseUrl, String projectId, String accessToken, String title,
                        Duration requestTimeout) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = http;
        this.endpoint = URI.create(base + "/v1/projects/" + URLEncoder.encode(projectId, StandardCharsets.UTF_8)
                + "/messages:send");
        this.accessToken = accessToken;
        this.title = title;
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

    /** The endpoint sends go to. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public SendResult send(OutboundSend send) {
        return ProviderHttp.postJson(http, endpoint, Map.of("Authorization", "Bearer " + accessToken), body(send), "FCM",
                requestTimeout, response -> outcome(send, response));
    }

    /** The FCM v1 body of a send. */
    ObjectNode body(OutboundSend send) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode message = root.putObject("message").put("token", send.to());
        ObjectNode notification = message.putObject("notification").put("title", title);
        if (send.kind() == SendKind.TEXT) {
            notification.put("body", send.text());
        } else {
            if (send.caption() != null && !send.caption().isBlank()) {
                notification.put("body", send.caption());
            }
            notification.put("image", send.mediaLink());
        }
        // data values must be strings: our correlation, for the app to tie the notification to the message
        ObjectNode data = message.putObject("data").put("tenantId", send.tenantId()).put("messageId", send.messageId());
        if (send.conversationId() != null) {
            data.put("conversationId", send.conversationId());
        }
        if (send.mediaId() != null) {
            data.put("mediaId", send.mediaId());
        }
        return root;
    }

    private SendResult outcome(OutboundSend send, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        JsonNode answer = ProviderHttp.json(response.body());
        if (status / 100 == 2) {
            String name = answer.path("name").asText(null);
            if (name == null || name.isBlank()) {
                return new SendResult.Failed("INVALID_PROVIDER_RESPONSE", "FCM answered " + status + " without a name",
                        false);
            }
            log.info("FCM took message {} of tenant {} as {}", send.messageId(), send.tenantId(), name);
            return new SendResult.Sent(name);
        }
        JsonNode error = answer.path("error");
        String code = null;
        for (JsonNode detail : error.path("details")) {
            if (detail.hasNonNull("errorCode")) {
                code = detail.path("errorCode").asText();
            }
        }
        if (code == null || code.isBlank()) {
            code = error.path("status").asText("");
        }
        String reason = code.isBlank() ? "HTTP_" + status : code;
        String message = error.path("message").asText("HTTP " + status);
        boolean retryable = status == 429 || status >= 500;
        Duration retryAfter = ProviderHttp.retryAfter(response);
        log.info("FCM refused message {} of tenant {}: HTTP {} {} (retryable: {})", send.messageId(), send.tenantId(),
                status, reason, retryable);
        return new SendResult.Failed(reason, message, retryable, retryAfter);
    }
}
