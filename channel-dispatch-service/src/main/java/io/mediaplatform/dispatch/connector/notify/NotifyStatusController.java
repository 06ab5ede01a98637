package io.mediaplatform.dispatch.connector.notify;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.dispatch.connector.http.WebhookProblems;
import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import io.mediaplatform.dispatch.webhook.core.TimestampTolerance;
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

/**
 * Status and inbound-message callbacks of the generic notification API (signed with Standard Webhooks, see
 * {@link NotifyStatusWebhook}): {@code 204} once on {@code message.status.v1} (a status) or {@code message.inbound.v1}
 * (a customer's media message; without a route: its dead letters), and also for one already taken (a replay or a
 * re-delivery, which publishes nothing); {@code 401} for a bad signature or a signed timestamp outside the tolerance.
 */
@RestController
@RequestMapping(NotifyConnector.STATUS_PATH)
public class NotifyStatusController {

    private final NotifyStatusWebhook webhook;
    private final ReplayGuard replays;
    private final TimestampTolerance tolerance;

    public NotifyStatusController(NotifyStatusWebhook webhook, ReplayGuard replays, TimestampTolerance tolerance) {
        this.webhook = webhook;
        this.replays = replays;
        this.tolerance = tolerance;
    }

    @PostMapping
    public ResponseEntity<Void> receive(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        NotifyStatusWebhook.Outcome outcome;
        try {
            outcome = webhook.receive(parseQuery(request.getQueryString()), body == null ? new byte[0] : body,
                    request.getHeader(StandardWebhooks.ID_HEADER), request.getHeader(StandardWebhooks.TIMESTAMP_HEADER),
                    request.getHeader(StandardWebhooks.SIGNATURE_HEADER), replays, tolerance);
        } catch (EventPublisher.EventPublishException e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                    "The webhook could not be recorded; send it again later.").header("Retry-After", "5");
        }
        return switch (outcome) {
            case BAD_SIGNATURE -> throw ProblemException.unauthorized("Missing or invalid Standard Webhooks signature");
            case STALE -> throw WebhookProblems.stale(StandardWebhooks.TIMESTAMP_HEADER, tolerance.tolerance());
            case NOT_JSON -> throw ProblemException.badRequest("The body is not a JSON object");
            case BUSY -> throw WebhookProblems.busy();
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
