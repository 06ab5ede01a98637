package io.mediaplatform.ingest.messages.web;

import io.mediaplatform.common.http.BlockedUrlException;
import io.mediaplatform.common.http.GuardedHttpClient;
import io.mediaplatform.common.http.WebhookUrlGuard;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.security.ApiKeyRegistry;
import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.ingest.asset.core.ApprovalRule;
import io.mediaplatform.ingest.asset.core.Asset;
import io.mediaplatform.ingest.asset.core.AssetCatalog;
import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.ingest.idempotency.core.IdempotencyKey;
import io.mediaplatform.ingest.idempotency.core.IdempotentRequests;
import io.mediaplatform.ingest.idempotency.web.IdempotentAnswers;
import io.mediaplatform.ingest.messages.core.SendMessageRequest;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import io.mediaplatform.common.web.TransactionIds;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code POST /v1/messages}: checks a media message request and puts it on {@code message.send-requested.v1}
 * (this service's own consumer then resolves the media and hands it to validation). Answers 202 once the
 * command is durable. {@code Idempotency-Key} replays the first answer for the same body (on any instance, after
 * restarts: {@link IdempotentRequests}) and refuses another body with 422.
 */
@RestController
public class MessagesController {

    private static final Logger log = LoggerFactory.getLogger(MessagesController.class);
    static final String EXPLAIN = "Message accepted for processing.";

    private final JsonMapper json;
    private final GuardedHttpClient urlGuard;
    private final WebhookUrlGuard webhookGuard;
    private final MediaStore store;
    private final EventPublisher publisher;
    private final IdempotentRequests idempotency;
    private final Clock clock;
    private final AssetCatalog assets;
    private final ApprovalRule approval;

    public MessagesController(JsonMapper json, GuardedHttpClient urlGuard, WebhookUrlGuard webhookGuard, MediaStore store,
                              EventPublisher publisher, IdempotentRequests idempotency, Clock clock, AssetCatalog assets,
                              ApprovalRule approval) {
        this.assets = assets;
        this.approval = approval;
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
                                         @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                         @RequestHeader(name = AGENT_ID, required = false) String agentId,
                                         @RequestHeader(name = "Authorization", required = false) String authorization) {
        tenant.require(AuthenticatedTenant.MESSAGES_SEND);
        String sentBy = sentBy(agentId, authorization);
        SendMessageRequest.Valid request = check(tenant.tenantId(), body);
        IdempotencyKey key = IdempotentAnswers.key(tenant.tenantId(), IdempotencyKey.MESSAGES, idempotencyKey);
        if (key == null) {
            return ResponseEntity.accepted().body(accept(tenant.tenantId(), request, UUID.randomUUID().toString(), sentBy));
        }
        IdempotentRequests.Outcome<Accepted> outcome = idempotency.run(key, IdempotentAnswers.sha256(body.toString()),
                UUID.randomUUID().toString(), messageId -> accept(tenant.tenantId(), request, messageId, sentBy),
                IdempotentAnswers.json(json, Accepted.class));
        return IdempotentAnswers.respond(outcome, answer -> ResponseEntity.accepted());
    }

    private SendMessageRequest.Valid check(String tenantId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("The body must be a JSON object");
        }
        SendMessageRequest.Valid request;
        try {
            request = json.treeToValue(withCallbackList((ObjectNode) body), SendMessageRequest.class).validate();
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
        String assetId = request.assetId();
        if (assetId != null) {
            Asset asset = assets.find(tenantId, assetId).orElseThrow(() ->
                    ProblemException.notFound("Asset", assetId).with("field", "media.assetId"));
            approved(tenantId, asset, "media.assetId");
            request = request.withMediaId(asset.mediaId());
        } else if (request.mediaId() != null && approval.requiresApproval(tenantId)) {
            String mediaId = request.mediaId();
            assets.findByMedia(tenantId, mediaId).ifPresent(asset -> approved(tenantId, asset, "media.id"));
        }
        if (request.mediaId() != null && store.findForSend(tenantId, request.mediaId()).isEmpty()) {
            throw ProblemException.notFound("Media", request.mediaId())
                    .with("field", request.assetId() != null ? "media.assetId" : "media.id");
        }
        return request;
    }

    /** Tenants of {@code ASSETS_APPROVAL_TENANTS} send approved assets only: another is a 403. */
    private void approved(String tenantId, Asset asset, String field) {
        if (!approval.allows(tenantId, asset)) {
            throw new ProblemException(org.springframework.http.HttpStatus.FORBIDDEN, "asset-not-approved",
                    "Asset not approved", "The asset " + asset.assetId() + " (" + asset.name()
                    + ") is not approved, and this tenant sends approved assets only").with("field", field);
        }
    }

    /**
     * The body with {@code callbacks} as a list: a notification-API client sends them as one string "separated by
     * comma", which is split (blanks dropped) into the same list an array gives.
     */
    static ObjectNode withCallbackList(ObjectNode body) {
        if (!(body.get("callbacks") instanceof JsonNode callbacks) || !callbacks.isString()) {
            return body;
        }
        ObjectNode copy = body.deepCopy();
        ArrayNode list = copy.putArray("callbacks");
        for (String url : callbacks.asString().split(",")) {
            if (!url.isBlank()) {
                list.add(url.trim());
            }
        }
        return copy;
    }

    /** What the 202 means for this message, in words: accepted, and what happens to it beyond a plain send. */
    static String explain(SendMessageRequest.Valid request) {
        StringBuilder explain = new StringBuilder(EXPLAIN);
        if (request.mediaUrl() != null) {
            explain.append(" Its media is fetched from the URL and stored first.");
        }
        if (!request.fallback().isEmpty()) {
            explain.append(" If it ends FAILED or REJECTED on ").append(request.channel()).append(" it is sent again on ")
                    .append(String.join(", then ", request.fallback().stream().map(Enum::name).toList())).append('.');
        }
        return explain.toString();
    }

    /** Callbacks are webhooks ({@code WEBHOOK_ALLOW_HOSTS}); a media URL is fetched like upload-from-URL. */
    private static void guard(String field, Runnable check) {
        try {
            check.run();
        } catch (BlockedUrlException e) {
            throw ProblemException.badRequest(field + " is not allowed: " + e.getMessage()).with("field", field);
        }
    }

    /** Header naming the agent who sends, for the audit trail. */
    public static final String AGENT_ID = "Agent-Id";

    /**
     * Who sends, for the audit trail: {@code agent:<Agent-Id>}, else {@code key:<first 12 hex digits of the SHA-256 of
     * the API key>} (the start of the hash the key is configured by, so it names the key without revealing it).
     */
    static String sentBy(String agentId, String authorization) {
        String agent;
        try {
            agent = io.mediaplatform.ingest.media.core.UploadFields.optionalId(AGENT_ID, agentId);
        } catch (InvalidInputException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", AGENT_ID);
        }
        if (agent != null) {
            return "agent:" + agent;
        }
        if (authorization == null || authorization.length() <= 7) {
            return null;
        }
        return "key:" + ApiKeyRegistry.sha256Hex(authorization.substring(7).strip()).substring(0, 12);
    }

    private Accepted accept(String tenantId, SendMessageRequest.Valid request, String messageId, String sentBy) {
        Instant now = clock.instant();
        String transactionId = TransactionIds.current();
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
                .setFallbackChannels(request.fallback().stream().map(channel -> Channel.valueOf(channel.name())).toList())
                .setSentBy(sentBy)
                .setAssetId(request.assetId())
                .build();
        SendMediaMessage command = SendMediaMessage.newBuilder()
                .setEventId(transactionId)
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
        return new Accepted(messageId, new Meta(now, transactionId, explain(request)));
    }
}
