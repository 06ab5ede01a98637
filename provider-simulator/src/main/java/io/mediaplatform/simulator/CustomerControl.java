package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code /simulator/<provider>/customer-messages} control endpoint: reads the request (query parameters, a raw
 * body or a {@code multipart/form-data} body) into a {@link CustomerMedia}, has the simulator play the customer and
 * answers the {@link CustomerSent}, or an RFC 9457 problem.
 */
final class CustomerControl {

    private static final Logger log = LoggerFactory.getLogger(CustomerControl.class);

    private final ObjectMapper json = new ObjectMapper();

    /** A control request: its parameters (query and multipart fields) and its files. */
    record ControlRequest(Map<String, String> params, List<CustomerMedia.Attachment> files) {
    }

    /**
     * Serves {@code POST <path>}: reads the control request, has {@code send} play the customer, answers the
     * {@link CustomerSent} as JSON; a bad request answers a 400 problem.
     */
    void handle(HttpExchange exchange, String path, Function<CustomerMedia, CustomerSent> send) {
        try (exchange) {
            if (!path.equals(exchange.getRequestURI().getPath())) {
                problem(exchange, 404, "Not Found", "No such control endpoint; POST " + path);
                return;
            }
            if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                problem(exchange, 405, "Method Not Allowed", "POST " + path);
                return;
            }
            CustomerSent sent;
            try {
                sent = send.apply(toCustomerMedia(readControl(exchange)));
            } catch (IllegalArgumentException e) {
                problem(exchange, 400, "Bad Request", e.getMessage());
                return;
            }
            ObjectNode answer = json.createObjectNode().put("providerMessageId", sent.providerMessageId());
            for (CustomerSent.Media m : sent.media()) {
                answer.withArray("media").addObject().put("mediaId", m.mediaId()).put("sha256", m.sha256())
                        .put("size", m.size()).put("contentType", m.contentType()).put("url", m.url())
                        .put("reportedSha256", m.reportedSha256());
            }
            if (!answer.has("media")) {
                answer.putArray("media");
            }
            answer.put("webhookStatus", sent.webhookStatus());
            respond(exchange, 200, "application/json", json.writeValueAsBytes(answer));
        } catch (IOException | RuntimeException e) {
            log.warn("Customer-message control request failed", e);
            try {
                problem(exchange, 500, "Internal Server Error", e.toString());
            } catch (RuntimeException ignored) {
                // answer already started
            }
        }
    }

    static ControlRequest readControl(HttpExchange exchange) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        addParams(params, exchange.getRequestURI().getRawQuery());
        byte[] body = exchange.getRequestBody().readAllBytes();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        List<CustomerMedia.Attachment> files = new ArrayList<>();
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            for (MultipartForm.Part part : MultipartForm.parseMultipart(contentType, body)) {
                if (part.fileName() != null || "file".equals(part.name())) {
                    files.add(new CustomerMedia.Attachment(part.content(), unspecified(part.contentType())
                            ? null : part.contentType(), part.fileName()));
                } else if (part.name() != null) {
                    addParam(params, part.name(), new String(part.content(), StandardCharsets.UTF_8));
                }
            }
        } else if (body.length > 0) {
            files.add(new CustomerMedia.Attachment(body, unspecified(contentType) ? null : contentType, null));
        }
        return new ControlRequest(params, files);
    }

    /** A control request's parameters and files as the customer's message. */
    static CustomerMedia toCustomerMedia(ControlRequest request) {
        Map<String, String> p = request.params();
        CustomerMedia.Builder builder = CustomerMedia.builder()
                .from(p.get("from")).to(blankToNull(p.get("to"))).channel(blankToNull(p.get("channel")))
                .type(blankToNull(p.get("type")))
                .text(blankToNull(p.containsKey("text") ? p.get("text") : p.get("body")))
                .caption(blankToNull(p.get("caption")))
                .fileName(blankToNull(p.containsKey("filename") ? p.get("filename") : p.get("fileName")))
                .voice(Boolean.parseBoolean(p.get("voice"))).animated(Boolean.parseBoolean(p.get("animated")))
                .profileName(blankToNull(p.containsKey("name") ? p.get("name") : p.get("profileName")))
                .faults(p.get("fault"));
        request.files().forEach(builder::attach);
        return builder.build();
    }

    /** Answers an RFC 9457 problem. */
    void problem(HttpExchange exchange, int status, String title, String detail) {
        ObjectNode body = json.createObjectNode().put("type", "about:blank").put("title", title).put("status", status)
                .put("detail", detail);
        try {
            respond(exchange, status, "application/problem+json", json.writeValueAsBytes(body));
        } catch (IOException e) {
            log.debug("Client went away before the answer: {}", e.getMessage());
        }
    }

    static void respond(HttpExchange exchange, int status, String contentType, byte[] body) {
        try {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } catch (IOException e) {
            log.debug("Client went away before the answer: {}", e.getMessage());
        }
    }

    private static boolean unspecified(String contentType) {
        return contentType == null || contentType.isBlank()
                || contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static void addParams(Map<String, String> params, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            addParam(params, URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
    }

    /** The first value of a parameter wins, except {@code fault}, whose values add up. */
    private static void addParam(Map<String, String> params, String name, String value) {
        if ("fault".equals(name) && params.containsKey(name)) {
            params.put(name, params.get(name) + "," + value);
        } else {
            params.putIfAbsent(name, value);
        }
    }
}
