package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Twilio simulator's Messages API: {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} checked,
 * recorded and answered like Twilio, with the queued faults and the magic recipients; a media URL is handed to the
 * customer side.
 */
final class TwilioSends {

    private static final Logger log = LoggerFactory.getLogger(TwilioSends.class);
    private static final Pattern MESSAGES_PATH = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Messages\\.json$");
    private static final Pattern MEDIA_PATH =
            Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)/Media/([^/]+)$");

    private final TwilioSimulator simulator;

    TwilioSends(TwilioSimulator simulator) {
        this.simulator = simulator;
    }

    /** Serves {@code /2010-04-01/}: a customer media download, or a send. */
    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher media = MEDIA_PATH.matcher(exchange.getRequestURI().getPath());
            if (media.matches() && "GET".equalsIgnoreCase(exchange.getRequestMethod())) {
                simulator.customerSide.media(exchange, media);
                return;
            }
            Matcher path = MESSAGES_PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches() || !"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                simulator.respond(exchange, 404, simulator.error(20404, "The requested resource " + exchange.getRequestURI().getPath()
                        + " was not found", 404), null);
                return;
            }
            Map<String, List<String>> form = SimulatorRequests.form(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            ObjectNode body = simulator.json.createObjectNode();
            form.forEach((name, values) -> {
                if ("MediaUrl".equals(name)) {
                    values.forEach(body.withArray("MediaUrl")::add);
                } else {
                    body.put(name, values.getFirst());
                }
            });
            Map<String, String> headers = SimulatorRequests.headers(exchange);
            String sid = path.group(1);
            if (!sid.equals(simulator.accountSid) || !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                record(exchange, sid, headers, body, 401, null);
                simulator.respond(exchange, 401, simulator.error(20003, "Authenticate", 401), null);
                return;
            }
            String to = SimulatorRequests.first(form, "To");
            String from = SimulatorRequests.first(form, "From");
            if (to == null || to.isBlank()) {
                record(exchange, sid, headers, body, 400, null);
                simulator.respond(exchange, 400, simulator.error(21604, "A 'To' phone number is required.", 400), null);
                return;
            }
            if (from == null || from.isBlank()) {
                record(exchange, sid, headers, body, 400, null);
                simulator.respond(exchange, 400, simulator.error(21603, "A 'From' phone number is required.", 400), null);
                return;
            }
            if (SimulatorRequests.first(form, "Body") == null && SimulatorRequests.first(form, "MediaUrl") == null) {
                record(exchange, sid, headers, body, 400, null);
                simulator.respond(exchange, 400, simulator.error(21602, "Message body is required.", 400), null);
                return;
            }
            Fault fault = simulator.faults.poll();
            if (fault != null && !fault.answersNormally()) {
                record(exchange, sid, headers, body, fault.httpStatus(), null);
                simulator.answerLater(exchange, fault.delay(), fault.httpStatus(),
                        simulator.error(fault.graphCode(), fault.message(), fault.httpStatus()), fault.retryAfter());
                return;
            }
            String digits = to.replaceAll("\\D", "");
            if (digits.endsWith("0400")) {
                record(exchange, sid, headers, body, 400, null);
                simulator.respond(exchange, 400, simulator.error(21211, "The 'To' number " + to + " is not a valid phone number.", 400), null);
                return;
            }
            if (digits.endsWith("0500")) {
                record(exchange, sid, headers, body, 500, null);
                simulator.respond(exchange, 500, simulator.error(20500, "An internal server error has occurred", 500), null);
                return;
            }
            if (digits.endsWith("0429")) {
                record(exchange, sid, headers, body, 429, null);
                simulator.respond(exchange, 429, simulator.error(20429, "Too Many Requests", 429), Duration.ofSeconds(1));
                return;
            }
            Duration delay = fault != null ? fault.delay() : digits.endsWith("0408") ? TwilioSimulator.SLOW_DELAY : Duration.ZERO;
            String messageSid = "SM" + HexFormat.of().formatHex(SimulatorIds.randomBytes(16));
            record(exchange, sid, headers, body, 201, messageSid);
            ObjectNode answer = simulator.json.createObjectNode()
                    .put("sid", messageSid).put("account_sid", simulator.accountSid).put("to", to).put("from", from)
                    .put("body", SimulatorRequests.first(form, "Body")).put("status", "queued")
                    .put("num_media", Integer.toString(form.getOrDefault("MediaUrl", List.of()).size()))
                    .put("direction", "outbound-api").put("api_version", "2010-04-01")
                    .put("date_created", Instant.now().toString())
                    .putNull("error_code").putNull("error_message")
                    .put("uri", "/2010-04-01/Accounts/" + simulator.accountSid + "/Messages/" + messageSid + ".json");
            simulator.answerLater(exchange, delay, 201, answer, null);
            TwilioStatusCallbacks.Accepted accepted = new TwilioStatusCallbacks.Accepted(messageSid, to, from, form.getOrDefault("MediaUrl", List.of()),
                    SimulatorRequests.first(form, "StatusCallback"), digits.endsWith("0009"));
            simulator.later(Duration.ofMillis(1), () -> simulator.statusCallbacks.deliver(accepted));
        } catch (RuntimeException e) {
            log.warn("Twilio simulator failed to handle a request", e);
            simulator.respond(exchange, 500, simulator.error(20500, "An internal server error has occurred", 500), null);
        }
    }

    /** Whether the header is basic auth {@code AccountSid:AuthToken}. */
    boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String expected = Base64.getEncoder().encodeToString((simulator.accountSid + ":" + simulator.authToken)
                .getBytes(StandardCharsets.UTF_8));
        return SimulatorRequests.sameSecret(header.substring(6).trim(), expected);
    }

    private void record(HttpExchange exchange, String sid, Map<String, String> headers, ObjectNode body, int status,
                        String messageSid) {
        simulator.sends.add(new ReceivedSend(Instant.now(), exchange.getRequestURI().getPath(), "2010-04-01", sid, headers, body,
                status, messageSid));
    }
}
