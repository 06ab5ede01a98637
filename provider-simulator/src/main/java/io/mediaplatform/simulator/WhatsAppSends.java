package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WhatsApp simulator's send endpoint: {@code POST /{version}/{phoneNumberId}/messages} (and 360dialog's
 * {@code POST /messages}) checked, recorded and answered like Graph, with the queued faults and the magic recipients;
 * and the list of what it accepted.
 */
final class WhatsAppSends {

    private static final Logger log = LoggerFactory.getLogger(WhatsAppSends.class);
    private static final Pattern MESSAGES_PATH = Pattern.compile("^/([^/]+)/([^/]+)/messages/?$");
    private static final Pattern DIALOG360_MESSAGES_PATH = Pattern.compile("^/messages/?$");
    private static final Pattern MEDIA_PATH = Pattern.compile("^/(v\\d[0-9.]*)/([^/]+)/?$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WhatsAppSimulator simulator;

    WhatsAppSends(WhatsAppSimulator simulator) {
        this.simulator = simulator;
    }

    /** Serves the root: a Graph media resolve, or a send. */
    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher media = MEDIA_PATH.matcher(exchange.getRequestURI().getPath());
            if ("GET".equalsIgnoreCase(exchange.getRequestMethod()) && media.matches()) {
                simulator.customerSide.resolve(exchange, media.group(2));
                return;
            }
            Matcher path = MESSAGES_PATH.matcher(exchange.getRequestURI().getPath());
            boolean dialog360 = simulator.d360ApiKey != null && DIALOG360_MESSAGES_PATH.matcher(exchange.getRequestURI().getPath()).matches();
            if (!(path.matches() || dialog360) || !"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                simulator.respond(exchange, 400, GraphErrors.error("Unsupported " + exchange.getRequestMethod().toLowerCase(Locale.ROOT)
                        + " request. Object with ID '" + exchange.getRequestURI().getPath() + "' does not exist",
                        "GraphMethodException", 100), null);
                return;
            }
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = SimulatorRequests.headers(exchange);
            JsonNode body = SimulatorRequests.json(simulator.json, raw);
            // 360dialog: no version or phone-number id in the path, the API key names the number
            String version = dialog360 ? null : path.group(1);
            String phoneNumberId = dialog360 ? simulator.phoneNumberId : path.group(2);

            if (dialog360 && !dialog360Authorized(exchange.getRequestHeaders().getFirst(WhatsAppSimulator.D360_API_KEY_HEADER))) {
                record(exchange, version, phoneNumberId, headers, body, 401, null);
                ObjectNode meta = simulator.json.createObjectNode();
                meta.putObject("meta").put("api_status", "stable").put("version", "2.0").put("http_code", 401)
                        .put("developer_message", "Invalid api key").put("success", false);
                simulator.respond(exchange, 401, meta, null);
                return;
            }
            if (!dialog360 && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                record(exchange, version, phoneNumberId, headers, body, 401, null);
                simulator.respond(exchange, 401, GraphErrors.invalidToken(), null);
                return;
            }
            String invalid = CloudApiSendRules.validate(body);
            if (invalid != null) {
                record(exchange, version, phoneNumberId, headers, body, 400, null);
                simulator.respond(exchange, 400, GraphErrors.error("(#100) " + invalid, "OAuthException", 100), null);
                return;
            }
            Fault fault = simulator.faults.poll();
            FaultMix mix = simulator.faultMix;
            if (fault == null && mix != null) {
                fault = mix.draw(ThreadLocalRandom.current().nextDouble()).orElse(null);
            }
            if (fault != null && !fault.answersNormally()) {
                record(exchange, version, phoneNumberId, headers, body, fault.httpStatus(), null);
                simulator.answerLater(exchange, fault.delay(), fault.httpStatus(),
                        GraphErrors.error(fault.message(), "OAuthException", fault.graphCode()), fault.retryAfter());
                return;
            }
            String to = body.path("to").asText();
            String waId = to.replaceAll("\\D", "");
            if (waId.endsWith("0400")) {
                record(exchange, version, phoneNumberId, headers, body, 400, null);
                ObjectNode error = GraphErrors.error("(#131026) Message Undeliverable.", "OAuthException", 131026);
                ((ObjectNode) error.get("error")).putObject("error_data").put("messaging_product", "whatsapp")
                        .put("details", "Message Undeliverable.");
                simulator.respond(exchange, 400, error, null);
                return;
            }
            if (waId.endsWith("0408") && (fault == null || fault.delay().isZero())) {
                fault = Fault.slow(WhatsAppSimulator.SLOW_DELAY);
            }
            if (waId.endsWith("0500")) {
                record(exchange, version, phoneNumberId, headers, body, 500, null);
                simulator.respond(exchange, 500, GraphErrors.error("An unknown error has occurred.", "OAuthException", 1), null);
                return;
            }
            if (waId.endsWith("0429")) {
                record(exchange, version, phoneNumberId, headers, body, 429, null);
                simulator.respond(exchange, 429, GraphErrors.error("(#130429) Rate limit hit", "OAuthException", 130429), Duration.ofSeconds(1));
                return;
            }

            String wamid = newWamid();
            record(exchange, version, phoneNumberId, headers, body, 200, wamid);
            ObjectNode answer = simulator.json.createObjectNode().put("messaging_product", "whatsapp");
            answer.putArray("contacts").addObject().put("input", to).put("wa_id", waId);
            answer.putArray("messages").addObject().put("id", wamid);
            Duration delay = fault == null ? Duration.ZERO : fault.delay();
            if (!delay.isZero()) {
                simulator.lateAnswers.incrementAndGet();
            }
            simulator.answerLater(exchange, delay, 200, answer, null);
            simulator.later(delay, () -> simulator.statusWebhooks.deliver(new WhatsAppStatusWebhooks.Accepted(wamid, phoneNumberId, waId, body, waId.endsWith("0009"))));
        } catch (RuntimeException e) {
            log.warn("WhatsApp simulator failed to handle a request", e);
            simulator.respond(exchange, 500, GraphErrors.error("An unexpected error has occurred.", "OAuthException", 2), null);
        }
    }

    private boolean dialog360Authorized(String header) {
        return header != null && SimulatorRequests.sameSecret(header.trim(), simulator.d360ApiKey);
    }

    /** Whether the header is {@code Bearer <access token>} (the scheme in any case). */
    boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return SimulatorRequests.sameSecret(header.substring(7).trim(), simulator.accessToken);
    }

    /** {@code GET /simulator/whatsapp/sent-messages[?to=]}: what was accepted, as the customers' phones would show it. */
    void sentMessages(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equalsIgnoreCase(exchange.getRequestMethod()) || !WhatsAppSimulator.SENT_MESSAGES_PATH.equals(exchange.getRequestURI().getPath())) {
                byte[] body = "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"GET /simulator/whatsapp/sent-messages\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            String to = null;
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("to=")) {
                        to = URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8).trim().replaceAll("^\\+?", "");
                    }
                }
            }
            ArrayNode list = simulator.json.createArrayNode();
            for (ReceivedSend send : simulator.sends) {
                String recipient = send.body().path("to").asText("").replaceAll("^\\+", "");
                if (send.accepted() && (to == null || recipient.equals(to))) {
                    String type = send.body().path("type").asText();
                    list.addObject().put("messageId", send.messageId()).put("to", send.body().path("to").asText())
                            .put("type", type).set("body", send.body().path(type));
                }
            }
            byte[] body = simulator.json.writerWithDefaultPrettyPrinter().writeValueAsBytes(list);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void record(HttpExchange exchange, String version, String phoneNumberId, Map<String, String> headers,
                        JsonNode body, int status, String wamid) {
        simulator.sends.add(new ReceivedSend(Instant.now(), exchange.getRequestURI().getPath(), version, phoneNumberId,
                headers, body, status, wamid));
    }

    static String newWamid() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "wamid." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
