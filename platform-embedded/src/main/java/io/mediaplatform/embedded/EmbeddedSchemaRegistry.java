package io.mediaplatform.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
 *   <li>{@code GET /schemas/ids/{id}}: answers {@code {"schema":"..."}}, 404 40403; {@code GET /schemas/ids/{id}/schema}
 *       the schema itself (for tools such as avro-tools)</li>
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
    private final RegistryOperations operations;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param bootstrapServers Kafka cluster holding the {@value #TOPIC} topic
     * @param port             port to listen on at 127.0.0.1, or 0 for a random free one
     */
    public EmbeddedSchemaRegistry(String bootstrapServers, int port) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Ports.checkRange(port);
        this.requestedPort = port;
        this.schemaLog = new SchemaLog(bootstrapServers, TOPIC);
        this.operations = new RegistryOperations(state, schemaLog);
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
        schemaLog.replay((key, value) -> SchemaRecords.apply(state, key, value));
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
        List<String> path = RegistryRequests.segments(exchange.getRequestURI().getRawPath());
        String query = exchange.getRequestURI().getRawQuery();
        int size = path.size();
        String first = size == 0 ? "" : path.get(0);
        switch (first) {
            case "" -> {
                RegistryRequests.requireMethod(method, "GET");
                return JSON.createObjectNode();
            }
            case "subjects" -> {
                if (size == 1) {
                    RegistryRequests.requireMethod(method, "GET");
                    return JSON.valueToTree(state.subjects());
                }
                String subject = path.get(1);
                if (size == 2) {
                    RegistryRequests.requireMethod(method, "POST");
                    return operations.lookup(subject, RegistryRequests.readSchema(exchange));
                }
                if (size >= 3 && path.get(2).equals("versions")) {
                    if (size == 3 && method.equals("POST")) {
                        return operations.register(subject, RegistryRequests.readSchema(exchange));
                    }
                    if (size == 3) {
                        RegistryRequests.requireMethod(method, "GET");
                        return operations.versions(subject);
                    }
                    if (size == 4) {
                        RegistryRequests.requireMethod(method, "GET");
                        return RegistryOperations.describe(operations.version(subject, path.get(3)));
                    }
                    if (size == 5 && path.get(4).equals("schema")) {
                        RegistryRequests.requireMethod(method, "GET");
                        return JSON.readTree(operations.version(subject, path.get(3)).schema().toString());
                    }
                }
            }
            case "schemas" -> {
                if (size == 3 && path.get(1).equals("ids")) {
                    RegistryRequests.requireMethod(method, "GET");
                    return operations.schemaById(path.get(2));
                }
                if (size == 4 && path.get(1).equals("ids") && path.get(3).equals("schema")) {
                    RegistryRequests.requireMethod(method, "GET");
                    return JSON.readTree(operations.schemaById(path.get(2)).path("schema").asText());
                }
                if (size == 2 && path.get(1).equals("types")) {
                    RegistryRequests.requireMethod(method, "GET");
                    return JSON.createArrayNode().add("AVRO");
                }
            }
            case "config" -> {
                if (size <= 2) {
                    String subject = size == 2 ? path.get(1) : null;
                    if (method.equals("PUT")) {
                        return operations.setLevel(subject, RegistryRequests.readJson(exchange));
                    }
                    RegistryRequests.requireMethod(method, "GET");
                    return operations.getLevel(subject, query != null && query.contains("defaultToGlobal=true"));
                }
            }
            case "compatibility" -> {
                if (size == 5 && path.get(1).equals("subjects") && path.get(3).equals("versions")) {
                    RegistryRequests.requireMethod(method, "POST");
                    return operations.testCompatibility(path.get(2), path.get(4), RegistryRequests.readSchema(exchange),
                            query != null && query.contains("verbose=true"));
                }
            }
            default -> {
                // falls through to 404
            }
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found: " + method + " " + exchange.getRequestURI().getPath());
    }

}
