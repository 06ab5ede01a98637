package io.mediaplatform.dispatch.connector.twilio;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.dispatch.connector.http.WebhookProblems;
import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Twilio status callbacks and incoming messages (public path: {@code X-Twilio-Signature} is the authentication),
 * form-encoded, answered {@code 204} as soon as the status is on {@code message.status.v1} or the customer's media
 * message on {@code message.inbound.v1} (without a route: on its dead letters); one already taken (a replay, or
 * Twilio delivering it again) is answered {@code 204} too and publishes nothing (see {@link TwilioStatusWebhook}).
 * A rightly signed form that is neither a status ({@code MessageStatus}) nor an incoming message ({@code NumMedia}),
 * or a status without its {@code MessageSid}, is a 400 problem naming the {@code field} and publishes nothing.
 */
@RestController
@RequestMapping(TwilioConnector.STATUS_PATH)
public class TwilioStatusController {

    private final TwilioStatusWebhook webhook;
    private final ReplayGuard replays;

    public TwilioStatusController(TwilioStatusWebhook webhook, ReplayGuard replays) {
        this.webhook = webhook;
        this.replays = replays;
    }

    @PostMapping
    public ResponseEntity<Void> receive(HttpServletRequest request) {
        String rawQuery = request.getQueryString();
        Map<String, String> query = parseQuery(rawQuery);
        // the servlet merges query and body parameters: the body's are the ones not named in the query
        Map<String, List<String>> post = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!query.containsKey(name)) {
                post.put(name, Arrays.asList(values));
            }
        });
        TwilioStatusWebhook.Outcome outcome;
        try {
            outcome = webhook.receive(rawQuery, query, post, request.getHeader(TwilioSignature.HEADER), replays);
        } catch (EventPublisher.EventPublishException e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                    "The webhook could not be recorded; send it again later.").header("Retry-After", "5");
        }
        if (outcome == TwilioStatusWebhook.Outcome.BAD_SIGNATURE) {
            throw ProblemException.unauthorized("Missing or invalid " + TwilioSignature.HEADER + " signature");
        }
        if (outcome == TwilioStatusWebhook.Outcome.MISSING_MESSAGE_STATUS) {
            throw ProblemException.badRequest("The callback has neither MessageStatus (a status) nor NumMedia (an "
                    + "incoming message)").with("field", "MessageStatus");
        }
        if (outcome == TwilioStatusWebhook.Outcome.MISSING_MESSAGE_SID) {
            throw ProblemException.badRequest("The status callback has no MessageSid").with("field", "MessageSid");
        }
        if (outcome == TwilioStatusWebhook.Outcome.BUSY) {
            throw WebhookProblems.busy();
        }
        return ResponseEntity.noContent().build();
    }

    static Map<String, String> parseQuery(String raw) {
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
