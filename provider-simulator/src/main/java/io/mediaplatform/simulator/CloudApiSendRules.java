package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/** What makes a Cloud API send body valid, and the Graph wording of why one is not. */
final class CloudApiSendRules {

    /** The media message types. */
    static final Set<String> MEDIA_TYPES = Set.of("image", "video", "audio", "document", "sticker");
    /** The types that may carry a caption. */
    static final Set<String> CAPTIONED = Set.of("image", "video", "document");

    private CloudApiSendRules() {
    }

    /** The reason the body is not a valid Cloud API send, or null when it is. */
    static String validate(JsonNode body) {
        if (!body.isObject()) {
            return "The request body is not a JSON object";
        }
        if (!"whatsapp".equals(body.path("messaging_product").asText(null))) {
            return "The parameter messaging_product is required and must be 'whatsapp'";
        }
        if (body.has("recipient_type") && !"individual".equals(body.path("recipient_type").asText())) {
            return "Param recipient_type must be 'individual'";
        }
        String to = body.path("to").asText("");
        if (!body.path("to").isTextual() || to.replaceAll("\\D", "").isEmpty()) {
            return "The parameter to is required and must be a phone number";
        }
        String type = body.path("type").asText("text");
        if (!MEDIA_TYPES.contains(type) && !"text".equals(type)) {
            return "Param type must be one of {TEXT, IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER}";
        }
        JsonNode content = body.path(type);
        if (!content.isObject()) {
            return "The parameter " + type + " is required";
        }
        if ("text".equals(type)) {
            if (content.path("body").asText("").isBlank()) {
                return "The parameter text['body'] is required";
            }
        } else {
            String link = content.path("link").asText(null);
            if (link == null && !content.has("id")) {
                return "Param " + type + " must have a link or an id";
            }
            if (link != null && !(link.startsWith("http://") || link.startsWith("https://"))) {
                return "Param " + type + "['link'] must be an http or https URL";
            }
            if (content.has("caption") && !CAPTIONED.contains(type)) {
                return "Param " + type + "['caption'] is not valid";
            }
            if (content.has("filename") && !"document".equals(type)) {
                return "Param " + type + "['filename'] is not valid";
            }
        }
        JsonNode opaque = body.get("biz_opaque_callback_data");
        if (opaque != null && (!opaque.isTextual() || opaque.asText().length() > 512)) {
            return "Param biz_opaque_callback_data must be a string of at most 512 characters";
        }
        return null;
    }
}
