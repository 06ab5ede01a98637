package io.mediaplatform.dispatch.inbound.provider;

import io.mediaplatform.common.http.DeadlineHttp;
import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.dispatch.inbound.core.TrustedHosts;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 *   providers, so no code path can connect anywhere else.</li>
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
 * The resolver, deadline and streamed answer are platform-common's {@link DeadlineHttp} (ingest's client of dispatch
 * is the same); this class adds the trusted-host checks and the redirects.
 */
public final class InboundHttp implements Closeable {

    private static final String USER_AGENT = "media-platform/1.0";

    private final DeadlineHttp http;

    /**
     * @param resolvableHosts the only host names the client resolves (every provider's trusted hosts)
     */
    public InboundHttp(Set<String> resolvableHosts, Duration connectTimeout, Duration readTimeout) {
        this.http = new DeadlineHttp(new DeadlineHttp.Options("inbound-http", resolvableHosts,
                "The host is not trusted for provider media", "The provider did not answer in time", USER_AGENT, 64, 16,
                connectTimeout, readTimeout));
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
        return new Response(http.get(uri, credentials.headers(), deadlineNanos));
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** An answer; its body streams from the connection until {@link #close()}. */
    public static final class Response extends DeadlineHttp.Answer {
        Response(DeadlineHttp.Answer answer) {
            super(answer);
        }
    }
}
