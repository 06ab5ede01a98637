package io.mediaplatform.common.tracing;

import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.support.micrometer.KafkaListenerObservation;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The trace a piece of work belongs to (Micrometer Tracing over OpenTelemetry, W3C {@code traceparent}).
 * <ul>
 *   <li>{@link #currentTraceId()}: the trace id of the span current on this thread, written as a UUID (the
 *   platform's {@code transactionId});</li>
 *   <li>{@link #currentHeaders()}: the {@code traceparent} (and {@code tracestate}) naming the current span, for an
 *   outbound HTTP request whose client is not observed by Spring (provider calls, client webhooks);</li>
 *   <li>{@link #observe}: a consumer span continuing a record's {@code traceparent} around its handling, for batch
 *   listeners, which Spring Kafka does not observe per record; what it sends to Kafka meanwhile is its child.</li>
 * </ul>
 */
public final class Traces {

    private Traces() {
    }

    /** The current span's trace id as a UUID, if a span is current. */
    public static Optional<String> currentTraceId() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? Optional.of(asUuid(context.getTraceId())) : Optional.empty();
    }

    /** A 32-hex-digit trace id written as a UUID (8-4-4-4-12). */
    public static String asUuid(String traceId) {
        return traceId.substring(0, 8) + "-" + traceId.substring(8, 12) + "-" + traceId.substring(12, 16) + "-"
                + traceId.substring(16, 20) + "-" + traceId.substring(20);
    }

    /** The W3C headers naming the current span (empty without one). */
    public static Map<String, String> currentHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (Span.current().getSpanContext().isValid()) {
            W3CTraceContextPropagator.getInstance().inject(Context.current(), headers, Map::put);
        }
        return headers;
    }

    /**
     * Runs {@code work} in a consumer span continuing the record's {@code traceparent} (a no-op registry: just runs it).
     */
    public static <T> T observe(ObservationRegistry registry, ConsumerRecord<?, ?> record, String listenerId,
                                Supplier<T> work) {
        if (registry == null || registry.isNoop()) {
            return work.get();
        }
        return KafkaListenerObservation.LISTENER_OBSERVATION.observation(null,
                        KafkaListenerObservation.DefaultKafkaListenerObservationConvention.INSTANCE,
                        () -> new KafkaRecordReceiverContext(record, listenerId, () -> null), registry)
                .observe(work);
    }
}
