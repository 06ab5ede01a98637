package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The "customer sends media" plumbing the three simulators share, written once: the in-memory store of the
 * customer's media with their {@link MediaFaults} and download counters, serving a download (the lazily generated
 * {@code oversize} body included), posting an inbound webhook synchronously and posting it again, and reading a
 * {@code /simulator/<provider>/customer-messages} control request (query parameters, a raw body or a
 * {@code multipart/form-data} body) into a {@link CustomerMedia}. Each simulator keeps its own instance and only
 * adds its provider's wire format, credentials and error bodies.
 */
final class CustomerMediaStore {

    private static final Logger log = LoggerFactory.getLogger(CustomerMediaStore.class);
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CHUNK = 64 * 1024;

    /** One stored media file and its fault state. */
    static final class Stored {
        final String id;
        /** The message it belongs to (Twilio checks it against the URL path). */
        final String owner;
        final byte[] bytes;
        final String contentType;
        final MediaFaults faults;
        final long size;
        final String sha256Hex;
        final String reportedSha256Hex;
        final AtomicInteger downloads = new AtomicInteger();
        final AtomicInteger resolves = new AtomicInteger();
        final AtomicInteger failuresLeft;
        final AtomicBoolean expiredUrlPending;
        volatile boolean gone;
        private final long oversizeBytes;

        private Stored(String id, String owner, byte[] bytes, String contentType, MediaFaults faults, long oversizeBytes) {
            this.id = id;
            this.owner = owner;
            this.bytes = bytes;
            this.contentType = contentType;
            this.faults = faults;
            this.oversizeBytes = oversizeBytes;
            this.size = faults.oversize() ? oversizeBytes : bytes.length;
            this.sha256Hex = faults.oversize() ? sha256Hex(content()) : sha256Hex(bytes);
            this.reportedSha256Hex = faults.wrongSha256()
                    ? sha256Hex(("not-" + sha256Hex).getBytes(StandardCharsets.US_ASCII)) : sha256Hex;
            this.failuresLeft = new AtomicInteger(faults.download5xx());
            this.expiredUrlPending = new AtomicBoolean(faults.expiredUrl());
            this.gone = faults.gone();
        }

        /** The reported sha256 as base64 (WhatsApp's webhook form). */
        String reportedSha256Base64() {
            return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(reportedSha256Hex));
        }

        /** What a download serves, as a stream (the long generated body for {@code oversize}). */
        InputStream content() {
            return faults.oversize() ? new Repeating(bytes, oversizeBytes) : new java.io.ByteArrayInputStream(bytes);
        }

