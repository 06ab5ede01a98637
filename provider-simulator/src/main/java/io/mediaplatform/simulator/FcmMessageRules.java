package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** What makes an FCM HTTP v1 send body valid, and FCM's wording of why one is not. */
final class FcmMessageRules {

    private FcmMessageRules() {
    }

    /** The reason the body is not an FCM v1 send of a token, or null. */
    static String validate(JsonNode body) {
        JsonNode message = body.path("message");
        if (!message.isObject()) {
            return "Invalid JSON payload received. Unknown name or missing \"message\"";
        }
        int targets = (message.has("token") ? 1 : 0) + (message.has("topic") ? 1 : 0) + (message.has("condition") ? 1 : 0);
        if (targets != 1) {
            return "Exactly one of message.token, message.topic or message.condition must be set";
        }
        if (message.has("token") && (!message.path("token").isTextual() || message.path("token").asText().isBlank())) {
            return "message.token must be a non-empty string";
        }
        JsonNode notification = message.path("notification");
        if (!notification.isMissingNode()) {
            if (!notification.isObject()) {
                return "message.notification must be an object";
            }
            for (String field : List.of("title", "body", "image")) {
                if (notification.has(field) && !notification.path(field).isTextual()) {
                    return "message.notification." + field + " must be a string";
                }
            }
            String image = notification.path("image").asText(null);
            if (image != null && !(image.startsWith("https://") || image.startsWith("http://"))) {
                return "message.notification.image must be an http or https URL";
            }
        }
        JsonNode data = message.path("data");
        if (!data.isMissingNode()) {
            if (!data.isObject()) {
                return "message.data must be a map of strings";
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = data.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isTextual()) {
                    return "Invalid value at 'message.data[" + field.getKey() + "].value' (TYPE_STRING)";
                }
            }
        }
        return null;
    }
}
