package io.mediaplatform.dispatch.connector.notify;

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
 * Connector to a generic HTTP notification API (the {@code POST /notification} shape of the product pages):
 * {@code {"channel", "request": {"from","to","message","type","caption","fileName","externalId","clientId"},
 * "callbacks"}} with {@code Authorization: Bearer <NOTIFY_API_KEY>}; the media goes as {@code request.message}, the
 * signed link the provider downloads. The answer {@code {"meta":{"timestamp","transactionId","explain"}}} gives the
 * provider message id ({@code transactionId}). Status callbacks come back to
 * {@code /v1/providers/notify/status} with our correlation in the query. Serves RCS and WEBCHAT by default, and SMS
 * when it is the SMS provider: {@code "type":"text"}, {@code message} the caption, a newline and the signed link.
 */
public final class NotifyConnector implements ProviderConnector {

    /** Provider name on {@code message.status}. */
    public static final String PROVIDER = "notify";
    /** Path of the status callback endpoint. */
    public static final String STATUS_PATH = "/v1/providers/notify/status";
    /** The SMS channel: media goes as a text holding the signed link. */
    public static final String SMS = "SMS";

    private static final Logger log = LoggerFactory.getLogger(NotifyConnector.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI endpoint;
    private final String apiKey;
    private final String callbackBase;
    private final Set<String> channels;
    private final Duration requestTimeout;

    public NotifyConnector(HttpClient http, String baseUrl, String apiKey, String dispatchPublicUrl, Set<String> channels,
                           Duration requestTimeout) {
        this.http = http;
        this.endpoint = URI.create(trimSlash(baseUrl) + "/notification");
        this.apiKey = apiKey;
        this.callbackBase = trimSlash(dispatchPublicUrl) + STATUS_PATH;
        this.channels = Set.copyOf(channels);
        this.requestTimeout = requestTimeout;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String channel() {
        return channels.iterator().next();
    }

    @Override
    public Set<String> channels() {
        return channels;
    }

    @Override
    public String senderOf(OutboundSend send) {
        return send.from() == null ? PROVIDER : send.from();
    }

    /** The endpoint sends go to. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public SendResult send(OutboundSend send) {
        Map<String, String> headers = apiKey != null && !apiKey.isBlank()
                ? Map.of("Authorization", "Bearer " + apiKey) : Map.of();
        return ProviderHttp.postJson(http, endpoint, headers, body(send), "The notification API", requestTimeout,
                response -> outcome(send, response));
    }

    /** The request body of a send. */
    ObjectNode body(OutboundSend send) {
        ObjectNode root = JSON.createObjectNode().put("channel", send.channel());
        ObjectNode request = root.putObject("request");
        if (send.from() != null) {
            request.put("from", send.from());
        }
        request.put("to", send.to());
        if (SMS.equals(send.channel()) && send.kind() != SendKind.TEXT) {
            // an SMS carries no media: a text with the signed link, which the recipient opens
            request.put("message", send.textWithLink());
            request.put("type", "text");
        } else {
            request.put("message", send.kind() == SendKind.TEXT ? send.text() : send.mediaLink());
            request.put("type", send.kind().name().toLowerCase(Locale.ROOT));
            if (send.kind().takesCaption() && send.caption() != null && !send.caption().isBlank()) {
                request.put("caption", send.caption());
            }
            if (send.kind().takesFileName() && send.fileName() != null && !send.fileName().isBlank()) {
                request.put("fileName", send.fileName());
            }
        }
        if (send.externalId() != null) {
            request.put("externalId", send.externalId());
        }
        if (send.clientId() != null) {
            request.put("clientId", send.clientId());
        }
        root.put("callbacks", callbackUrl(send));
        return root;
    }

    /** Our status callback URL for a message, the correlation in its query. */
    String callbackUrl(OutboundSend send) {
        return ProviderHttp.statusCallbackUrl(callbackBase, send);
    }

    private SendResult outcome(OutboundSend send, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        JsonNode answer = ProviderHttp.json(response.body());
        if (status / 100 == 2) {
            String transactionId = answer.at("/meta/transactionId").asText(null);
            if (transactionId == null || transactionId.isBlank()) {
                return new SendResult.Failed("INVALID_PROVIDER_RESPONSE", "The notification API answered " + status
                        + " without meta.transactionId", false);
            }
            log.info("Notification API took message {} of tenant {} as {}", send.messageId(), send.tenantId(), transactionId);
            return new SendResult.Sent(transactionId);
        }
        String code = answer.path("code").asText(answer.at("/error/code").asText(""));
        String message = answer.at("/meta/explain").asText(answer.path("message").asText(answer.path("detail")
                .asText("HTTP " + status)));
        boolean retryable = status == 429 || status >= 500;
        Duration retryAfter = ProviderHttp.retryAfter(response);
        String reason = code.isBlank() ? "HTTP_" + status : code;
        log.info("Notification API refused message {} of tenant {}: HTTP {} {} (retryable: {})", send.messageId(),
                send.tenantId(), status, reason, retryable);
        return new SendResult.Failed(reason, message, retryable, retryAfter);
    }


    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
