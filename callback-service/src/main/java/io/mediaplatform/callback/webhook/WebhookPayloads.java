package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.status.MessageRecord;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.callback.status.core.Transition;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a client webhook: {@code {"type":"message.status.updated","timestamp":...,"data":{...}}}. In
 * {@code data}, {@code status} is the status of the event, {@code previousStatus} the message's current status
 * before it, and {@code currentStatus} after it (they differ from {@code status} for a late, history-only event).
 * Absent facts are left out.
 */
public class WebhookPayloads {

    /** The event type of every status webhook. */
    public static final String TYPE = "message.status.updated";

    private final JsonMapper json;

    public WebhookPayloads(JsonMapper json) {
        this.json = json;
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
        put(data, "providerMessageId", event.providerMessageId());
        put(data, "reason", event.reason());
        put(data, "detail", event.detail());
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
