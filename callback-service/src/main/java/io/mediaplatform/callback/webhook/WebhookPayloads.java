package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.inbound.core.ReceivedMessage;
import io.mediaplatform.callback.status.core.MessageRecord;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.callback.status.core.Transition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a client webhook: {@code {"type":"message.status.updated","timestamp":...,"data":{...}}}. In
 * {@code data}, {@code status} is the status of the event, {@code previousStatus} the message's current status
 * before it, and {@code currentStatus} after it (they differ from {@code status} for a late, history-only event).
 * Absent facts are left out.
 *
 * <p>A customer's inbound message is told as {@code {"type":"message.received","timestamp":...,"data":{...}}}
 * with every field of the contract present (null when unknown); its {@code data.media.url} and
 * {@code urlExpiresAt} are stored null and filled in with a fresh signed link at each attempt
 * ({@link #forAttempt}).
 */
public class WebhookPayloads {

    /** The event type of every status webhook. */
    public static final String TYPE = "message.status.updated";

    /** The event type of a customer's inbound message. */
    public static final String MESSAGE_RECEIVED = "message.received";

    private final JsonMapper json;
    private final MediaLinks links;

    public WebhookPayloads(JsonMapper json, MediaLinks links) {
        this.json = json;
        this.links = links;
    }

    /** The stored body of the {@code message.received} webhook, without a media link (made at each attempt). */
    public String messageReceived(ReceivedMessage message, Instant now) {
        ObjectNode body = json.createObjectNode();
        body.put("type", MESSAGE_RECEIVED);
        body.put("timestamp", now.toString());
        ObjectNode data = body.putObject("data");
        data.put("messageId", message.messageId());
        data.put("direction", "INBOUND");
        data.put("channel", message.channel());
        data.put("from", message.from());
        data.put("to", message.to());
        data.put("conversationId", message.conversationId());
        data.put("inboxId", message.inboxId());
        data.put("kind", message.kind());
        data.put("caption", message.caption());
        data.put("fileName", message.fileName());
        data.put("providerMessageId", message.providerMessageId());
        data.put("provider", message.provider());
        data.put("text", message.text());
        data.put("status", message.status().name());
        data.put("reason", message.reason());
        data.put("reasonMessage", message.reasonMessage());
        data.put("receivedAt", message.receivedAt() == null ? null : message.receivedAt().toString());
        ObjectNode media = data.putObject("media");
        media.put("id", message.media().id());
        media.put("type", message.media().type());
        media.put("size", message.media().size());
        media.put("sha256", message.media().sha256());
        media.putNull("url");
        media.putNull("urlExpiresAt");
        return json.writeValueAsString(body);
    }

    /**
     * The body one attempt sends: the stored payload, and for a {@code message.received} of accepted media
     * ({@code linkMediaId} set) a download link made now, valid {@code MEDIA_LINK_TTL}, in {@code data.media}.
     */
    public String forAttempt(String tenantId, String payload, String linkMediaId, Instant now) {
        if (linkMediaId == null) {
            return payload;
        }
        JsonNode tree = json.readTree(payload);
        if (!(tree.path("data").path("media") instanceof ObjectNode media)) {
            return payload;
        }
        MediaLinks.Link link = links.linkTo(tenantId, linkMediaId, now);
        media.put("url", link.url());
        media.put("urlExpiresAt", link.expiresAt().toString());
        return json.writeValueAsString(tree);
    }

    public String statusUpdated(MessageRecord message, StatusEvent event, Transition transition, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", event.messageId());
        data.put("status", event.status().name());
        switch (transition) {
            case Transition.Advanced a -> {
                put(data, "previousStatus", a.from() == null ? null : a.from().name());
                data.put("currentStatus", a.to().name());
            }
            case Transition.HistoryOnly h -> {
                data.put("previousStatus", h.current().name());
                data.put("currentStatus", h.current().name());
            }
            case Transition.Duplicate d -> throw new IllegalArgumentException("a duplicate is not told to webhooks");
        }
        put(data, "channel", message.channel());
        put(data, "to", message.to());
        put(data, "conversationId", message.conversationId());
        put(data, "externalId", message.externalId());
        put(data, "clientId", message.clientId());
        put(data, "fallbackOf", message.fallbackOf());
        put(data, "attempt", message.fallbackOf() == null ? null : message.attempt());
        put(data, "providerMessageId", event.providerMessageId());
        put(data, "reason", event.reason());
        put(data, "detail", event.detail());
        if (event.converted() != null) {
            Map<String, Object> converted = new LinkedHashMap<>();
            converted.put("from", event.converted().from());
            converted.put("to", event.converted().to());
            converted.put("sizeBefore", event.converted().sizeBefore());
            converted.put("sizeAfter", event.converted().sizeAfter());
            converted.put("renditionMediaId", event.converted().renditionMediaId());
            data.put("converted", converted);
        }
        data.put("at", event.at().toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE);
        body.put("timestamp", now.toString());
        body.put("data", data);
        return json.writeValueAsString(body);
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
