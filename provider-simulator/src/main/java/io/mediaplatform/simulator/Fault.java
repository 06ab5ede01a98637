package io.mediaplatform.simulator;

import java.time.Duration;

/**
 * A fault the simulator answers the next send with, whatever its recipient, to test a connector's
 * resilience (queue them with {@link WhatsAppSimulator#failNext(Fault...)}). How a customer's media misbehaves when
 * the platform fetches it (inbound media) is a {@link MediaFaults} instead.
 *
 * @param httpStatus    status to answer; 0 means answer normally (after {@code delay})
 * @param graphCode     Graph API error code in the error body
 * @param message       error message in the error body
 * @param retryAfter    value of a {@code Retry-After} header, or null for none
 * @param delay         how long to hold the answer back (a slow provider; lets a client time out)
 */
public record Fault(int httpStatus, int graphCode, String message, Duration retryAfter, Duration delay) {

    /** A 500 with Graph code 2 ("Service temporarily unavailable"). */
    public static Fault serverError() {
        return new Fault(500, 2, "Service temporarily unavailable", null, Duration.ZERO);
    }

    /** A 503 with Graph code 2. */
    public static Fault unavailable() {
        return new Fault(503, 2, "Service temporarily unavailable", null, Duration.ZERO);
    }

    /** A 429 with Graph code 130429 ("Rate limit hit") and {@code Retry-After} in whole seconds. */
    public static Fault rateLimited(Duration retryAfter) {
        return new Fault(429, 130429, "(#130429) Rate limit hit", retryAfter, Duration.ZERO);
    }

    /** A normal answer, but only after {@code delay}. */
    public static Fault slow(Duration delay) {
        return new Fault(0, 0, null, null, delay);
    }

    boolean answersNormally() {
        return httpStatus == 0;
    }
}
