package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.webhook.core.AttemptResult;
import io.mediaplatform.callback.webhook.core.RetryAfter;
import io.mediaplatform.common.http.BlockedUrlException;
import io.mediaplatform.common.http.GuardedHttpClient;
import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.common.http.RedirectRefusedException;
import io.mediaplatform.common.http.UrlGuard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * POSTs a signed webhook and reads how it went as an {@link AttemptResult}. Every request goes through the
 * {@link GuardedHttpClient}: the host is normalised and resolved once, every address checked by the
 * {@link UrlGuard}, and the connection pinned to a checked address, so a DNS answer that changes between check and
 * connect (rebinding) cannot point a webhook at an internal address. Redirects are not followed (a 3xx is an
 * unsuccessful answer).
 */
final class WebhookHttp {

    private final GuardedHttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;

    WebhookHttp(GuardedHttpClient http, Duration requestTimeout, Clock clock) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    /** The result of an attempt to a URL the guard refuses, before anything is looked up for it; empty when allowed. */
    Optional<AttemptResult> refused(String url) {
        try {
            http.check(url);
            return Optional.empty();
        } catch (BlockedUrlException e) {
            return Optional.of(new AttemptResult.Blocked(e.getMessage()));
        }
    }

    /** One POST of the signed body (and its trace headers) to the URL. */
    AttemptResult post(String url, Map<String, String> headers, String body) throws InterruptedException {
        GuardedHttpClient.Request request = GuardedHttpClient.Request.post(url, headers,
                body.getBytes(StandardCharsets.UTF_8), Long.MAX_VALUE, requestTimeout);
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("webhook sender stopping");
        }
        // The URL is checked (resolved once) again inside send and the socket connects to one of exactly those
        // checked addresses; refused() only sorts a blocked URL out before the secrets are looked up.
        try (GuardedHttpClient.Response response = http.send(request)) {
            return new AttemptResult.Responded(response.status(),
                    RetryAfter.parse(response.header("Retry-After").orElse(null), clock.instant()));
        } catch (BlockedUrlException e) {
            return new AttemptResult.Blocked(e.getMessage());
        } catch (RedirectRefusedException e) {
            return new AttemptResult.Responded(e.status(), Optional.empty());
        } catch (OutboundTimeoutException e) {
            return new AttemptResult.Errored("timed out: " + e.getMessage());
        } catch (IOException e) {
            return new AttemptResult.Errored(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