        CustomerSent.Media describe(String url, boolean reportsSha256) {
            return new CustomerSent.Media(id, sha256Hex, size, contentType, url, reportsSha256 ? reportedSha256Hex : null);
        }
    }

    /** The outcome of a download request: the media (null when unknown) and the status to answer. */
    record Download(Stored media, int status) {
    }

    /** A control request: its parameters (query and multipart fields) and its files. */
    record ControlRequest(Map<String, String> params, List<CustomerMedia.Attachment> files) {
    }

    /** One part of a {@code multipart/form-data} body. */
    record Part(String name, String fileName, String contentType, byte[] content) {
    }

    private final long oversizeBytes;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Stored> media = new ConcurrentHashMap<>();
    private final Map<String, Supplier<PostedWebhook>> deliveries = new ConcurrentHashMap<>();
    private final List<PostedWebhook> posted = new CopyOnWriteArrayList<>();

    CustomerMediaStore(long oversizeBytes) {
        if (oversizeBytes <= 0) {
            throw new IllegalArgumentException("oversizeBytes must be positive: " + oversizeBytes);
        }
        this.oversizeBytes = oversizeBytes;
    }

    // ---------------------------------------------------------------- media

    Stored put(String id, String owner, byte[] bytes, String contentType, MediaFaults faults) {
        Stored stored = new Stored(id, owner, bytes.clone(), contentType, faults, oversizeBytes);
        media.put(id, stored);
        return stored;
    }

    /** The media, or null when unknown (a {@code gone} one is still found: callers check {@link Stored#gone}). */
    Stored find(String id) {
        return id == null ? null : media.get(id);
    }

    int downloads(String id) {
        Stored stored = media.get(id);
        return stored == null ? 0 : stored.downloads.get();
    }

    int resolves(String id) {
        Stored stored = media.get(id);
        return stored == null ? 0 : stored.resolves.get();
    }

    /** Deletes a media: from now on it is {@code gone} (404). */
    void delete(String id) {
        Stored stored = media.get(id);
        if (stored == null) {
            throw new IllegalArgumentException("no such media: " + id);
        }
        stored.gone = true;
    }

    void clear() {
        media.clear();
        deliveries.clear();
        posted.clear();
    }

    /**
     * Counts a download request of a known media and decides its status: 404 unknown; the simulator's own
     * {@code refusal} (bad credentials, bad or expired URL) when not 0; 404 {@code gone}; 500 while
     * {@code download-5xx} failures are left; else 200.
     */
    Download download(String id, int refusal) {
        Stored stored = find(id);
        if (stored == null) {
            return new Download(null, 404);
        }
        stored.downloads.incrementAndGet();
        if (refusal != 0) {
            return new Download(stored, refusal);
        }
        if (stored.gone) {
            return new Download(stored, 404);
        }
        if (stored.failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new Download(stored, 500);
        }
        return new Download(stored, 200);
    }

    /** Answers 200 with the media's bytes (streamed for {@code oversize}), its content type and length. */
    void writeContent(HttpExchange exchange, Stored stored) {
        try {
            exchange.getResponseHeaders().set("Content-Type", stored.contentType);
            exchange.getResponseHeaders().set("Cache-Control", "private, no-store");
            exchange.sendResponseHeaders(200, stored.size);
            try (OutputStream out = exchange.getResponseBody(); InputStream in = stored.content()) {
                in.transferTo(out);
            }
        } catch (IOException e) {
            log.debug("Media download of {} ended early: {}", stored.id, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- webhooks

    /**
     * Remembers how to deliver a message's webhook (so {@link #redeliver} can post it again) and delivers it now.
     * The supplier is called once per delivery, so it may sign afresh (a new timestamp) each time.
     */
    PostedWebhook deliver(String providerMessageId, Supplier<PostedWebhook> delivery) {
        deliveries.put(providerMessageId, delivery);
        return delivery.get();
    }

    /** Posts a message's webhook again (the provider delivering it twice); returns the receiver's status. */
    int redeliver(String providerMessageId) {
        Supplier<PostedWebhook> delivery = deliveries.get(providerMessageId);
        if (delivery == null) {
            throw new IllegalArgumentException("no customer message " + providerMessageId);
        }
        return delivery.get().status();
    }

    /**
     * Posts one webhook synchronously, once (no retry: the caller sees the status and may {@link #redeliver});
     * records it. A null or blank URL posts nothing (status 0).
     */
    PostedWebhook post(HttpClient http, String providerMessageId, String url, String contentType, byte[] body,
                       Map<String, String> signatureHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.putAll(signatureHeaders);
        int status = 0;
        if (url != null && !url.isBlank()) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(WEBHOOK_TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                headers.forEach(request::header);
                status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException | IllegalArgumentException e) {
                log.info("Inbound webhook of {} to {} not answered: {}", providerMessageId, url, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            log.info("No inbound webhook URL set: message {} not posted", providerMessageId);
        }
        PostedWebhook webhook = new PostedWebhook(providerMessageId, url, headers, body, status, Instant.now());
        posted.add(webhook);
        return webhook;
    }

    List<PostedWebhook> posted() {
        return List.copyOf(posted);
    }

    // ---------------------------------------------------------------- control endpoint

    /**
     * Serves {@code POST <path>}: reads the control request, has {@code send} play the customer, answers the
     * {@link CustomerSent} as JSON; a bad request answers a 400 problem.
     */
    void handleControl(HttpExchange exchange, String path, Function<CustomerMedia, CustomerSent> send) {
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
            for (Part part : parseMultipart(contentType, body)) {
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

    /**
     * Parses a {@code multipart/form-data} body (RFC 7578) held in memory: every part with its name, file name,
     * content type and bytes.
     *
     * @throws IllegalArgumentException when the boundary is missing or the body is not well formed
     */
    static List<Part> parseMultipart(String contentType, byte[] body) {
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("multipart/form-data without a boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new IllegalArgumentException("multipart body without its boundary");
        }
        pos += delimiter.length;
        while (true) {
            if (pos + 1 < body.length && body[pos] == '-' && body[pos + 1] == '-') {
                return parts; // closing delimiter
            }
            int lineEnd = indexOf(body, new byte[]{'\r', '\n'}, pos);
            if (lineEnd < 0) {
                throw new IllegalArgumentException("multipart body ends without its closing boundary");
            }
            int headersEnd = indexOf(body, new byte[]{'\r', '\n', '\r', '\n'}, lineEnd);
            String name = null;
            String fileName = null;
            String partType = null;
            int contentStart;
            if (headersEnd == lineEnd) {
                contentStart = lineEnd + 4; // no headers at all
            } else if (headersEnd < 0) {
                throw new IllegalArgumentException("multipart part without the blank line after its headers");
            } else {
                contentStart = headersEnd + 4;
                String headers = new String(body, lineEnd + 2, headersEnd - lineEnd - 2, StandardCharsets.UTF_8);
                for (String line : headers.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    if (header.equals("content-disposition")) {
                        name = parameter(value, "name");
                        fileName = parameter(value, "filename");
                    } else if (header.equals("content-type")) {
                        partType = value;
                    }
                }
            }
            int end = indexOf(body, nextDelimiter, contentStart);
            if (end < 0) {
                throw new IllegalArgumentException("multipart part without a closing boundary");
            }
            parts.add(new Part(name, fileName, partType, Arrays.copyOfRange(body, contentStart, end)));
            pos = end + nextDelimiter.length;
        }
    }

    // ---------------------------------------------------------------- small helpers

    /**
     * A phone number as E.164: surrounding blanks dropped, a bare digit string (or one whose {@code +} a query string
     * turned into a space) gets its {@code +}; a {@code whatsapp:} prefix is kept. Anything else is left as it is.
     */
    static String normalisePhone(String value) {
        if (value == null) {
            return null;
        }
        String s = value.trim();
        String prefix = "";
        if (s.regionMatches(true, 0, "whatsapp:", 0, 9)) {
            prefix = "whatsapp:";
            s = s.substring(9).trim();
        }
        if (s.matches("\\d{3,}")) {
            s = "+" + s;
        }
        return prefix + s;
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static String sha256Hex(InputStream in) {
        MessageDigest digest = digest();
        byte[] buffer = new byte[CHUNK];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
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

    /** A parameter of a header value ({@code name=value} or {@code name="value"}), or null. */
    private static String parameter(String headerValue, String name) {
        for (String piece : splitParameters(headerValue)) {
            int eq = piece.indexOf('=');
            if (eq > 0 && piece.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String value = piece.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
                }
                return value;
            }
        }
        return null;
    }

    /** Splits on {@code ;} outside quotes. */
    private static List<String> splitParameters(String value) {
        List<String> pieces = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                pieces.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        pieces.add(current.toString());
        return pieces;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The customer's bytes repeated up to {@code length} (zeros when there are none), produced on demand. */
    private static final class Repeating extends InputStream {
        private final byte[] seed;
        private final long length;
        private long position;

        Repeating(byte[] seed, long length) {
            if (seed.length == 0) {
                seed = new byte[CHUNK];
            } else if (seed.length < CHUNK) {
                // tile short seeds so that reads copy in long runs
                int copies = (CHUNK + seed.length - 1) / seed.length;
                byte[] tiled = new byte[copies * seed.length];
                for (int i = 0; i < copies; i++) {
                    System.arraycopy(seed, 0, tiled, i * seed.length, seed.length);
                }
                seed = tiled;
            }
            this.seed = seed;
            this.length = length;
        }

        @Override
        public int read() {
            if (position >= length) {
                return -1;
            }
            return seed[(int) (position++ % seed.length)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            for (int i = 0; i < n; ) {
                int at = (int) (position % seed.length);
                int run = Math.min(n - i, seed.length - at);
                System.arraycopy(seed, at, b, off + i, run);
                i += run;
                position += run;
            }
            return n;
        }
    }
}
