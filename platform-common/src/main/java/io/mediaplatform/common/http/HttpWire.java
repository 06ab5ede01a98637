package io.mediaplatform.common.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.Optional;

/**
 * The HTTP/1.1 wire format of one guarded exchange: the request head written with checked header names and values,
 * the status line and headers read back within size limits.
 */
final class HttpWire {

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final String USER_AGENT = "media-platform/1.0";

    private HttpWire() {
    }

    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9-]+");
    private static final Pattern STATUS = Pattern.compile("\\d{3}");

    /**
     * The request line and headers ({@code Connection: close} unless the connection is to be kept); a header with CR,
     * LF or NUL is refused.
     */
    static byte[] head(GuardedHttpClient.Request request, GuardedHttpClient.Target target, boolean keepAlive) {
        URI uri = target.uri();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        String method = request.method().toUpperCase(Locale.ROOT);
        if (!METHOD.matcher(method).matches()) {
            throw new IllegalArgumentException("Invalid method");
        }
        boolean defaultPort = target.port() == (target.https() ? 443 : 80);
        String hostHeader = (target.host().contains(":") && !target.host().startsWith("[") ? "[" + target.host() + "]"
                : target.host()) + (defaultPort ? "" : ":" + target.port());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", hostHeader);
        headers.put("User-Agent", USER_AGENT);
        headers.put("Accept", "*/*");
        headers.put("Accept-Encoding", "identity");
        if (request.headers() != null) {
            request.headers().forEach((name, value) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("host") && !lower.equals("connection") && !lower.equals("content-length")
                        && !lower.equals("transfer-encoding")) {
                    headers.put(name, value);
                }
            });
        }
        if (!keepAlive) {
            headers.put("Connection", "close");
        }
        if (request.body() != null) {
            headers.put("Content-Length", Integer.toString(request.body().length));
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> {
            if (!TOKEN.matcher(name).matches() || value == null
                    || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("Invalid header " + (PLAIN_NAME.matcher(name).matches() ? name : ""));
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    static int parseStatus(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !STATUS.matcher(parts[1]).matches()) {
            throw new IOException("The server did not answer HTTP/1.x");
        }
        return Integer.parseInt(parts[1]);
    }

    /** The response headers, names in lower case, at most 64 KiB of them. */
    static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int total = 0;
        while (true) {
            String line = readLine(in);
            if (line.isEmpty()) {
                return headers;
            }
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                throw new IOException("The response headers are too large");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("Malformed response header");
            }
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
    }

    /** One CRLF- (or LF-) terminated line, at most 16 KiB. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("The connection closed before the response was complete");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= 16 * 1024) {
                throw new IOException("A response line is too long");
            }
            line.write(b);
        }
    }

    /** The declared body length, or -1 when none (or the body is chunked). */
    static long contentLength(Map<String, List<String>> headers) throws IOException {
        Optional<String> value = first(headers, "content-length");
        if (value.isEmpty() || first(headers, "transfer-encoding").isPresent()) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.get().trim());
            if (length < 0) {
                throw new IOException("Invalid Content-Length");
            }
            return length;
        } catch (NumberFormatException e) {
            throw new IOException("Invalid Content-Length");
        }
    }

    static Optional<String> first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
