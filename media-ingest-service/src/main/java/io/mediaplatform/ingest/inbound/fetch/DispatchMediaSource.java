package io.mediaplatform.ingest.inbound.fetch;

import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.common.signing.InboundMediaSigner;
import io.mediaplatform.ingest.inbound.core.DownloadFailure;
import io.mediaplatform.ingest.inbound.core.DownloadFailure.Cause;
import io.mediaplatform.ingest.inbound.core.InboundMedia;
import io.mediaplatform.ingest.inbound.core.Provider;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one source of customers' media: channel-dispatch-service's {@code GET /v1/providers/{provider}/inbound-media}
 * (ARCHITECTURE §9). Dispatch downloads the media from the provider with its own credentials and streams it here; ingest
 * holds no provider credential. Each attempt is a new request signed with {@code LINK_SIGNING_KEY}
 * ({@link InboundMediaSigner}), valid {@value #SIGNATURE_TTL_SECONDS} s.
 *
 * <p>The client calls {@code DISPATCH_INTERNAL_URL} and nothing else: its resolver knows only that host, the URL
 * is built here (never taken from a record), and a redirect is not followed (an unusable answer). Timeouts: connect
 * ({@code OUTBOUND_CONNECT_TIMEOUT}), between bytes ({@code OUTBOUND_READ_TIMEOUT}) and one deadline for the whole
 * attempt ({@code INGEST_FETCH_TOTAL_TIMEOUT}), after which the exchange is aborted. No proxy from system properties,
 * no cookies, no automatic retries, no content decompression. URLs are never logged (they carry signatures).
 *
 * <p>Dispatch's answers map back to ingest's decisions: 200 is the body (with {@code X-Provider-Sha256} to check as
 * well); a problem's {@code reason} is the {@link Cause} when ingest knows it, else its {@code retryable} (or, without
 * one, the status) decides between a failure that may pass and one that cannot; its {@code detail} is the reason told
 * to the client, its {@code Retry-After} the provider's.
 */
public final class DispatchMediaSource implements Closeable {

    /** How long a signed request stays valid: it is made for one attempt, right before it is sent. */
    public static final long SIGNATURE_TTL_SECONDS = 60;
    /** Header of the SHA-256 the provider announced besides the webhook's (WhatsApp's lookup). */
    public static final String PROVIDER_SHA256_HEADER = "X-Provider-Sha256";

    private static final String NAME = "channel-dispatch-service";
    private static final String USER_AGENT = "media-platform-ingest/1.0";
    private static final int MAX_PROBLEM_BYTES = 64 * 1024;
    private static final int MAX_DETAIL = 500;

    private final URI base;
    private final HttpHost host;
    private final InboundMediaSigner signer;
    private final JsonMapper json;
    private final Clock clock;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;

    /**
     * @param dispatchUrl {@code DISPATCH_INTERNAL_URL}: dispatch's base URL inside the platform
     * @throws IllegalArgumentException when it is not an http(s) URL without user info, query or fragment
     */
    public DispatchMediaSource(String dispatchUrl, InboundMediaSigner signer, JsonMapper json, Duration connectTimeout,
                               Duration readTimeout, Clock clock) {
        URI uri;
        try {
            uri = URI.create(dispatchUrl == null ? "" : dispatchUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DISPATCH_INTERNAL_URL is not a URL: " + dispatchUrl);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("DISPATCH_INTERNAL_URL must be an http(s) URL without user info, query"
                    + " or fragment: " + dispatchUrl);
        }
        this.base = uri;
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        this.host = new HttpHost(scheme, uri.getHost(), port);
        this.signer = signer;
        this.json = json;
        this.clock = clock;
        String only = bare(uri.getHost());
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String name) throws UnknownHostException {
                if (!bare(name).equals(only)) {
                    throw new UnknownHostException("Only DISPATCH_INTERNAL_URL's host is called for customers' media");
                }
                return InetAddress.getAllByName(only);
            }

