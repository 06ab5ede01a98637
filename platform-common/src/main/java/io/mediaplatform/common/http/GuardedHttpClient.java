package io.mediaplatform.common.http;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 client for URLs given by clients (upload from URL, OAuth2 token endpoints), safe against SSRF:
 * <ol>
 *   <li>The host is normalised first: IPv4 addresses in decimal, octal or hex spelling ({@link NumericHosts})
 *   become dotted quads, so the guard judges the address that would really be called.</li>
 *   <li>{@link UrlGuard#check} resolves the host <b>once</b> and checks every address (public only, unless
 *   allow-listed).</li>
 *   <li>The socket connects to one of exactly those checked addresses (pinning): there is no second DNS lookup
 *   a rebinding attacker could answer differently. For https the TLS layer is put on that socket with the
 *   URL's host name for SNI and certificate host-name verification, so TLS stays fully checked.</li>
 *   <li>Redirects are never followed ({@link RedirectRefusedException}).</li>
 *   <li>Timeouts: connect, read (longest pause between bytes), and a total deadline for the whole exchange, so
 *   a server trickling one byte at a time is cut off ({@link OutboundTimeoutException}).</li>
 *   <li>The body is limited while it streams ({@link ResponseTooLargeException}), and refused up front when
 *   {@code Content-Length} already says it is too large.</li>
 * </ol>
 * Why not {@code java.net.http.HttpClient}: it resolves the host itself (no way to hand it a checked address
 * without disabling TLS host-name checks or restricted-header tricks). A small HTTP/1.1 exchange over
 * {@link Socket} ({@code Connection: close}; Content-Length, chunked or read-to-close bodies) keeps the
 * pinning explicit and testable. Header values are checked for CR/LF so credentials cannot inject headers.
 * Never logs URLs or headers (they may carry credentials).
 */
public final class GuardedHttpClient {

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final String USER_AGENT = "media-platform/1.0";

    private final UrlGuard guard;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final SSLContext sslContext;

    /** A client with the JVM's default TLS trust. */
    public GuardedHttpClient(UrlGuard guard, Duration connectTimeout, Duration readTimeout) {
        this(guard, connectTimeout, readTimeout, defaultSsl());
    }

    /** A client with its own TLS context (e.g. a private trust store). */
    public GuardedHttpClient(UrlGuard guard, Duration connectTimeout, Duration readTimeout, SSLContext sslContext) {
        this.guard = guard;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.sslContext = sslContext;
    }

    /** Where a request goes: the normalised URI, its host and port, and the checked addresses to connect to. */
    public record Target(URI uri, String host, int port, boolean https, List<InetAddress> addresses) {
    }

    /**
     * A request.
     *
     * @param method       GET, POST, ...
     * @param url          absolute http(s) URL
     * @param headers      extra headers (Host, Connection, Content-Length and Transfer-Encoding are set by the client)
     * @param body         request body, or null
     * @param maxBytes     most response-body bytes accepted
     * @param totalTimeout deadline of the whole exchange, from connect to the last body byte
     */
    public record Request(String method, String url, Map<String, String> headers, byte[] body, long maxBytes,
                          Duration totalTimeout) {

        public static Request get(String url, Map<String, String> headers, long maxBytes, Duration totalTimeout) {
            return new Request("GET", url, headers, null, maxBytes, totalTimeout);
        }

        public static Request post(String url, Map<String, String> headers, byte[] body, long maxBytes,
                                   Duration totalTimeout) {
            return new Request("POST", url, headers, body, maxBytes, totalTimeout);
        }
    }

