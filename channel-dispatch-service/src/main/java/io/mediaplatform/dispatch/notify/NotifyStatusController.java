package io.mediaplatform.dispatch.notify;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.common.web.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Status callbacks of the generic notification API (signed with Standard Webhooks, see {@link NotifyStatusWebhook}). */
@RestController
@RequestMapping(NotifyConnector.STATUS_PATH)
public class NotifyStatusController {

    private final NotifyStatusWebhook webhook;

    public NotifyStatusController(NotifyStatusWebhook webhook) {
        this.webhook = webhook;
    }

    @PostMapping
    public ResponseEntity<Void> receive(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        NotifyStatusWebhook.Outcome outcome;
        try {
            outcome = webhook.receive(parseQuery(request.getQueryString()), body == null ? new byte[0] : body,
                    request.getHeader(StandardWebhooks.ID_HEADER), request.getHeader(StandardWebhooks.TIMESTAMP_HEADER),
                    request.getHeader(StandardWebhooks.SIGNATURE_HEADER));
        } catch (EventPublisher.EventPublishException e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                    "The status could not be recorded; send it again later.").header("Retry-After", "5");
        }
        return switch (outcome) {
            case BAD_SIGNATURE -> throw ProblemException.unauthorized("Missing or invalid Standard Webhooks signature");
            case NOT_JSON -> throw ProblemException.badRequest("The body is not a JSON object");
            default -> ResponseEntity.noContent().build();
        };
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            query.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return query;
    }
}
