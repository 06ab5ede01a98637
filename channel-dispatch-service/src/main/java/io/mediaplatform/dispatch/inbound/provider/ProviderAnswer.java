package io.mediaplatform.dispatch.inbound.provider;

import io.mediaplatform.common.core.RetryAfter;
import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.common.core.DownloadFailure.Cause;

import java.io.IOException;
import java.time.Duration;

/** Classifies what a provider answered (or why it could not answer) into a {@link DownloadFailure}. */
final class ProviderAnswer {

    private ProviderAnswer() {
    }

    /**
     * The failure for a non-2xx status.
     *
     * @param provider name shown to the client ("WhatsApp", "Twilio", "The notification API")
     * @param what     what was asked ("the media download", "the media lookup")
     */
    static DownloadFailure status(String provider, String what, InboundHttp.Response response) {
        int status = response.status();
        String text = provider + " answered HTTP " + status + " to " + what;
        if (status == 429 || status == 408) {
            return new DownloadFailure(Cause.THROTTLED, text, retryAfter(response.header("Retry-After").orElse(null)));
        }
        if (status >= 500) {
            return new DownloadFailure(Cause.PROVIDER_ERROR, text, retryAfter(response.header("Retry-After").orElse(null)));
        }
        if (status == 404 || status == 410) {
            return new DownloadFailure(Cause.GONE, "The media is no longer available at " + provider + " (HTTP " + status
                    + " to " + what + ")");
        }
        if (status == 401 || status == 403) {
            return new DownloadFailure(Cause.CREDENTIALS_REFUSED, text + ": the platform's " + provider
                    + " credentials were refused");
        }
        return new DownloadFailure(Cause.BAD_ANSWER, text);
    }

    /** The failure for a transport error. */
    static DownloadFailure transport(String provider, IOException e) {
        return switch (e) {
            case UntrustedUrlException u -> new DownloadFailure(Cause.UNTRUSTED_HOST, u.getMessage());
            case OutboundTimeoutException t -> new DownloadFailure(Cause.TIMEOUT, provider + " did not answer in time");
            default -> new DownloadFailure(Cause.CONNECTION, provider + " could not be reached or broke the connection");
        };
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        return RetryAfter.parse(value);
    }
}
