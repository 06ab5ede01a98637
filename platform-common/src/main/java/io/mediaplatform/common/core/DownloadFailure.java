package io.mediaplatform.common.core;

import java.time.Duration;

/**
 * Why a customer's media could not be downloaded, classified so that a failure that may pass can be told from one
 * that will not (ARCHITECTURE §9): the one list both sides of dispatch's inbound-media endpoint speak. Dispatch answers
 * a provider-side cause as a problem whose {@code reason} is {@link Cause#name()} and whose {@code retryable} is
 * {@link #retryable()}; ingest reads it back by the same names, and adds SHA-256 mismatch and size, its own findings
 * on the bytes (dispatch never names those two).
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

    /** The classes of failure (the names are the problem's {@code reason}). */
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
         * The provider refused dispatch's credentials (401/403 on the WhatsApp resolve, on a Twilio or
         * notification-API download, or on a WhatsApp download with a fresh URL), or dispatch refused ingest's
         * signed request (the services do not share {@code LINK_SIGNING_KEY}). Retryable on purpose: wrong credentials are an
         * operator's mistake (a rotated or expired token), not the customer's, and the provider keeps the media for
         * days (WhatsApp 30 days); giving up at once would lose every customer media sent while the secret is wrong,
         * whereas retrying with backoff until the give-up age fetches them all once the operator fixes it. The cost
         * is a few refused calls per media on the backoff schedule.
         */
        CREDENTIALS_REFUSED(true),
        /** The media no longer exists at the provider (404/410, after a fresh resolve for WhatsApp). */
        GONE(false),
        /** The bytes do not have the SHA-256 the provider announced. */
        SHA256_MISMATCH(false),
        /** Larger than {@code INBOUND_MAX_SIZE}. */
        TOO_LARGE(false),
        /** The media URL (or a redirect) points at a host that is not trusted for that provider. */
        UNTRUSTED_HOST(false),
        /** The provider answered something unusable (another 4xx, a resolve answer without a URL, no bytes). */
        BAD_ANSWER(false),
        /**
         * The provider has no base URL or credentials configured in channel-dispatch-service. Retryable for the same reason as
         * {@link #CREDENTIALS_REFUSED}: the operator can still configure it, and the media is then fetched.
         */
        NOT_CONFIGURED(true);

        private final boolean retryable;

        Cause(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether a failure of this class may pass. */
        public boolean retryable() {
            return retryable;
        }
    }
}
