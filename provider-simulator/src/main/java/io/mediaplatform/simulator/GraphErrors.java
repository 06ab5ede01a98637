package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;

/** The Graph API error bodies the WhatsApp simulator answers: {@code {"error":{"message","type","code","fbtrace_id"}}}. */
final class GraphErrors {

    private static final SecureRandom RANDOM = new SecureRandom();

    private GraphErrors() {
    }

    /** A Graph error body. */
    static ObjectNode error(String message, String type, int code) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("error").put("message", message).put("type", type).put("code", code)
                .put("fbtrace_id", "sim" + Long.toHexString(RANDOM.nextLong()));
        return root;
    }

    /** A missing or wrong bearer token: 401, code 190. */
    static ObjectNode invalidToken() {
        return error("Invalid OAuth access token - Cannot parse access token", "OAuthException", 190);
    }

    /** An unknown or deleted media: code 100, subcode 33. */
    static ObjectNode mediaNotFound(String mediaId) {
        ObjectNode error = error("Unsupported get request. Object with ID '" + mediaId + "' does not exist, "
                + "cannot be loaded due to missing permissions, or does not support this operation.",
                "GraphMethodException", 100);
        ((ObjectNode) error.get("error")).put("error_subcode", 33);
        return error;
    }
}
