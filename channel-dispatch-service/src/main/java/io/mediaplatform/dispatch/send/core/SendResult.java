package io.mediaplatform.dispatch.send.core;

import java.time.Duration;
import java.util.Objects;

/** What a provider answered to a send: taken with its id, or refused. */
public sealed interface SendResult {

    /** The provider took the message. */
    record Sent(String providerMessageId) implements SendResult {
        public Sent {
            Objects.requireNonNull(providerMessageId, "providerMessageId");
        }
    }

    /**
     * The provider refused the message or could not be reached.
     *
     * @param code       the provider's error code (e.g. {@code 131026}) or a platform code in upper case
     *                   ({@code TIMEOUT}, {@code NETWORK_ERROR}, {@code CHANNEL_NOT_CONFIGURED})
     * @param message    human-readable detail
     * @param retryable  whether the same send may succeed later (5xx, 429, timeouts)
     * @param retryAfter how long the provider asked to wait ({@code Retry-After}), or null
     */
    record Failed(String code, String message, boolean retryable, Duration retryAfter) implements SendResult {
        public Failed {
            Objects.requireNonNull(code, "code");
        }

        public Failed(String code, String message, boolean retryable) {
            this(code, message, retryable, null);
        }
    }
}
