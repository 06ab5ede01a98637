package io.mediaplatform.ingest.messages.web;

import io.mediaplatform.common.http.BlockedUrlException;
import io.mediaplatform.common.http.GuardedHttpClient;
import io.mediaplatform.common.http.WebhookUrlGuard;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.ingest.messages.core.IdempotencyCache;
import io.mediaplatform.ingest.messages.core.SendMessageRequest;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * {@code POST /v1/messages}: checks a media message request and puts it on {@code message.send-requested.v1}
 * (this service's own consumer then resolves the media and hands it to validation). Answers 202 once the
 * command is durable. {@code Idempotency-Key} replays the first answer for the same body and refuses another
 * body with 422.
 */
@RestController
public class MessagesController {

    private static final Logger log = LoggerFactory.getLogger(MessagesController.class);
    static final String EXPLAIN = "Message accepted for processing.";
    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final JsonMapper json;
    private final GuardedHttpClient urlGuard;
    private final WebhookUrlGuard webhookGuard;
    private final MediaStore store;
    private final EventPublisher publisher;
    private final IdempotencyCache<Accepted> idempotency;
    private final Clock clock;

    public MessagesController(JsonMapper json, GuardedHttpClient urlGuard, WebhookUrlGuard webhookGuard, MediaStore store,
                              EventPublisher publisher, IdempotencyCache<Accepted> idempotency, Clock clock) {
        this.json = json;
        this.urlGuard = urlGuard;
        this.webhookGuard = webhookGuard;
        this.store = store;
        this.publisher = publisher;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /** The 202 answer. */
    public record Accepted(String messageId, Meta meta) {
    }

    /** Request bookkeeping of the answer. */
    public record Meta(Instant timestamp, String transactionId, String explain) {
    }

    @PostMapping("/v1/messages")
    public ResponseEntity<Accepted> send(AuthenticatedTenant tenant, @RequestBody JsonNode body,
                                         @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        tenant.require(AuthenticatedTenant.MESSAGES_SEND);
        SendMessageRequest.Valid request = check(tenant.tenantId(), body);
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return ResponseEntity.accepted().body(accept(tenant.tenantId(), request));
        }
        if (idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
            throw ProblemException.badRequest("Idempotency-Key must be at most " + MAX_IDEMPOTENCY_KEY + " characters")
                    .with("field", "Idempotency-Key");
        }
        String hash = sha256(body.toString());
        return switch (idempotency.begin(tenant.tenantId(), idempotencyKey, hash)) {
            case IdempotencyCache.Conflict<Accepted> c -> throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "idempotency-key-reused", "Idempotency key reused",
                    "This Idempotency-Key was already used with a different request body");
            case IdempotencyCache.Replay<Accepted> replay ->
                    ResponseEntity.accepted().header("Idempotent-Replayed", "true").body(await(replay));
            case IdempotencyCache.New<Accepted> n -> {
                try {
                    Accepted accepted = accept(tenant.tenantId(), request);
                    idempotency.complete(tenant.tenantId(), idempotencyKey, accepted);
                    yield ResponseEntity.accepted().body(accepted);
                } catch (RuntimeException e) {
                    idempotency.abandon(tenant.tenantId(), idempotencyKey, e);
                    throw e;
                }
            }
        };
    }

    private SendMessageRequest.Valid check(String tenantId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("The body must be a JSON object");
        }
        SendMessageRequest.Valid request;
        try {
            request = json.treeToValue(body, SendMessageRequest.class).validate();
        } catch (JacksonException e) {
            throw ProblemException.badRequest("The body does not match the message schema: " + e.getOriginalMessage());
        } catch (InvalidInputException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", e.field());
        }
        for (int i = 0; i < request.callbacks().size(); i++) {
            String callback = request.callbacks().get(i);
            guard("callbacks[" + i + "]", () -> webhookGuard.check(callback));
        }
        String mediaUrl = request.mediaUrl();
        if (mediaUrl != null) {
            guard("media.url", () -> urlGuard.check(mediaUrl));
        }
        if (request.mediaId() != null && store.find(tenantId, request.mediaId()).isEmpty()) {
            throw ProblemException.notFound("Media", request.mediaId()).with("field", "media.id");
        }
        return request;
    }

    /** Callbacks are webhooks ({@code WEBHOOK_ALLOW_HOSTS}); a media URL is fetched like upload-from-URL. */
    private static void guard(String field, Runnable check) {
        try {
            check.run();
        } catch (BlockedUrlException e) {
            throw ProblemException.badRequest(field + " is not allowed: " + e.getMessage()).with("field", field);
        }
    }

    private Accepted accept(String tenantId, SendMessageRequest.Valid request) {
        String messageId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        OutboundMessage message = OutboundMessage.newBuilder()
                .setMessageId(messageId)
                .setFrom(request.from())
                .setTo(request.to())
                .setKind(MediaKind.valueOf(request.kind().name()))
                .setCaption(request.caption())
                .setFileName(request.fileName())
                .setExternalId(request.externalId())
                .setClientId(request.clientId())
                .setCallbackUrls(request.callbacks())
                .build();
        SendMediaMessage command = SendMediaMessage.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now)
                .setTenantId(tenantId)
                .setChannel(Channel.valueOf(request.channel().name()))
                .setConversationId(request.conversationId())
                .setInboxId(request.inboxId())
                .setMessage(message)
                .setMediaId(request.mediaId())
                .setMediaUrl(request.mediaUrl())
                .build();
        publisher.sendAndWait(Topics.SEND_REQUESTED,
                Topics.conversationKey(request.conversationId(), request.channel().name(), request.to()), command);
        log.info("Message accepted tenant={} messageId={} channel={} kind={}", tenantId, messageId,
                request.channel(), request.kind());
        return new Accepted(messageId, new Meta(now, UUID.randomUUID().toString(), EXPLAIN));
    }

    private static Accepted await(IdempotencyCache.Replay<Accepted> replay) {
        try {
            return replay.answer().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | CompletionException e) {
            throw new ProblemException(HttpStatus.CONFLICT, "idempotent-request-failed", "Earlier request failed",
                    "The request first sent with this Idempotency-Key failed; send it again");
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
