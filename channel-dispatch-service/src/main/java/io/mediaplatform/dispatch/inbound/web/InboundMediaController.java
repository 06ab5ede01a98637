package io.mediaplatform.dispatch.inbound.web;

import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.common.signing.InboundMediaSigner;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.dispatch.inbound.core.InboundProvider;
import io.mediaplatform.dispatch.inbound.core.MediaRequest;
import io.mediaplatform.dispatch.inbound.provider.InboundHttp;
import io.mediaplatform.dispatch.inbound.provider.MediaSource;
import io.mediaplatform.dispatch.inbound.provider.ProviderMedia;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /v1/providers/{provider}/inbound-media}: a customer's media, downloaded from its provider with
 * dispatch's own credentials and streamed to the caller (ingest) as it arrives, never held whole (ARCHITECTURE §9). The
 * provider credentials stay with the connector that owns them; ingest only signs its request
 * ({@link InboundMediaSigner}, {@code LINK_SIGNING_KEY}). Public path (no API key): the signature is the
 * authentication.
 *
 * <ul>
 *   <li>200: the bytes, with the provider's {@code Content-Type}, {@code Content-Length} when it gave one, and
 *   {@code X-Provider-Sha256} when the provider announced a SHA-256 with its lookup (WhatsApp).</li>
 *   <li>401: missing or wrong signature, or expired; 404 {@code unknown-provider}.</li>
 *   <li>A download failure is a problem with {@code reason} ({@link DownloadFailure.Cause}) and {@code retryable}:
 *   404 GONE; 422 UNTRUSTED_HOST / BAD_ANSWER; 502 (retryable, the provider's {@code Retry-After} passed on) for
 *   PROVIDER_ERROR, THROTTLED, TIMEOUT, CONNECTION, CREDENTIALS_REFUSED; 503 (retryable) NOT_CONFIGURED.</li>
 *   <li>A provider breaking off once bytes are on their way: the connection to the caller is closed as well (never a
 *   complete-looking short body).</li>
 * </ul>
 */
@RestController
public class InboundMediaController {

    /** Header carrying the SHA-256 the provider announced for the media (WhatsApp's lookup), hex as given. */
    public static final String PROVIDER_SHA256_HEADER = "X-Provider-Sha256";

    private static final Logger log = LoggerFactory.getLogger(InboundMediaController.class);
    private static final int CHUNK = 64 * 1024;

    private final ProviderMedia media;
    private final InboundMediaSigner signer;
    private final Clock clock;
    private final MeterRegistry meters;

    public InboundMediaController(ProviderMedia media, InboundMediaSigner signer, Clock dispatchClock,
                                  ObjectProvider<MeterRegistry> meters) {
        this.media = media;
        this.signer = signer;
        this.clock = dispatchClock;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
    }

    /** {@code dispatch.inbound.downloads}: customers' media fetched from a provider, by provider, outcome, reason. */
    private void downloaded(MediaRequest request, String outcome, String reason) {
        meters.counter("dispatch.inbound.downloads", "provider", request.provider().wireName(), "outcome", outcome,
                "reason", reason).increment();
    }

    @GetMapping("/v1/providers/{provider}/inbound-media")
    public void download(@PathVariable("provider") String providerName,
                         @RequestParam(name = "tenant", required = false) String tenant,
                         @RequestParam(name = "mediaId", required = false) String mediaId,
                         @RequestParam(name = "ref", required = false) String ref,
                         @RequestParam(name = "expires", required = false) String expires,
                         @RequestParam(name = "signature", required = false) String signature,
                         HttpServletResponse response) throws IOException {
        InboundProvider provider = InboundProvider.of(providerName).orElseThrow(() -> new ProblemException(
                HttpStatus.NOT_FOUND, "unknown-provider", "Unknown provider",
                "No provider of that name: whatsapp, twilio or notify"));
        switch (signer.verify(provider.wireName(), tenant, mediaId, ref, expires, signature, clock.instant())) {
            case BAD_SIGNATURE -> throw ProblemException.unauthorized(
                    "Missing or invalid signature of the inbound-media request").with("reason", "BAD_SIGNATURE");
            case EXPIRED -> throw ProblemException.unauthorized("The signed inbound-media request has expired")
                    .with("reason", "EXPIRED_SIGNATURE");
            case VALID -> {
                // go on
            }
        }
        MediaRequest request = new MediaRequest(provider, tenant, mediaId, ref);
        switch (media.open(request)) {
            case MediaSource.Failed failed -> {
                downloaded(request, "failed", failed.failure().cause().name());
                throw problem(request, failed.failure());
            }
            case MediaSource.Body body -> {
                try (InboundHttp.Response answer = body.response()) {
                    stream(request, answer, body.providerSha256(), response);
                }
            }
        }
    }

    private void stream(MediaRequest request, InboundHttp.Response answer, String providerSha256,
                        HttpServletResponse response) throws IOException {
        response.setStatus(HttpStatus.OK.value());
        header(answer.header(HttpHeaders.CONTENT_TYPE)).ifPresent(response::setContentType);
        if (answer.contentLength() >= 0) {
            response.setContentLengthLong(answer.contentLength());
        }
        header(Optional.ofNullable(providerSha256)).ifPresent(sha -> response.setHeader(PROVIDER_SHA256_HEADER, sha));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        InputStream in = answer.body();
        OutputStream out = response.getOutputStream();
        byte[] buffer = new byte[CHUNK];
        long sent = 0;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                if (!response.isCommitted()) {
                    // nothing has gone out yet: the failure can still be told
                    response.reset();
                    downloaded(request, "failed", e instanceof OutboundTimeoutException ? "TIMEOUT" : "CONNECTION");
                    throw problem(request, new DownloadFailure(e instanceof OutboundTimeoutException
                            ? DownloadFailure.Cause.TIMEOUT : DownloadFailure.Cause.CONNECTION,
                            request.provider().displayName() + (e instanceof OutboundTimeoutException
                                    ? " did not send the media in time" : " broke off the media download")));
                }
                log.warn("Inbound media download broken off by the provider after {} bytes tenant={} mediaId={}"
                        + " provider={}: closing the answer", sent, request.tenantId(), request.mediaId(),
                        request.provider().wireName());
                downloaded(request, "failed", "BROKEN_OFF");
                throw new ProviderBrokeOffException(e instanceof OutboundTimeoutException
                        ? "The provider did not send the media in time" : "The provider broke off the media download");
            }
            if (n < 0) {
                break;
            }
            try {
                out.write(buffer, 0, n);
                if (nothingBuffered(in)) {
                    // the next read may wait for the provider: what it sent so far goes out now, not then
                    out.flush();
                }
            } catch (IOException e) {
                log.info("Inbound media download abandoned by the caller after {} bytes tenant={} mediaId={} provider={}",
                        sent, request.tenantId(), request.mediaId(), request.provider().wireName());
                return;
            }
            sent += n;
        }
        try {
            out.flush();
        } catch (IOException e) {
            log.info("Inbound media download abandoned by the caller at its end tenant={} mediaId={} provider={}",
                    request.tenantId(), request.mediaId(), request.provider().wireName());
            return;
        }
        log.info("Inbound media served tenant={} mediaId={} provider={} size={}", request.tenantId(), request.mediaId(),
                request.provider().wireName(), sent);
        downloaded(request, "served", "none");
    }

    private static boolean nothingBuffered(InputStream in) {
        try {
            return in.available() <= 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** The problem for a download failure: {@code reason} and {@code retryable} for ingest's decision. */
    static ProblemException problem(MediaRequest request, DownloadFailure failure) {
        DownloadFailure.Cause cause = failure.cause();
        ProblemException problem = switch (cause) {
            case GONE -> new ProblemException(HttpStatus.NOT_FOUND, "media-gone", "Media gone", failure.reason());
            // SHA256_MISMATCH and TOO_LARGE are ingest's findings on stored bytes; dispatch never makes them
            case UNTRUSTED_HOST, BAD_ANSWER, SHA256_MISMATCH, TOO_LARGE -> new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "media-unusable",
                    "Media cannot be downloaded", failure.reason());
            case NOT_CONFIGURED -> new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "provider-not-configured",
                    "Provider not configured", failure.reason());
            case PROVIDER_ERROR, THROTTLED, TIMEOUT, CONNECTION, CREDENTIALS_REFUSED -> new ProblemException(
                    HttpStatus.BAD_GATEWAY, "provider-failed", "Provider download failed", failure.reason());
        };
        problem.with("reason", cause.name()).with("retryable", failure.retryable());
        Duration retryAfter = failure.retryAfter();
        if (retryAfter != null && failure.retryable()) {
            long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
            problem.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(0, seconds)));
        }
        if (cause == DownloadFailure.Cause.CREDENTIALS_REFUSED || cause == DownloadFailure.Cause.NOT_CONFIGURED) {
            log.warn("Inbound media of {} cannot be downloaded: {} (check the provider's credentials) tenant={} mediaId={}",
                    request.provider().wireName(), cause, request.tenantId(), request.mediaId());
        } else {
            log.info("Inbound media download failed tenant={} mediaId={} provider={} cause={}", request.tenantId(),
                    request.mediaId(), request.provider().wireName(), cause);
        }
        return problem;
    }

    private static Optional<String> header(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty() && v.chars().noneMatch(Character::isISOControl));
    }

    /** The provider stopped sending once the answer was under way: the container closes the connection. */
    static final class ProviderBrokeOffException extends IOException {
        ProviderBrokeOffException(String message) {
            super(message);
        }
    }
}
