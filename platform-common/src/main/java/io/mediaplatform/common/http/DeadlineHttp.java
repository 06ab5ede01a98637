package io.mediaplatform.common.http;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
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
import java.util.stream.Collectors;

/**
 * Streaming GETs on Apache HttpClient 5 with one deadline for the whole exchange, body included: the client behind
 * ingest's fetch of customers' media from dispatch and dispatch's downloads from the providers (ARCHITECTURE §9). Its
 * own DNS resolver resolves only the host names it is given (so no code path connects anywhere else, and each
 * connection is pinned to the addresses resolved once); it follows no redirect (the caller decides), uses no proxy from
 * system properties, no cookie, no automatic retry, no auth cache and no content decompression. Connect and
 * between-bytes timeouts as configured; past the deadline the exchange is aborted, and a read of an aborted or stalled
 * body throws {@link OutboundTimeoutException}. URLs and headers are never logged. Needs httpclient5 on the classpath
 * (an optional dependency of platform-common).
 */
public final class DeadlineHttp implements Closeable {

    /**
     * How a client is set up.
     *
     * @param name            names the deadline thread ({@code <name>-deadlines})
     * @param resolvableHosts the only host names the resolver resolves
     * @param refusal         the message of the {@link UnknownHostException} for any other name
     * @param stalled         the message of the timeout when a read stalls (the peer, named for the log)
     * @param userAgent       the {@code User-Agent}
     */
    public record Options(String name, Set<String> resolvableHosts, String refusal, String stalled, String userAgent,
                          int maxConnections, int maxConnectionsPerRoute, Duration connectTimeout,
                          Duration readTimeout) {
    }

    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;
    private final String stalled;

    public DeadlineHttp(Options options) {
        Set<String> hosts = options.resolvableHosts().stream().map(DeadlineHttp::bare)
                .collect(Collectors.toUnmodifiableSet());
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String name) throws UnknownHostException {
                String h = bare(name);
                if (!hosts.contains(h)) {
                    throw new UnknownHostException(options.refusal());
                }
                return InetAddress.getAllByName(h);
            }

            @Override
            public String resolveCanonicalHostname(String name) {
                return name;
            }
        };
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setMaxConnTotal(options.maxConnections())
                        .setMaxConnPerRoute(options.maxConnectionsPerRoute())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(options.connectTimeout()))
                                .setSocketTimeout(Timeout.of(options.readTimeout()))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(options.readTimeout()))
                        .setConnectionRequestTimeout(Timeout.of(options.connectTimeout()))
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent(options.userAgent())
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, options.name() + "-deadlines");
            t.setDaemon(true);
            return t;
        });
        this.stalled = options.stalled();
    }

    /**
     * GETs {@code uri} once with {@code headers} (no CR or LF in a value); the caller closes the answer.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which the whole exchange, body included, must be done
     * @throws OutboundTimeoutException connect, read or total timeout
     * @throws IOException             any other network or protocol failure
     */
    public Answer get(URI uri, Map<String, String> headers, long deadlineNanos) throws IOException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new OutboundTimeoutException("The download did not complete in time");
        }
        HttpGet get = new HttpGet(uri);
        get.setHeader("Accept", "*/*");
        headers.forEach((name, value) -> {
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
            response = client.executeOpen(new HttpHost(uri.getScheme().toLowerCase(Locale.ROOT), uri.getHost(), port),
                    get, null);
        } catch (IOException | RuntimeException e) {
            abort.cancel(false);
            throw translate(e, expired);
        }
        Map<String, String> answerHeaders = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
            answerHeaders.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
        }
        HttpEntity entity = response.getEntity();
        InputStream body = entity == null ? InputStream.nullInputStream() : entity.getContent();
        return new Answer(response.getCode(), answerHeaders, new GuardedBody(body, expired), response, abort);
    }

    private IOException translate(Exception e, AtomicBoolean expired) {
        if (expired.get()) {
            return new OutboundTimeoutException("The download did not complete in time");
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return new OutboundTimeoutException(stalled);
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException("The request failed", e);
    }

    /** A host name lower-case, without IPv6 brackets or a trailing dot. */
    public static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }

    /** An answer; its body streams from the connection until {@link #close()}. */
    public static class Answer implements Closeable {
        private final int status;
        private final Map<String, String> headers;
        private final InputStream body;
        private final ClassicHttpResponse response;
        private final ScheduledFuture<?> abort;

        Answer(int status, Map<String, String> headers, InputStream body, ClassicHttpResponse response,
               ScheduledFuture<?> abort) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.response = response;
            this.abort = abort;
        }

        /** The same answer, for a caller's own type of it. */
        protected Answer(Answer answer) {
            this(answer.status, answer.headers, answer.body, answer.response, answer.abort);
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
    private final class GuardedBody extends FilterInputStream {
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
