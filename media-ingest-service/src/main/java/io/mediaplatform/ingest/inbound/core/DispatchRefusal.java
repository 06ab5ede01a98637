package io.mediaplatform.ingest.inbound.core;

import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.common.core.RetryAfter;
import io.mediaplatform.common.core.DownloadFailure.Cause;

import java.time.Duration;

/**
 * What channel-dispatch-service's non-200 answer to a media download stands for (ARCHITECTURE §9): its problem's
 * {@code reason} is the {@link Cause} when ingest knows it (never SHA256_MISMATCH or TOO_LARGE, ingest's own findings),
 * else its {@code retryable} (or, without one, the status) decides between a failure that may pass and one that
 * cannot; its {@code detail} is the reason told to the client, its {@code Retry-After} the provider's.
 */
public final class DispatchRefusal {

    /** How dispatch is named in the reasons. */
    public static final String NAME = "channel-dispatch-service";

    private static final int MAX_DETAIL = 500;

    private DispatchRefusal() {
    }

    /**
     * The failure of an answer.
     *
     * @param status     the HTTP status (not 200)
     * @param reasonCode the problem's {@code reason}, or null
     * @param retryable  the problem's {@code retryable}, or null
     * @param detail     the problem's {@code detail}, or null
     * @param retryAfter the answer's {@code Retry-After}, or null
     */
    public static DownloadFailure failure(int status, String reasonCode, Boolean retryable, String detail,
                                          Duration retryAfter) {
        Cause cause = known(reasonCode);
        if (cause == null) {
            if (status == 401 || status == 403) {
                cause = Cause.CREDENTIALS_REFUSED;
                detail = NAME + " refused ingest's signed request (HTTP " + status + "): LINK_SIGNING_KEY must be the"
                        + " same in both services";
            } else if (retryable != null) {
                cause = retryable ? Cause.PROVIDER_ERROR : Cause.BAD_ANSWER;
            } else if (status == 429 || status == 408) {
                cause = Cause.THROTTLED;
            } else if (status >= 500 || status == 404) {
                // 404 without a reason: not the media being gone, but no such endpoint (a dispatch not yet upgraded)
                cause = Cause.PROVIDER_ERROR;
            } else {
                cause = Cause.BAD_ANSWER;
            }
        }
        String reason = detail == null || detail.isBlank() ? NAME + " answered HTTP " + status + " to the media download"
                : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        return new DownloadFailure(cause, reason, cause.retryable() ? retryAfter : null);
    }

    private static Cause known(String code) {
        if (code == null) {
            return null;
        }
        try {
            Cause cause = Cause.valueOf(code);
            // dispatch never measures the stored bytes: those two are ingest's own findings
            return cause == Cause.SHA256_MISMATCH || cause == Cause.TOO_LARGE ? null : cause;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(String value) {
        return RetryAfter.parse(value);
    }
}
