package io.mediaplatform.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small client of the Confluent Schema Registry REST API, enough for the Confluent wire format:
 * register a schema under a subject, look a schema up by id, check compatibility. Works with Confluent,
 * Apicurio (ccompat API), Karapace, Redpanda and the local stack's own registry. Results are cached:
 * a schema id never changes meaning.
 */
public final class SchemaRegistryClient {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final String authorization;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    /**
     * Ids by subject and schema. Keyed by the schema itself: its hash is computed once and kept, and a generated
     * class's schema is one instance, so a look-up per serialized record costs no rendering of the schema to JSON
     * (the earlier key, {@code schema.toString()}, took most of a serialization: measured by the JMH benchmark).
     */
    private final Map<SubjectSchema, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    /**
     * @param baseUrl  registry base URL, e.g. {@code http://127.0.0.1:8081}
     * @param userInfo {@code user:password} for basic auth, or null
     */
    public SchemaRegistryClient(String baseUrl, String userInfo) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is not set");
        }
        this.baseUri = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.authorization = userInfo == null || userInfo.isBlank() ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Registers the schema under the subject (or finds it when already there) and returns its global id. */
    public int register(String subject, Schema schema) {
        SubjectSchema cacheKey = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = answer.get("id").asInt();
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The id of a schema already registered under the subject; fails when it is not there. */
    public int lookup(String subject, Schema schema) {
        SubjectSchema cacheKey = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "subjects/" + encode(subject), schemaBody(schema));
        int id = answer.get("id").asInt();
        idsBySubjectAndSchema.put(cacheKey, id);
        return id;
    }

    /** The schema with that global id. */
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, key -> {
            JsonNode answer = send("GET", "schemas/ids/" + key, null);
            return new Schema.Parser().parse(answer.get("schema").asText());
        });
    }

    /** Whether the schema may be registered under the subject given the subject's compatibility level. */
    public boolean isCompatible(String subject, Schema schema) {
        JsonNode answer = send("POST", "compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
        return answer.path("is_compatible").asBoolean(false);
    }

    /** Sets the subject's compatibility level (BACKWARD, FORWARD, FULL, NONE, ...). */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send("PUT", "config/" + encode(subject), body.toString());
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new SchemaRegistryException(response.statusCode(), method + " " + path + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException(0, "schema registry at " + baseUri + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(0, "interrupted while calling the schema registry", e);
        }
    }
}