            @Override
            public String resolveCanonicalHostname(String name) {
                return name;
            }
        };
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setMaxConnTotal(32)
                        .setMaxConnPerRoute(32)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(Timeout.of(readTimeout))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(readTimeout))
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent(USER_AGENT)
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inbound-dispatch-deadlines");
            t.setDaemon(true);
            return t;
        });
    }

    /** The outcome of {@link #open}. */
    public sealed interface Opened {
    }

    /**
     * The bytes are on their way.
     *
     * @param response        the open 200 response (the caller closes it)
     * @param announcedSha256 SHA-256 values the provider announced besides the webhook's (WhatsApp's lookup)
     */
    public record Body(Response response, List<String> announcedSha256) implements Opened {
    }

    /** Nothing to download. */
    public record Failed(DownloadFailure failure) implements Opened {
    }

    /**
     * Asks dispatch for the media once.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which the whole attempt, body included, must be done
     */
    public Opened open(InboundMedia media, long deadlineNanos) {
        boolean whatsapp = media.provider() == Provider.WHATSAPP;
        String ref = whatsapp ? media.providerMediaId() : media.url();
        if (ref == null || ref.isBlank()) {
            return new Failed(new DownloadFailure(Cause.BAD_ANSWER, whatsapp
                    ? "WhatsApp gave no media id for the media" : "The provider gave no media URL"));
        }
        String provider = media.provider().wireName();
        String query = signer.query(provider, media.tenantId(), media.mediaId(), ref,
                clock.instant().plusSeconds(SIGNATURE_TTL_SECONDS));
        String path = (base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", ""))
                + "/v1/providers/" + provider + "/inbound-media";
        Response response;
        try {
            response = exchange(path + "?" + query, deadlineNanos);
        } catch (OutboundTimeoutException e) {
            return new Failed(new DownloadFailure(Cause.TIMEOUT, "The media download did not start in time"));
        } catch (IOException e) {
            return new Failed(new DownloadFailure(Cause.CONNECTION, NAME + " could not be reached or broke the connection"));
        }
        if (response.status() == 200) {
            List<String> announced = new ArrayList<>();
            response.header(PROVIDER_SHA256_HEADER).filter(v -> !v.isBlank()).ifPresent(announced::add);
            return new Body(response, announced);
        }
        try (response) {
            return new Failed(failure(response));
        }
    }

    /** The failure dispatch's non-200 answer stands for. */
    private DownloadFailure failure(Response response) {
        int status = response.status();
        JsonNode problem = null;
        if (response.header("Content-Type").map(t -> t.toLowerCase(Locale.ROOT).contains("json")).orElse(false)) {
            try {
                problem = json.readTree(response.readAll(MAX_PROBLEM_BYTES));
            } catch (IOException | JacksonException e) {
                problem = null;
            }
        }
        String reasonCode = text(problem, "reason");
        Boolean retryable = problem != null && problem.get("retryable") != null && problem.get("retryable").isBoolean()
                ? problem.get("retryable").asBoolean() : null;
        String detail = text(problem, "detail");
        Duration retryAfter = retryAfter(response.header("Retry-After").orElse(null));
        Cause cause = known(reasonCode);
        if (cause == null) {
            if (status == 401 || status == 403) {
                cause = Cause.CREDENTIALS_REFUSED;
                detail = NAME + " refused ingest's signed request (HTTP " + status + "): LINK_SIGNING_KEY must be the"
                        + " same in both services";
            } else if (retryable != null) {
                cause = retryable ? Cause.PROVIDER_ERROR : Cause.BAD_ANSWER;
            } else if (status == 429 || status == 408) {
                cause = Cause.THROTTLED;
            } else if (status >= 500 || status == 404) {
                // 404 without a reason: not the media being gone, but no such endpoint (a dispatch not yet upgraded)
                cause = Cause.PROVIDER_ERROR;
            } else {
                cause = Cause.BAD_ANSWER;
            }
        }
        String reason = detail == null || detail.isBlank() ? NAME + " answered HTTP " + status + " to the media download"
                : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        return new DownloadFailure(cause, reason, cause.retryable() ? retryAfter : null);
    }

    private static Cause known(String code) {
        if (code == null) {
            return null;
        }
        try {
            Cause cause = Cause.valueOf(code);
            // dispatch never measures the stored bytes: those two are ingest's own findings
            return cause == Cause.SHA256_MISMATCH || cause == Cause.TOO_LARGE ? null : cause;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.get(field) == null || !node.get(field).isString()) {
            return null;
        }
        String value = node.get(field).asString();
        return value.chars().anyMatch(Character::isISOControl) ? null : value;
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException ignored) {
            // maybe a date
        }
        try {
            Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private Response exchange(String pathAndQuery, long deadlineNanos) throws IOException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new OutboundTimeoutException("The download did not complete in time");
        }
        HttpGet get = new HttpGet(pathAndQuery);
        get.setHeader("Accept", "*/*");
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> abort = deadlines.schedule(() -> {
            expired.set(true);
            get.cancel();
        }, remaining, TimeUnit.NANOSECONDS);
        ClassicHttpResponse response;
        try {
            response = client.executeOpen(host, get, null);
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
            return new OutboundTimeoutException("The download did not answer in time");
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException("The request failed", e);
    }

    private static String bare(String name) {
        String h = name.toLowerCase(Locale.ROOT);
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

    @Override
    public String toString() {
        return "DispatchMediaSource[" + base + "]";
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

        byte[] readAll(int max) throws IOException {
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
