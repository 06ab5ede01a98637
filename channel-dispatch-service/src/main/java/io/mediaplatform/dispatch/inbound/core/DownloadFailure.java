package io.mediaplatform.dispatch.inbound.core;

import java.time.Duration;

/**
 * Why a customer's media could not be downloaded from its provider, classified so ingest can tell a failure that may
 * pass from one that will not: the endpoint answers it as a problem whose {@code reason} is {@link Cause#name()} and
 * whose {@code retryable} is {@link #retryable()} (ARCHITECTURE §9).
 *
 * @param cause      the class of failure
 * @param reason     text for the client (no secret, no URL, no internal detail)
 * @param retryAfter the provider's {@code Retry-After}, or null
 */
public record DownloadFailure(Cause cause, String reason, Duration retryAfter) {

    public DownloadFailure(Cause cause, String reason) {
        this(cause, reason, null);
    }

    /** Whether another attempt later may succeed. */
    public boolean retryable() {
        return cause.retryable;
    }

    /** The classes of failure (the names are the problem's {@code reason}, the same names ingest classifies with). */
    public enum Cause {
        /** The provider answered 5xx. */
        PROVIDER_ERROR(true),
        /** The provider answered 429 (or 408). */
        THROTTLED(true),
        /** Connect, read or total timeout. */
        TIMEOUT(true),
        /** The provider could not be reached, or broke the connection or the protocol. */
        CONNECTION(true),
        /**
         * The provider refused our credentials (401/403 on the WhatsApp resolve, on a Twilio or notification-API
         * download, or on a WhatsApp download with a fresh URL). Retryable on purpose: wrong credentials are an
         * operator's mistake (a rotated or expired token), not the customer's, and the provider keeps the media for
         * days (WhatsApp 30 days); giving up at once would lose every customer media sent while the secret is wrong,
         * whereas retrying with backoff until the give-up age fetches them all once the operator fixes it.
         */
        CREDENTIALS_REFUSED(true),
        /** The media no longer exists at the provider (404/410, after a fresh resolve for WhatsApp). */
        GONE(false),
        /** The media URL (or a redirect) points at a host that is not trusted for that provider. */
        UNTRUSTED_HOST(false),
        /** The provider answered something unusable (another 4xx, a resolve answer without a URL, no bytes). */
        BAD_ANSWER(false),
        /**
         * The provider has no base URL or credentials configured here. Retryable for the same reason as
         * {@link #CREDENTIALS_REFUSED}: the operator can still configure it, and the media is then fetched.
         */
        NOT_CONFIGURED(true);

        private final boolean retryable;

        Cause(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
