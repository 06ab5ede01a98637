package io.mediaplatform.dispatch.connector.whatsapp;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.dispatch.connector.http.WebhookProblems;
import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * WhatsApp webhooks (public path: the signature is the authentication): the subscription handshake
 * ({@code GET}) and the signed notifications ({@code POST}), answered 200 as soon as their statuses are on
 * {@code message.status.v1} and their customers' media messages on {@code message.inbound.v1} (or, without a
 * route, on its dead letters). A status or message already taken (a replay, or Meta delivering it again) is answered
 * 200 and publishes nothing (see {@link WhatsAppStatusWebhook}); a publish failure is a 503 problem with
 * {@code Retry-After}, so Meta sends the webhook again.
 */
@RestController
@RequestMapping("/v1/providers/whatsapp/status")
public class WhatsAppWebhookController {

    private final WhatsAppStatusWebhook webhook;
    private final String verifyToken;
    private final String webhookToken;
    private final ReplayGuard replays;

    public WhatsAppWebhookController(WhatsAppStatusWebhook webhook, WhatsAppVerifyToken verifyToken,
                                     WebhookToken webhookToken, ReplayGuard replays) {
        this.webhook = webhook;
        this.verifyToken = verifyToken.value();
        this.webhookToken = webhookToken.value();
        this.replays = replays;
    }

    /** Meta's verification request: echoes {@code hub.challenge} when the verify token matches. */
    @GetMapping(produces = MediaType.TEXT_PLAIN_VALUE)
    public String verify(@RequestParam("hub.mode") String mode, @RequestParam("hub.verify_token") String token,
                         @RequestParam("hub.challenge") String challenge) {
        boolean tokenMatches = verifyToken != null && !verifyToken.isBlank() && MessageDigest.isEqual(
                verifyToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
        if (!"subscribe".equals(mode) || !tokenMatches) {
            throw ProblemException.forbidden("Verification refused: wrong hub.mode or hub.verify_token");
        }
        return challenge;
    }

    /** A signed notification: statuses and/or customers' messages. */
    @PostMapping
    public ResponseEntity<Void> receive(@RequestBody(required = false) byte[] body,
                                        @RequestHeader(name = WebhookSignature.HEADER, required = false) String signature,
                                        @RequestHeader(name = TOKEN_HEADER, required = false) String tokenHeader,
                                        @RequestParam(name = "token", required = false) String tokenParam) {
        byte[] raw = body == null ? new byte[0] : body;
        WhatsAppStatusWebhook.Outcome outcome;
        try {
            outcome = webhook.receive(raw, signature, tokenMatches(tokenHeader) || tokenMatches(tokenParam), replays);
        } catch (EventPublisher.EventPublishException e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                    "The webhook could not be recorded; send it again later.").header("Retry-After", "5");
        }
        return switch (outcome) {
            case ACCEPTED -> ResponseEntity.ok().build();
            case BAD_SIGNATURE -> throw ProblemException.unauthorized(
                    "Missing or invalid " + WebhookSignature.HEADER + " signature (or webhook token)");
            case NOT_JSON -> throw ProblemException.badRequest("The body is not a JSON object");
            case BUSY -> throw WebhookProblems.busy();
        };
    }

    /** The header a 360dialog webhook may carry its token in (else {@code ?token=} in the registered URL). */
    public static final String TOKEN_HEADER = "X-Webhook-Token";

    private boolean tokenMatches(String given) {
        return webhookToken != null && !webhookToken.isBlank() && given != null
                && MessageDigest.isEqual(webhookToken.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** The token unsigned (360dialog) webhooks are taken with ({@code D360_WEBHOOK_TOKEN}); blank for none. */
    public record WebhookToken(String value) {
    }

    /** The verify token of the subscription handshake ({@code WHATSAPP_VERIFY_TOKEN}). */
    public record WhatsAppVerifyToken(String value) {
    }
}
