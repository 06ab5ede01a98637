package io.mediaplatform.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading a schema registry request: its path, method, JSON body, Avro schema and version, refused the Confluent way. */
final class RegistryRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryRequests() {
    }

    /** A version id, or -1 for {@code latest}. */
    static int parseVersion(String text) {
        if (text.equals("latest")) {
            return -1;
        }
        try {
            int version = Integer.parseInt(text);
            if (version == -1 || version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new RegistryError(422, 42202, "The specified version '" + text
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed: " + method);
        }
    }

    /** The body as a JSON object. */
    static JsonNode readJson(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && !contentType.contains("json") && !contentType.startsWith("application/octet-stream")) {
            throw new RegistryError(415, 415, "HTTP 415 Unsupported Media Type: " + contentType);
        }
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode body = JSON.readTree(in);
            if (body == null || !body.isObject()) {
                throw new RegistryError(400, 400, "request body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new RegistryError(400, 400, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** The Avro schema of a {@code {"schema":"...","schemaType"?}} body. */
    static Schema readSchema(HttpExchange exchange) throws IOException {
        JsonNode body = readJson(exchange);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new RegistryError(422, 42201, "Schema type " + type + " is not supported; only AVRO is");
        }
        if (body.path("references").size() > 0) {
            throw new RegistryError(422, 42201, "Schema references are not supported; send the schema with its named types inlined");
        }
        JsonNode text = body.get("schema");
        if (text == null || !text.isTextual()) {
            throw new RegistryError(422, 42201, "Invalid schema: the body needs a \"schema\" string");
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException | IllegalArgumentException e) {
            throw new RegistryError(422, 42201, "Invalid schema: " + e.getMessage());
        }
    }

    /** The decoded segments of a raw path. */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
            }
        }
        return segments;
    }
}
