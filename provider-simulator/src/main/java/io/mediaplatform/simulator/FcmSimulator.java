package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Firebase Cloud Messaging HTTP v1 look-alike on the JDK HTTP server, for the local stack and for tests.
 *
 * <p>It takes {@code POST /v1/projects/{project}/messages:send} with {@code Authorization: Bearer <token>} and
 * {@code {"message":{"token","notification":{"title","body","image"},"data":{<string values>}}}}, records every request
 * field by field ({@link #sends()}: path, the project as {@code phoneNumberId}, {@code apiVersion "v1"}, headers, body,
 * answer) and answers like FCM: {@code 200 {"name":"projects/{project}/messages/0:<id>"}}, or an error
 * {@code {"error":{"code","message","status","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError",
 * "errorCode"}]}}}: a bad or missing token 401 {@code UNAUTHENTICATED}; another project 403
 * {@code SENDER_ID_MISMATCH}; a body that is not an FCM message (no {@code message}, not exactly one of token / topic /
 * condition, a non-string data value, an image that is not an http(s) URL) 400 {@code INVALID_ARGUMENT}. Push has no
 * delivery receipts, so nothing is posted back.
 *
 * <p>Magic device tokens (how the token ends): {@code unregistered} 404 {@code UNREGISTERED} (the app was removed);
 * {@code invalid} 400 {@code INVALID_ARGUMENT}; {@code quota} 429 {@code QUOTA_EXCEEDED} with {@code Retry-After: 1};
 * {@code unavailable} 503 {@code UNAVAILABLE}. {@link #failNext(Fault...)} queues faults for the next sends whatever
 * their token. {@code GET /simulator/fcm/sent-messages} lists what was accepted, newest last
 * ({@code [{"name","token","notification","data"}]}), as the devices would show it.
 */
public final class FcmSimulator extends SimulatorServer<FcmSimulator> {

    /** The control endpoint listing the accepted messages. */
    public static final String SENT_MESSAGES_PATH = "/simulator/fcm/sent-messages";
    /** Default Firebase project id. */
    public static final String DEFAULT_PROJECT_ID = "demo-project";

    private static final Logger log = LoggerFactory.getLogger(FcmSimulator.class);
    private static final Pattern SEND_PATH = Pattern.compile("^/v1/projects/([^/]+)/messages:send$");
    private static final String FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError";

    private final String accessToken;
    private final String projectId;

    private FcmSimulator(Builder builder) {
        super("FCM simulator", "fcm-simulator-", 1, builder.port);
        this.accessToken = Objects.requireNonNull(builder.accessToken, "accessToken");
        this.projectId = builder.projectId;
    }

    /** A builder; the access token is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Serves {@code /v1/projects/} and the list of sent messages. */
    @Override
    protected void serve(HttpServer server) {
        server.createContext("/v1/projects/", this::handle);
        server.createContext(SENT_MESSAGES_PATH, this::sentMessages);
    }

    @Override
    protected List<String> contexts() {
        return List.of("/v1/projects/", SENT_MESSAGES_PATH);
    }

    /** The Firebase project id sends must name. */
    public String projectId() {
        return projectId;
    }

    /** Every send request received so far, in order ({@code messageId} is the message name when accepted). */
    @Override
    public List<ReceivedSend> sends() {
        return super.sends();
    }

    /** Forgets recorded sends and queued faults. */
    public void reset() {
        forgetSends();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = SEND_PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches() || !"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                respond(exchange, 404, error(404, "NOT_FOUND", "The requested URL " + exchange.getRequestURI().getPath()
                        + " was not found on this server.", null), null);
                return;
            }
            Map<String, String> headers = SimulatorRequests.headers(exchange);
            JsonNode body = SimulatorRequests.json(json, exchange.getRequestBody().readAllBytes());
            String project = path.group(1);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!SimulatorRequests.sameSecret(auth, "Bearer " + accessToken)) {
                refuse(exchange, headers, body, project, 401, "UNAUTHENTICATED", "Request had invalid authentication "
                        + "credentials. Expected OAuth 2 access token, login cookie or other valid authentication "
                        + "credential.", null, null);
                return;
            }
            if (!projectId.equals(project)) {
                refuse(exchange, headers, body, project, 403, "PERMISSION_DENIED", "SenderId mismatch",
                        "SENDER_ID_MISMATCH", null);
                return;
            }
            String invalid = FcmMessageRules.validate(body);
            if (invalid != null) {
                refuse(exchange, headers, body, project, 400, "INVALID_ARGUMENT", invalid, "INVALID_ARGUMENT", null);
                return;
            }
            Fault fault = faults.poll();
            if (fault != null && !fault.answersNormally()) {
                holdBack(fault.delay());
                String status = fault.httpStatus() == 429 ? "RESOURCE_EXHAUSTED"
                        : fault.httpStatus() == 503 ? "UNAVAILABLE" : "INTERNAL";
                refuse(exchange, headers, body, project, fault.httpStatus(), status, fault.message(),
                        fault.httpStatus() == 429 ? "QUOTA_EXCEEDED" : status, fault.retryAfter());
                return;
            }
            String token = body.at("/message/token").asText("");
            if (token.endsWith("unregistered")) {
                refuse(exchange, headers, body, project, 404, "NOT_FOUND", "Requested entity was not found.",
                        "UNREGISTERED", null);
                return;
            }
            if (token.endsWith("invalid")) {
                refuse(exchange, headers, body, project, 400, "INVALID_ARGUMENT",
                        "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT", null);
                return;
            }
            if (token.endsWith("quota")) {
                refuse(exchange, headers, body, project, 429, "RESOURCE_EXHAUSTED",
                        "Quota exceeded for quota metric 'Send requests'", "QUOTA_EXCEEDED", Duration.ofSeconds(1));
                return;
            }
            if (token.endsWith("unavailable")) {
                refuse(exchange, headers, body, project, 503, "UNAVAILABLE", "The service is currently unavailable.",
                        "UNAVAILABLE", null);
                return;
            }
            holdBack(fault != null ? fault.delay() : Duration.ZERO);
            String name = "projects/" + project + "/messages/0:" + Instant.now().toEpochMilli() + "%"
                    + HexFormat.of().formatHex(SimulatorIds.randomBytes(8));
            record(exchange, headers, body, project, 200, name);
            respond(exchange, 200, json.createObjectNode().put("name", name), null);
        } catch (RuntimeException e) {
            log.warn("FCM simulator failed to handle a request", e);
            respond(exchange, 500, error(500, "INTERNAL", "Internal error encountered.", "INTERNAL"), null);
        }
    }

    private void sentMessages(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equalsIgnoreCase(exchange.getRequestMethod())) {
                respond(exchange, 405, error(405, "METHOD_NOT_ALLOWED", "GET " + SENT_MESSAGES_PATH, null), null);
                return;
            }
            ArrayNode list = json.createArrayNode();
            for (ReceivedSend send : sends) {
                if (send.accepted()) {
                    JsonNode message = send.body().path("message");
                    ObjectNode item = list.addObject().put("name", send.messageId())
                            .put("token", message.path("token").asText());
                    item.set("notification", message.path("notification"));
                    item.set("data", message.path("data"));
                }
            }
            respond(exchange, 200, list, null);
        }
    }

    private void refuse(HttpExchange exchange, Map<String, String> headers, JsonNode body, String project, int status,
                        String statusName, String message, String errorCode, Duration retryAfter) {
        record(exchange, headers, body, project, status, null);
        respond(exchange, status, error(status, statusName, message, errorCode), retryAfter);
    }

    private void record(HttpExchange exchange, Map<String, String> headers, JsonNode body, String project, int status,
                        String name) {
        sends.add(new ReceivedSend(Instant.now(), exchange.getRequestURI().getPath(), "v1", project, headers, body,
                status, name));
    }

    private ObjectNode error(int code, String status, String message, String errorCode) {
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error").put("code", code).put("message", message).put("status", status);
        if (errorCode != null) {
            error.putArray("details").addObject().put("@type", FCM_ERROR_TYPE).put("errorCode", errorCode);
        }
        return root;
    }

    /** FCM answers pretty-printed JSON in UTF-8. */
    @Override
    protected byte[] render(JsonNode body) throws IOException {
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    }

    @Override
    protected String jsonContentType() {
        return "application/json; charset=UTF-8";
    }

    /** Builder of an {@link FcmSimulator}. */
    public static final class Builder {
        private int port;
        private String accessToken;
        private String projectId = DEFAULT_PROJECT_ID;

        private Builder() {
        }

        /** Port to listen on when started alone; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The OAuth access token senders must present as {@code Authorization: Bearer <token>}. */
        public Builder accessToken(String accessToken) {
            this.accessToken = accessToken;
            return this;
        }

        /** The Firebase project id sends must name (default {@value FcmSimulator#DEFAULT_PROJECT_ID}). */
        public Builder projectId(String projectId) {
            this.projectId = Objects.requireNonNull(projectId);
            return this;
        }

        public FcmSimulator build() {
            return new FcmSimulator(this);
        }
    }
}
