package io.mediaplatform.ingest.inbound.fetch;

import io.mediaplatform.common.http.DeadlineHttp;
import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.common.signing.InboundMediaSigner;
import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.ingest.inbound.core.DispatchRefusal;
import io.mediaplatform.common.core.DownloadFailure.Cause;
import io.mediaplatform.ingest.inbound.core.InboundMedia;
import io.mediaplatform.ingest.inbound.core.Provider;
import org.apache.hc.core5.http.Header;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * to the client, its {@code Retry-After} the provider's ({@link DispatchRefusal}). The client is
 * platform-common's {@link DeadlineHttp}, resolving that one host.
 */
public final class DispatchMediaSource implements Closeable {

    /** How long a signed request stays valid: it is made for one attempt, right before it is sent. */
    public static final long SIGNATURE_TTL_SECONDS = 60;
    /** Header of the SHA-256 the provider announced besides the webhook's (WhatsApp's lookup). */
    public static final String PROVIDER_SHA256_HEADER = "X-Provider-Sha256";

    private static final String USER_AGENT = "media-platform-ingest/1.0";
    private static final int MAX_PROBLEM_BYTES = 64 * 1024;

    private final URI base;
    private final InboundMediaSigner signer;
    private final JsonMapper json;
    private final Clock clock;
    private final DeadlineHttp http;

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
        this.signer = signer;
        this.json = json;
        this.clock = clock;
        this.http = new DeadlineHttp(new DeadlineHttp.Options("inbound-dispatch", Set.of(uri.getHost()),
                "Only DISPATCH_INTERNAL_URL's host is called for customers' media", "The download did not answer in time",
                USER_AGENT, 32, 32, connectTimeout, readTimeout));
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
            return new Failed(new DownloadFailure(Cause.CONNECTION, DispatchRefusal.NAME + " could not be reached or broke the connection"));
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
        Boolean retryable = problem != null && problem.get("retryable") != null && problem.get("retryable").isBoolean()
                ? problem.get("retryable").asBoolean() : null;
        return DispatchRefusal.failure(status, text(problem, "reason"), retryable, text(problem, "detail"),
                DispatchRefusal.retryAfter(response.header("Retry-After").orElse(null)));
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.get(field) == null || !node.get(field).isString()) {
            return null;
        }
        String value = node.get(field).asString();
        return value.chars().anyMatch(Character::isISOControl) ? null : value;
    }

    private Response exchange(String pathAndQuery, long deadlineNanos) throws IOException {
        return new Response(http.get(URI.create(base.getScheme() + "://" + base.getRawAuthority() + pathAndQuery),
                Map.of(), deadlineNanos));
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    @Override
    public String toString() {
        return "DispatchMediaSource[" + base + "]";
    }

    /** An answer; its body streams from the connection until {@link #close()}. */
    public static final class Response extends DeadlineHttp.Answer {
        Response(DeadlineHttp.Answer answer) {
            super(answer);
        }
    }
}
