package io.mediaplatform.callback.webhook.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void a_w3c_traceparent_is_kept_with_its_tracestate_and_names_its_trace_id() {
        // Given / When the headers of a sampled W3C trace
        TraceContext context = TraceContext.of(" 00-" + TRACE_ID + "-00f067aa0ba902b7-01 ", "congo=t61rcWkgMzE").orElseThrow();

        // Then the context keeps both values and reads the trace id
        assertThat(context.traceparent()).isEqualTo("00-" + TRACE_ID + "-00f067aa0ba902b7-01");
        assertThat(context.tracestate()).isEqualTo("congo=t61rcWkgMzE");
        assertThat(context.traceId()).isEqualTo(TRACE_ID);
        assertThat(TraceContext.of("00-" + TRACE_ID + "-00f067aa0ba902b7-00", "  ").orElseThrow().tracestate()).isNull();
    }

    @Test
    void a_missing_or_malformed_traceparent_gives_no_context() {
        // Given / When headers that name no valid trace: absent, upper-case, all-zero ids, version ff, too short
        // Then there is no context to store
        assertThat(TraceContext.of(null, "a=b")).isEmpty();
        assertThat(TraceContext.of("00-" + TRACE_ID.toUpperCase() + "-00f067aa0ba902b7-01", null)).isEmpty();
        assertThat(TraceContext.of("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01", null)).isEmpty();
        assertThat(TraceContext.of("00-" + TRACE_ID + "-" + "0".repeat(16) + "-01", null)).isEmpty();
        assertThat(TraceContext.of("ff-" + TRACE_ID + "-00f067aa0ba902b7-01", null)).isEmpty();
        assertThat(TraceContext.of("00-" + TRACE_ID + "-01", null)).isEmpty();
    }
}
