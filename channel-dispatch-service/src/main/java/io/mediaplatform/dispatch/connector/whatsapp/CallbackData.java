package io.mediaplatform.dispatch.connector.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaplatform.dispatch.send.core.Correlation;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * Encodes a {@link Correlation} into WhatsApp's {@code biz_opaque_callback_data} (at most 512 characters), which
 * the Cloud API echoes in every status webhook: base64url (no padding) of {@code {"t","m","c","to"}}.
 */
public final class CallbackData {

    /** The Cloud API's limit on {@code biz_opaque_callback_data}. */
    public static final int MAX_LENGTH = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CallbackData() {
    }

    public static String encode(Correlation correlation) {
        ObjectNode node = JSON.createObjectNode().put("t", correlation.tenantId()).put("m", correlation.messageId());
        if (correlation.conversationId() != null) {
            node.put("c", correlation.conversationId());
        }
        if (correlation.to() != null) {
            node.put("to", correlation.to());
        }
        try {
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(node));
            if (encoded.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("correlation too long for biz_opaque_callback_data");
            }
            return encoded;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The correlation in that value, or empty when it is absent or not one of ours. */
    public static Optional<Correlation> decode(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(value.trim()));
            String tenant = text(node, "t");
            String message = text(node, "m");
            if (tenant == null || message == null) {
                return Optional.empty();
            }
            return Optional.of(new Correlation(tenant, message, text(node, "c"), text(node, "to")));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
