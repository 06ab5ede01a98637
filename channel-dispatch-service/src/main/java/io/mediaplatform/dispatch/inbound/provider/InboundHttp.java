package io.mediaplatform.dispatch.inbound.provider;

import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.dispatch.inbound.core.TrustedHosts;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP client dispatch downloads customers' media from the providers with (for ingest, through
 * {@code GET /v1/providers/{provider}/inbound-media}).
 *
 * <p>Why not platform-common's {@code GuardedHttpClient}: it can be made to accept the trusted hosts (its
 * {@code UrlGuard} takes an allow-list, and the trusted-host rule could be checked before each call), but it refuses
 * every redirect without telling where it pointed, and a Twilio media URL answers a redirect to Twilio's CDN
 * ({@code media.twiliocdn.com}) that must be followed. So this client is Apache HttpClient 5 (already on the
 * classpath through the AWS SDK) configured to the same guarantees:
 * <ul>
 *   <li><b>Trusted origins only</b>: every request, the first and each redirect hop, is checked with the provider's
 *   {@link TrustedHosts} before anything is sent; an untrusted URL fails with {@link UntrustedUrlException} and never
 *   sees a credential. As a second lock, the client's own DNS resolver only resolves the trusted host names of all
 *   providers, so no code path can connect anywhere else ({@link TrustedHostClient} builds it).</li>
 *   <li><b>Pinned</b>: the host is resolved once, by that resolver, for the connection; the socket connects to
 *   exactly those addresses (no second lookup a rebinding DNS could answer differently); TLS keeps SNI and host-name
 *   verification on the URL's host.</li>
 *   <li><b>Redirects</b> are never followed by the library: {@link #get} follows them itself, only to a trusted
 *   origin, and drops the credentials when the origin changes ({@link TrustedHosts#redirect}).</li>
 *   <li><b>Timeouts</b>: connect ({@code OUTBOUND_CONNECT_TIMEOUT}), between bytes ({@code OUTBOUND_READ_TIMEOUT}),
 *   and one deadline for the whole download ({@code INBOUND_MEDIA_TIMEOUT}), after which the exchange is
 *   aborted, so a provider trickling bytes is cut off ({@link OutboundTimeoutException}).</li>
 *   <li>No proxy from system properties, no cookies, no automatic retries, no content decompression, no auth cache.
 *   URLs and headers are never logged (they carry signatures and credentials).</li>
 * </ul>
 */
public final class InboundHttp implements Closeable {


    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;

    /**
     * @param resolvableHosts the only host names the client resolves (every provider's trusted hosts)
     */
    public InboundHttp(Set<String> resolvableHosts, Duration connectTimeout, Duration readTimeout) {
        this.client = TrustedHostClient.build(resolvableHosts, connectTimeout, readTimeout);
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inbound-http-deadlines");
            t.setDaemon(true);
            return t;
        });
    }

    /** A request's credentials: header name to value; never logged. */
    public record Credentials(Map<String, String> headers) {
        public static final Credentials NONE = new Credentials(Map.of());

        public static Credentials bearer(String token) {
            return new Credentials(Map.of("Authorization", "Bearer " + token));
        }

        public static Credentials header(String name, String value) {
            return new Credentials(Map.of(name, value));
        }

        @Override
        public String toString() {
            return "Credentials[***]";
        }
    }

    /**
     * GETs {@code url} with the credentials, following redirects to trusted origins (credentials kept only on the same
     * origin). The caller must close the answer.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which the whole exchange, body included, must be done
     * @throws UntrustedUrlException   the URL or a redirect points at an untrusted origin (nothing sent there)
     * @throws OutboundTimeoutException connect, read or total timeout
     * @throws IOException             any other network or protocol failure
     */
    public Response get(TrustedHosts trusted, String url, Credentials credentials, long deadlineNanos) throws IOException {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UntrustedUrlException("The media URL is not a valid URL");
        }
        if (!trusted.trusts(uri)) {
            throw new UntrustedUrlException("The media URL is on a host that is not trusted for the provider ("
                    + (uri.getHost() == null ? "?" : uri.getHost().toLowerCase(Locale.ROOT)) + ")");
        }
        boolean withCredentials = true;
        for (int hops = 0; ; hops++) {
            Response response = exchange(uri, withCredentials ? credentials : Credentials.NONE, deadlineNanos);
            if (response.status() < 300 || response.status() >= 400 || response.status() == 304) {
                return response;
            }
            String location = response.header("Location").orElse(null);
            response.close();
            switch (trusted.redirect(uri, location, hops)) {
                case TrustedHosts.Redirect.Refuse refuse -> throw new UntrustedUrlException(refuse.reason());
                case TrustedHosts.Redirect.Follow follow -> {
                    withCredentials = withCredentials && follow.keepCredentials();
                    uri = follow.uri();
                }
            }
        }
    }

    private Response exchange(URI uri, Credentials credentials, long deadlineNanos) throws IOException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new OutboundTimeoutException("The download did not complete in time");
        }
        HttpGet get = new HttpGet(uri);
        get.setHeader("Accept", "*/*");
        credentials.headers().forEach((name, value) -> {
            if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new IllegalArgumentException("Invalid credential value");
            }
            get.setHeader(name, value);
        });
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> abort = deadlines.schedule(() -> {
            expired.set(true);
            get.cancel();
        }, remaining, TimeUnit.NANOSECONDS);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        ClassicHttpResponse response;
        try {
            response = client.executeOpen(new HttpHost(uri.getScheme().toLowerCase(Locale.ROOT), uri.getHost(), port), get, null);
        } catch (IOException | RuntimeException e) {
            abort.cancel(false);
            throw translate(e, expired);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
            headers.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
        }
        HttpEntity entity = response.getEntity();
        InputStream body = entity == null ? InputStream.nullInputStream() : entity.getContent();
        return new Response(response.getCode(), headers, new GuardedBody(body, expired), response, abort);
    }

    private static IOException translate(Exception e, AtomicBoolean expired) {
        if (expired.get()) {
            return new OutboundTimeoutException("The download did not complete in time");
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return new OutboundTimeoutException("The provider did not answer in time");
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException("The request failed", e);
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }

    /** An answer; its body streams from the connection until {@link #close()}. */
    public static final class Response implements Closeable {
        private final int status;
        private final Map<String, String> headers;
        private final InputStream body;
        private final ClassicHttpResponse response;
        private final ScheduledFuture<?> abort;

        Response(int status, Map<String, String> headers, InputStream body, ClassicHttpResponse response,
                 ScheduledFuture<?> abort) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.response = response;
            this.abort = abort;
        }

        public int status() {
            return status;
        }

        /** First value of a header (name case-insensitive). */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /** {@code Content-Length}, or -1. */
        public long contentLength() {
            try {
                return header("Content-Length").map(String::trim).map(Long::parseLong).orElse(-1L);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** The body; a read past the deadline throws {@link OutboundTimeoutException}. */
        public InputStream body() {
            return body;
        }

        /** Reads at most {@code max} bytes of the body (more is an error). */
        public byte[] readAll(int max) throws IOException {
            byte[] bytes = body.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new IOException("The answer is larger than " + max + " bytes");
            }
            return bytes;
        }

        @Override
        public void close() {
            abort.cancel(false);
            try {
                response.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    /** Turns the failures of an aborted or stalled exchange into {@link OutboundTimeoutException}. */
    private static final class GuardedBody extends FilterInputStream {
        private final AtomicBoolean expired;

        GuardedBody(InputStream in, AtomicBoolean expired) {
            super(in);
            this.expired = expired;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                throw translate(e, expired);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw translate(e, expired);
            }
        }
    }
}
