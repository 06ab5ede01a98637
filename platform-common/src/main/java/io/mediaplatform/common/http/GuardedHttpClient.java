package io.mediaplatform.common.http;

import javax.net.ssl.SSLContext;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
 * {@link Socket} (Content-Length, chunked or read-to-close bodies) keeps the pinning explicit and testable. Header
 * values are checked for CR/LF so credentials cannot inject headers. Never logs URLs or headers (they may carry
 * credentials).
 *
 * <h2>Keep-alive</h2>
 * With a {@code keepAlive} above zero a connection is kept after an exchange that ended cleanly (HTTP/1.1, no
 * {@code Connection: close}, the body read to the end its framing gives, or that end already buffered), for at most
 * that long ({@link IdleConnections}), and reused by the next request whose checked addresses include its address,
 * to the same port and TLS host: a burst of webhooks to one endpoint pays one TCP and TLS handshake, not one each.
 * The URL is still checked (and resolved) for every request. When a kept connection turns out closed by the server
 * before it sent a byte of the answer (its idle timeout ran out first), the request goes again once on a new
 * connection: a server closing an idle connection has not read the request. (One that read it and then dropped the
 * connection without a byte of answer gets it twice, as from any client that retries; webhooks carry their
 * {@code webhook-id} for that.) With {@code keepAlive} zero every exchange sends {@code Connection: close}.
 */
public final class GuardedHttpClient implements AutoCloseable {

    private final UrlGuard guard;
    private final Duration readTimeout;
    private final PinnedConnector connector;
    private final IdleConnections idle;

    /** A client with the JVM's default TLS trust and no keep-alive. */
    public GuardedHttpClient(UrlGuard guard, Duration connectTimeout, Duration readTimeout) {
        this(guard, connectTimeout, readTimeout, Duration.ZERO);
    }

    /** A client with the JVM's default TLS trust, keeping connections for {@code keepAlive} (zero: none). */
    public GuardedHttpClient(UrlGuard guard, Duration connectTimeout, Duration readTimeout, Duration keepAlive) {
        this(guard, connectTimeout, readTimeout, defaultSsl(), keepAlive);
    }

    /** A client with its own TLS context (e.g. a private trust store) and no keep-alive. */
    public GuardedHttpClient(UrlGuard guard, Duration connectTimeout, Duration readTimeout, SSLContext sslContext) {
        this(guard, connectTimeout, readTimeout, sslContext, Duration.ZERO);
    }

    /** A client with its own TLS context, keeping connections for {@code keepAlive} (zero: none). */
    public GuardedHttpClient(UrlGuard guard, Duration connectTimeout, Duration readTimeout, SSLContext sslContext,
                             Duration keepAlive) {
        this.guard = guard;
        this.readTimeout = readTimeout;
        this.connector = new PinnedConnector(connectTimeout, readTimeout, sslContext);
        this.idle = new IdleConnections(keepAlive, System::nanoTime);
    }

    /** Closes the connections kept for reuse. */
    @Override
    public void close() {
        idle.close();
    }

    /** Connections kept for reuse now. */
    int idleConnections() {
        return idle.size();
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

    private static final Pattern DOTTED_DECIMAL = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern LEADING_ZERO = Pattern.compile(".*(^|\\.)0\\d.*");

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
        if (DOTTED_DECIMAL.matcher(host).matches() && !LEADING_ZERO.matcher(host).matches()) {
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
        Socket kept = idle.take(target);
        if (kept != null) {
            try {
                return exchange(request, target, deadline, kept, true);
            } catch (ClosedBeforeAnswer e) {
                // the server had closed the kept connection (its idle timeout) before answering: a new one
            }
        }
        return exchange(request, target, deadline, connector.connect(target, deadline), false);
    }

    /** A kept connection that the server closed before it sent a byte of the answer. */
    private static final class ClosedBeforeAnswer extends IOException {
        ClosedBeforeAnswer(IOException cause) {
            super(cause);
        }
    }

    private Response exchange(Request request, Target target, long deadline, Socket socket, boolean reused)
            throws IOException {
        try {
            ResponseBodies.DeadlineInputStream raw = new ResponseBodies.DeadlineInputStream(socket, deadline, readTimeout);
            BufferedInputStream in = new BufferedInputStream(raw, 16 * 1024);
            String statusLine;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(HttpWire.head(request, target, idle.enabled()));
                if (request.body() != null) {
                    out.write(request.body());
                }
                out.flush();
                statusLine = HttpWire.readLine(in);
            } catch (OutboundTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw reused && raw.received() == 0 ? new ClosedBeforeAnswer(e) : e;
            }
            int status;
            Map<String, List<String>> headers;
            while (true) {
                status = HttpWire.parseStatus(statusLine);
                headers = HttpWire.readHeaders(in);
                if (status >= 200 || status < 100) {
                    break;
                }
                statusLine = HttpWire.readLine(in);
            }
            if (status >= 300 && status < 400) {
                throw new RedirectRefusedException(status);
            }
            long length = HttpWire.contentLength(headers);
            if (length > request.maxBytes()) {
                throw new ResponseTooLargeException(request.maxBytes());
            }
            InputStream body;
            String transferEncoding = HttpWire.first(headers, "transfer-encoding").orElse("").toLowerCase(Locale.ROOT);
            if ("HEAD".equals(request.method()) || status == 204 || status == 304) {
                body = new ResponseBodies.Empty();
            } else if (transferEncoding.contains("chunked")) {
                body = new ResponseBodies.ChunkedInputStream(in);
            } else if (length >= 0) {
                body = new ResponseBodies.FixedLengthInputStream(in, length);
            } else {
                body = in;
            }
            boolean keep = idle.enabled() && statusLine.startsWith("HTTP/1.1") && body instanceof ResponseBodies.Framed
                    && HttpWire.first(headers, "connection").map(c -> !c.toLowerCase(Locale.ROOT).contains("close")).orElse(true);
            Runnable onClose = keep ? () -> keepOrClose((ResponseBodies.Framed) body, in, socket, target)
                    : () -> closeQuietly(socket);
            return new Response(status, headers, new ResponseBodies.LimitedInputStream(body, request.maxBytes()), onClose);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** Keeps the connection when its body ended (or its end is already here) and nothing beyond it arrived, else closes it. */
    private void keepOrClose(ResponseBodies.Framed body, InputStream connection, Socket socket, Target target) {
        boolean ended;
        try {
            ended = body.drainBuffered() && connection.available() == 0;
        } catch (IOException | RuntimeException e) {
            ended = false;
        }
        if (ended) {
            idle.offer(IdleConnections.Target.of(socket.getInetAddress(), target), socket);
        } else {
            closeQuietly(socket);
        }
    }

    static void closeQuietly(Closeable closeable) {
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

    /**
     * An answer; its body streams from the connection, which {@link #close()} closes, or keeps for the next request
     * when the exchange ended cleanly (see the class comment).
     */
    public static final class Response implements Closeable {

        private final int status;
        private final Map<String, List<String>> headers;
        private final InputStream body;
        private final Runnable onClose;
        private boolean closed;

        Response(int status, Map<String, List<String>> headers, InputStream body, Runnable onClose) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.onClose = onClose;
        }

        public int status() {
            return status;
        }

        /** First value of a header (name case-insensitive). */
        public Optional<String> header(String name) {
            return HttpWire.first(headers, name.toLowerCase(Locale.ROOT));
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
            if (!closed) {
                closed = true;
                onClose.run();
            }
        }
    }
}
