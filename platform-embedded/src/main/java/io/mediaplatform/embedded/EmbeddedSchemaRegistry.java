package io.mediaplatform.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Confluent Schema Registry compatible REST server for Avro schemas, on the JDK's HTTP server, bound to
 * 127.0.0.1. Schemas and compatibility settings are kept in the compacted, single-partition Kafka topic
 * {@value #TOPIC} (created when absent), read to its end on {@link #start()}, so ids survive a restart. Every
 * change is written to the topic with {@code acks=all} before it is answered. One instance is the only writer
 * of its topic.
 *
 * <p>Endpoints (media type {@value #CONTENT_TYPE}; {@code application/json} is accepted too):
 * <ul>
 *   <li>{@code POST /subjects/{s}/versions}: register, answers {@code {"id":n}}; the same schema (compared by
 *       its parsed form) gets the same global id; a schema incompatible with the subject's level gets 409</li>
 *   <li>{@code POST /subjects/{s}}: look up, answers {@code {subject,id,version,schema}}, 404 40401/40403</li>
 *   <li>{@code GET /schemas/ids/{id}}: answers {@code {"schema":"..."}}, 404 40403</li>
 *   <li>{@code GET /subjects}, {@code GET /subjects/{s}/versions}, {@code GET /subjects/{s}/versions/{v|latest}}</li>
 *   <li>{@code GET|PUT /config} and {@code GET|PUT /config/{s}}: {@code {"compatibility":"BACKWARD"}} in,
 *       {@code {"compatibilityLevel":...}} out; the global default is BACKWARD; a subject without its own
 *       level answers 404 40408 unless asked with {@code ?defaultToGlobal=true}</li>
 *   <li>{@code POST /compatibility/subjects/{s}/versions/{v|latest}}: answers {@code {"is_compatible":bool}}</li>
 * </ul>
 * Errors answer {@code {"error_code":n,"message":"..."}} with Confluent's codes. Thread-safe.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    /** Kafka topic holding the registry's state. */
    public static final String TOPIC = "_schemas";
    /** Media type of every answer. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrapServers;
    private final int requestedPort;
    private final RegistryState state = new RegistryState();
    private final SchemaLog schemaLog;
    /** Serialises every change: check, append to the topic, apply. */
    private final Object writeLock = new Object();
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param bootstrapServers Kafka cluster holding the {@value #TOPIC} topic
     * @param port             port to listen on at 127.0.0.1, or 0 for a random free one
     */
    public EmbeddedSchemaRegistry(String bootstrapServers, int port) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.requestedPort = port;
        this.schemaLog = new SchemaLog(bootstrapServers, TOPIC);
    }

    /**
     * Creates the topic if needed, rebuilds the state from it and starts answering.
     *
     * @return this registry
     * @throws IllegalStateException when the port is taken or Kafka cannot be reached
     */
    public synchronized EmbeddedSchemaRegistry start() {
        if (server != null) {
            throw new IllegalStateException("schema registry already started at " + url());
        }
        schemaLog.ensureTopic();
        schemaLog.replay(this::applyRecord);
        HttpServer created;
        try {
            created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 0);
        } catch (BindException e) {
            throw new IllegalStateException("schema registry cannot listen on 127.0.0.1:" + requestedPort
                    + ": the port is already in use", e);
        } catch (IOException e) {
            throw new IllegalStateException("schema registry cannot listen on 127.0.0.1:" + requestedPort + ": " + e, e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        log.info("Schema registry listening on {} ({} subjects, topic {} on {})",
                url(), state.subjects().size(), TOPIC, bootstrapServers);
        return this;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8081}; valid once started. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The port it listens on; valid once started. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("schema registry not started");
        }
        return server.getAddress().getPort();
    }

    /** Stops answering and closes the Kafka producer; the state stays in the topic. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
        schemaLog.close();
    }

    // ---------------------------------------------------------------- log records

    private void applyRecord(String key, String value) {
        try {
            JsonNode k = JSON.readTree(key);
            switch (k.path("keytype").asText()) {
                case "SCHEMA" -> {
                    String subject = k.path("subject").asText();
                    int version = k.path("version").asInt();
                    JsonNode v = value == null ? null : JSON.readTree(value);
                    if (v == null || v.path("deleted").asBoolean(false)) {
                        state.applySchema(subject, version, 0, null);
                    } else {
                        state.applySchema(subject, version, v.path("id").asInt(),
                                new Schema.Parser().parse(v.path("schema").asText()));
                    }
                }
                case "CONFIG" -> {
                    JsonNode subject = k.get("subject");
                    CompatibilityLevel level = value == null ? null
                            : CompatibilityLevel.parse(JSON.readTree(value).path("compatibilityLevel").asText()).orElse(null);
                    state.applyConfig(subject == null || subject.isNull() ? null : subject.asText(), level);
                }
                default -> {
                    // NOOP, DELETE_SUBJECT and other Confluent key types carry nothing this registry uses
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Skipping unreadable record in {}: key {}: {}", TOPIC, key, e.toString());
        }
    }

    private static String schemaKey(String subject, int version) {
        return JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version)
                .put("magic", 1).toString();
    }

    private static String configKey(String subject) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        return key.put("magic", 0).toString();
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            JsonNode answer;
            try {
                answer = route(exchange);
            } catch (RegistryError e) {
                status = e.status;
                answer = JSON.createObjectNode().put("error_code", e.errorCode).put("message", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Schema registry failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                status = 500;
                answer = JSON.createObjectNode().put("error_code", 50001).put("message", "Error in the backend data store: " + e.getMessage());
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private JsonNode route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        String query = exchange.getRequestURI().getRawQuery();
        int size = path.size();
        String first = size == 0 ? "" : path.get(0);
        switch (first) {
            case "" -> {
                requireMethod(method, "GET");
                return JSON.createObjectNode();
            }
            case "subjects" -> {
                if (size == 1) {
                    requireMethod(method, "GET");
                    return JSON.valueToTree(state.subjects());
                }
                String subject = path.get(1);
                if (size == 2) {
                    requireMethod(method, "POST");
                    return lookup(subject, readSchema(exchange));
                }
                if (size >= 3 && path.get(2).equals("versions")) {
                    if (size == 3 && method.equals("POST")) {
                        return register(subject, readSchema(exchange));
                    }
                    if (size == 3) {
                        requireMethod(method, "GET");
                        return versions(subject);
                    }
                    if (size == 4) {
                        requireMethod(method, "GET");
                        return describe(version(subject, path.get(3)));
                    }
                    if (size == 5 && path.get(4).equals("schema")) {
                        requireMethod(method, "GET");
                        return JSON.readTree(version(subject, path.get(3)).schema().toString());
                    }
                }
            }
            case "schemas" -> {
                if (size == 3 && path.get(1).equals("ids")) {
                    requireMethod(method, "GET");
                    return schemaById(path.get(2));
                }
                if (size == 2 && path.get(1).equals("types")) {
                    requireMethod(method, "GET");
                    return JSON.createArrayNode().add("AVRO");
                }
            }
            case "config" -> {
                if (size <= 2) {
                    String subject = size == 2 ? path.get(1) : null;
                    if (method.equals("PUT")) {
                        return setLevel(subject, readJson(exchange));
                    }
                    requireMethod(method, "GET");
                    return getLevel(subject, query != null && query.contains("defaultToGlobal=true"));
                }
            }
            case "compatibility" -> {
                if (size == 5 && path.get(1).equals("subjects") && path.get(3).equals("versions")) {
                    requireMethod(method, "POST");
                    return testCompatibility(path.get(2), path.get(4), readSchema(exchange),
                            query != null && query.contains("verbose=true"));
                }
            }
            default -> {
                // falls through to 404
            }
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found: " + method + " " + exchange.getRequestURI().getPath());
    }

    private JsonNode register(String subject, Schema schema) {
        synchronized (writeLock) {
            Optional<RegistryState.Registered> existing = state.find(subject, schema);
            if (existing.isPresent()) {
                return JSON.createObjectNode().put("id", existing.get().id());
            }
            CompatibilityLevel level = state.effectiveLevel(subject);
            List<String> problems = level.problems(schema, state.schemasNewestFirst(subject));
            if (!problems.isEmpty()) {
                throw new RegistryError(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                        + subject + "\" (" + level + "), details: " + problems);
            }
            int id = state.idFor(schema);
            int version = state.nextVersion(subject);
            ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                    .put("schema", schema.toString()).put("deleted", false);
            schemaLog.append(schemaKey(subject, version), value.toString());
            state.applySchema(subject, version, id, schema);
            log.info("Registered {} version {} as id {}", subject, version, id);
            return JSON.createObjectNode().put("id", id);
        }
    }

    private JsonNode lookup(String subject, Schema schema) {
        if (!state.hasSubject(subject)) {
            throw subjectNotFound(subject);
        }
        return describe(state.find(subject, schema)
                .orElseThrow(() -> new RegistryError(404, 40403, "Schema not found under subject '" + subject + "'")));
    }

    private JsonNode versions(String subject) {
        List<Integer> versions = state.versions(subject);
        if (versions.isEmpty()) {
            throw subjectNotFound(subject);
        }
        return JSON.valueToTree(versions);
    }

    private RegistryState.Registered version(String subject, String versionText) {
        int version = parseVersion(versionText);
        if (!state.hasSubject(subject)) {
            throw subjectNotFound(subject);
        }
        return state.version(subject, version)
                .orElseThrow(() -> new RegistryError(404, 40402, "Version " + versionText + " not found for subject '" + subject + "'"));
    }

    private JsonNode schemaById(String idText) {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            throw new RegistryError(404, 40403, "Schema " + idText + " not found");
        }
        Schema schema = state.schemaById(id).orElseThrow(() -> new RegistryError(404, 40403, "Schema " + id + " not found"));
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private JsonNode getLevel(String subject, boolean defaultToGlobal) {
        if (subject == null) {
            return JSON.createObjectNode().put("compatibilityLevel", state.globalLevel().name());
        }
        CompatibilityLevel level = state.subjectLevel(subject)
                .or(() -> defaultToGlobal ? Optional.of(state.globalLevel()) : Optional.empty())
                .orElseThrow(() -> new RegistryError(404, 40408,
                        "Subject '" + subject + "' does not have subject-level compatibility configured"));
        return JSON.createObjectNode().put("compatibilityLevel", level.name());
    }

    private JsonNode setLevel(String subject, JsonNode body) {
        String requested = body.path("compatibility").asText(null);
        CompatibilityLevel level = CompatibilityLevel.parse(requested)
                .orElseThrow(() -> new RegistryError(422, 42203, "Invalid compatibility level: " + requested
                        + "; valid values are " + Arrays.toString(CompatibilityLevel.values())));
        synchronized (writeLock) {
            schemaLog.append(configKey(subject), JSON.createObjectNode().put("compatibilityLevel", level.name()).toString());
            state.applyConfig(subject, level);
        }
        return JSON.createObjectNode().put("compatibility", level.name());
    }

    private JsonNode testCompatibility(String subject, String versionText, Schema schema, boolean verbose) {
        int version = parseVersion(versionText);
        CompatibilityLevel level = state.effectiveLevel(subject);
        List<Schema> against;
        if (version == -1) {
            against = state.schemasNewestFirst(subject);
            if (!level.transitive() && !against.isEmpty()) {
                against = against.subList(0, 1);
            }
        } else {
            against = List.of(version(subject, versionText).schema());
        }
        List<String> problems = new ArrayList<>();
        for (Schema previous : against) {
            problems.addAll(level.problems(schema, List.of(previous)));
        }
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (verbose) {
            ArrayNode messages = answer.putArray("messages");
            problems.forEach(messages::add);
        }
        return answer;
    }

    private static JsonNode describe(RegistryState.Registered registered) {
        return JSON.createObjectNode().put("subject", registered.subject()).put("version", registered.version())
                .put("id", registered.id()).put("schema", registered.schema().toString());
    }

    private static int parseVersion(String text) {
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

    private static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed: " + method);
        }
    }

    private static JsonNode readJson(HttpExchange exchange) throws IOException {
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

    private static Schema readSchema(HttpExchange exchange) throws IOException {
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

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** An answer with an error status and Confluent error code. */
    private static final class RegistryError extends RuntimeException {
        private final int status;
        private final int errorCode;

        RegistryError(int status, int errorCode, String message) {
            super(message, null, false, false);
            this.status = status;
            this.errorCode = errorCode;
        }
    }
}
