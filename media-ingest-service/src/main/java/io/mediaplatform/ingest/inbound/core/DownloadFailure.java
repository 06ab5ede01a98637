package io.mediaplatform.ingest.inbound.core;

import java.time.Duration;

/**
 * Why one download attempt stored nothing, classified so {@link FetchPolicy} can tell a failure that may pass
 * from one that will not. The provider-side causes come from channel-dispatch-service, which downloads the media from
 * the provider and names the cause in its problem's {@code reason} (the same names); SHA-256 mismatch and size are
 * ingest's own findings on the bytes.
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

    /** The classes of failure. */
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
