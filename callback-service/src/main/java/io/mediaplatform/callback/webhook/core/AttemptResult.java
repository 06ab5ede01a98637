package io.mediaplatform.callback.webhook.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How one webhook attempt ended. */
public sealed interface AttemptResult permits AttemptResult.Responded, AttemptResult.Errored, AttemptResult.Blocked {

    /**
     * The endpoint answered.
     *
     * @param statusCode HTTP status code
     * @param retryAfter the wait the endpoint asked for (Retry-After), if any
     */
    record Responded(int statusCode, Optional<Duration> retryAfter) implements AttemptResult {
        public Responded {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        public boolean successful() {
            return statusCode >= 200 && statusCode < 300;
        }
    }

    /**
     * No answer (connection refused, timeout, TLS error) or the request could not be made (no signing secret).
     *
     * @param error what went wrong, without secrets
     */
    record Errored(String error) implements AttemptResult {
    }

    /**
     * The URL guard refused the URL (scheme, credentials, non-public address): it will never be called.
     *
     * @param error why
     */
    record Blocked(String error) implements AttemptResult {
    }
}