    /**
     * Normalises the URL's host and checks it with the {@link UrlGuard}.
     *
     * @throws BlockedUrlException when the URL may not be called
     */
    public Target check(String url) {
        if (url == null || url.isBlank()) {
            throw new BlockedUrlException("Not a valid URL");
        }
        String normalized = normalize(url.trim());
        UrlGuard.CheckedUrl checked = guard.check(normalized);
        URI uri = checked.uri();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new BlockedUrlException("Invalid port");
        }
        if (checked.addresses().isEmpty()) {
            throw new BlockedUrlException("The host " + uri.getHost() + " could not be resolved");
        }
        return new Target(uri, uri.getHost(), port, https, checked.addresses());
    }

    /** Rewrites a numeric (inet_aton) IPv4 host spelling to dotted decimal; other URLs are returned as they are. */
    static String normalize(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new BlockedUrlException("Not a valid URL");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.contains("@") || authority.startsWith("[")) {
            return url;
        }
        int colon = authority.lastIndexOf(':');
        String host = colon >= 0 ? authority.substring(0, colon) : authority;
        String port = colon >= 0 ? authority.substring(colon) : "";
        if (host.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") && !host.matches(".*(^|\\.)0\\d.*")) {
            return url;                                                     // plain dotted decimal: already canonical
        }
        Optional<InetAddress> numeric = NumericHosts.parse(host);
        if (numeric.isEmpty()) {
            return url;
        }
        int at = url.indexOf("//" + authority);
        if (at < 0) {
            return url;
        }
        return url.substring(0, at) + "//" + numeric.get().getHostAddress() + port
                + url.substring(at + 2 + authority.length());
    }

    /**
     * Checks the URL, connects to a checked address and sends the request. The caller must close the response.
     *
     * @throws BlockedUrlException       the URL may not be called
     * @throws RedirectRefusedException  the server answered 3xx
     * @throws ResponseTooLargeException Content-Length is over {@code maxBytes}
     * @throws OutboundTimeoutException  connect, read or total timeout
     * @throws IOException               any other network or protocol failure
     */
    public Response send(Request request) throws IOException {
        Target target = check(request.url());
        long deadline = System.nanoTime() + request.totalTimeout().toNanos();
        Socket socket = connect(target, deadline);
        try {
            DeadlineInputStream raw = new DeadlineInputStream(socket, deadline, readTimeout);
            InputStream in = new BufferedInputStream(raw, 16 * 1024);
            OutputStream out = socket.getOutputStream();
            out.write(head(request, target));
            if (request.body() != null) {
                out.write(request.body());
            }
            out.flush();
            int status;
            Map<String, List<String>> headers;
            do {
                String statusLine = readLine(in);
                status = parseStatus(statusLine);
                headers = readHeaders(in);
            } while (status >= 100 && status < 200);
            if (status >= 300 && status < 400) {
                throw new RedirectRefusedException(status);
            }
            long length = contentLength(headers);
            if (length > request.maxBytes()) {
                throw new ResponseTooLargeException(request.maxBytes());
            }
            InputStream body;
            String transferEncoding = first(headers, "transfer-encoding").orElse("").toLowerCase(Locale.ROOT);
            if ("HEAD".equals(request.method()) || status == 204 || status == 304) {
                body = InputStream.nullInputStream();
            } else if (transferEncoding.contains("chunked")) {
                body = new ChunkedInputStream(in);
            } else if (length >= 0) {
                body = new FixedLengthInputStream(in, length);
            } else {
                body = in;
            }
            return new Response(status, headers, new LimitedInputStream(body, request.maxBytes()), socket);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private Socket connect(Target target, long deadline) throws IOException {
        IOException last = null;
        for (InetAddress address : target.addresses()) {
            long remaining = remainingMillis(deadline);
            if (remaining <= 0) {
                throw new OutboundTimeoutException("The exchange did not complete in time");
            }
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address, target.port()),
                        (int) Math.max(1, Math.min(connectTimeout.toMillis(), remaining)));
                if (!target.https()) {
                    return socket;
                }
                return tls(socket, target, deadline);
            } catch (SocketTimeoutException e) {
                closeQuietly(socket);
                last = new OutboundTimeoutException("Connecting to the host timed out");
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
            }
        }
        throw last != null ? last : new IOException("No address to connect to");
    }

    private Socket tls(Socket plain, Target target, long deadline) throws IOException {
        String host = target.host();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        SSLSocket ssl = (SSLSocket) sslContext.getSocketFactory().createSocket(plain, bare, target.port(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (NumericHosts.parse(bare).isEmpty() && !bare.contains(":")) {
            parameters.setServerNames(List.of(new SNIHostName(bare)));
        }
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout((int) Math.max(1, Math.min(readTimeout.toMillis(), remainingMillis(deadline))));
        try {
            ssl.startHandshake();
        } catch (SocketTimeoutException e) {
            throw new OutboundTimeoutException("The TLS handshake timed out");
        }
        return ssl;
    }

    private static byte[] head(Request request, Target target) {
        URI uri = target.uri();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        String method = request.method().toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]{1,16}")) {
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
        headers.put("Connection", "close");
        if (request.body() != null) {
            headers.put("Content-Length", Integer.toString(request.body().length));
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> {
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") || value == null
                    || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("Invalid header " + (name.matches("[A-Za-z0-9-]+") ? name : ""));
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int parseStatus(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("The server did not answer HTTP/1.x");
        }
        return Integer.parseInt(parts[1]);
    }

    private static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
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

    private static String readLine(InputStream in) throws IOException {
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

    private static long contentLength(Map<String, List<String>> headers) throws IOException {
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

    private static Optional<String> first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    private static long remainingMillis(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000;
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    private static SSLContext defaultSsl() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An answer; its body streams from the connection, which {@link #close()} closes. */
    public static final class Response implements Closeable {

        private final int status;
        private final Map<String, List<String>> headers;
        private final InputStream body;
        private final Socket socket;

        Response(int status, Map<String, List<String>> headers, InputStream body, Socket socket) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.socket = socket;
        }

        public int status() {
            return status;
        }

        /** First value of a header (name case-insensitive). */
        public Optional<String> header(String name) {
            return first(headers, name.toLowerCase(Locale.ROOT));
        }

        /**
         * The body: ends where the response ends, throws {@link ResponseTooLargeException} past the limit and
         * {@link OutboundTimeoutException} past the read or total timeout.
         */
        public InputStream body() {
            return body;
        }

        /** Reads the whole (limited) body. */
        public byte[] readAll() throws IOException {
            return body.readAllBytes();
        }

        @Override
        public void close() {
            closeQuietly(socket);
        }
    }

    /** Socket input that enforces the read timeout between bytes and the total deadline. */
    private static final class DeadlineInputStream extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final Duration readTimeout;

        DeadlineInputStream(Socket socket, long deadline, Duration readTimeout) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
            this.readTimeout = readTimeout;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long remaining = remainingMillis(deadline);
            if (remaining <= 0) {
                throw new OutboundTimeoutException("The exchange did not complete in time");
            }
            boolean total = remaining < readTimeout.toMillis();
            socket.setSoTimeout((int) Math.max(1, Math.min(readTimeout.toMillis(), remaining)));
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw new OutboundTimeoutException(total ? "The exchange did not complete in time"
                        : "The server sent nothing for " + readTimeout.toMillis() + " ms");
            }
        }
    }

    /** Exactly {@code length} bytes; fewer is an error (the response ended early). */
    private static final class FixedLengthInputStream extends FilterInputStream {
        private long remaining;

        FixedLengthInputStream(InputStream in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new IOException("The response ended before Content-Length bytes");
            }
            remaining -= n;
            return n;
        }
    }

    /** Decodes {@code Transfer-Encoding: chunked} (extensions and trailers ignored). */
    private static final class ChunkedInputStream extends FilterInputStream {
        private long chunkLeft;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                String line = readLine(in);
                int semicolon = line.indexOf(';');
                String size = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
                try {
                    chunkLeft = Long.parseLong(size, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("Malformed chunk size");
                }
                if (chunkLeft < 0) {
                    throw new IOException("Malformed chunk size");
                }
                if (chunkLeft == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers ignored
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new IOException("The response ended inside a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                readLine(in);
            }
            return n;
        }
    }

    /** Stops with {@link ResponseTooLargeException} as soon as more than the limit arrives. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw new ResponseTooLargeException(limit);
                }
            }
            return n;
        }
    }
}
