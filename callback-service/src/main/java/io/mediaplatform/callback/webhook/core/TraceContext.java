package io.mediaplatform.callback.webhook.core;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The W3C trace context of a message ({@code traceparent}, and {@code tracestate} when there is one), kept with each of
 * its webhook deliveries so that every attempt, also one made after a restart, is a child span of the message's trace.
 *
 * @param traceparent the {@code traceparent} value ({@code 00-<trace id>-<parent id>-<flags>})
 * @param tracestate  the {@code tracestate} value, or null
 */
public record TraceContext(String traceparent, String tracestate) {

    /** Version 00's form (lower-case hex); a later version may append fields, which are kept as they are. */
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");
    /** W3C's limit on the {@code tracestate} header (32 members of at most 256 characters, and their commas). */
    private static final int MAX_TRACESTATE = 8_223;

    public TraceContext {
        if (traceparent == null || !TRACEPARENT.matcher(traceparent).matches() || traceparent.startsWith("ff")) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
        }
        if (tracestate != null && (tracestate.isBlank() || tracestate.length() > MAX_TRACESTATE)) {
            tracestate = null;
        }
    }

    /** The context of these header values; empty when {@code traceparent} is absent or not a valid W3C one. */
    public static Optional<TraceContext> of(String traceparent, String tracestate) {
        if (traceparent == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TraceContext(traceparent.trim(), tracestate == null ? null : tracestate.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The trace id (32 hex digits). */
    public String traceId() {
        return traceparent.substring(3, 35);
    }
}
