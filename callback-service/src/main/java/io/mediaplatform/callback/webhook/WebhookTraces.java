package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.webhook.core.TraceContext;
import io.mediaplatform.common.cache.RecentValues;
import io.mediaplatform.common.kafka.EventLogFields;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Puts a client webhook into the trace of its message. Webhooks leave from the database outbox on the sender's
 * thread, long after the record that caused them was handled, so the {@code traceparent} (and {@code tracestate}) of
 * the first record seen of each message (its {@code media.received}: the trace of the client's request) is remembered
 * here, for a while and for a bounded number of messages, and written with each delivery the outbox enqueues for the
 * message ({@link #contextOf}); each attempt is then a client span, child of the delivery's stored trace (or of the
 * remembered one, for a delivery enqueued without), whose {@code traceparent} goes in the webhook's headers. So an
 * attempt made after a restart of this service continues the message's trace; only a delivery of a message whose
 * trace was never seen starts a trace of its own.
 */
public final class WebhookTraces {

    private static final String TRACEPARENT = "traceparent";
    private static final String TRACESTATE = "tracestate";

    private final Tracer tracer;
    private final Propagator propagator;
    private final RecentValues<String, TraceContext> parents = RecentValues.counted(100_000, Duration.ofHours(6));

    /** Without a tracer or a propagator (null), webhooks are sent as they are. */
    public WebhookTraces(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Notes the trace of a record's message, unless one is known already. */
    public void remember(ConsumerRecord<?, ?> record) {
        if (tracer == null || propagator == null) {
            return;
        }
        Optional<TraceContext> context = TraceContext.of(header(record, TRACEPARENT), header(record, TRACESTATE));
        if (context.isEmpty()) {
            return;
        }
        EventLogFields.messageIdOf(record.value()).ifPresent(messageId -> {
            if (parents.get(messageId).isEmpty()) {
                parents.put(messageId, context.get());
            }
        });
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The remembered trace of the message, to be stored with its deliveries; empty when none is known. */
    public Optional<TraceContext> contextOf(String messageId) {
        return tracer == null || propagator == null || messageId == null ? Optional.empty() : parents.get(messageId);
    }

    /**
     * Runs one webhook attempt in a client span of {@code stored} (the trace stored with the delivery), or without one
     * of the message's remembered trace, its {@code traceparent} put in {@code headers}.
     */
    public <T> T attempt(TraceContext stored, String messageId, String target, Map<String, String> headers,
                         Callable<T> send) throws Exception {
        if (tracer == null || propagator == null) {
            return send.call();
        }
        Optional<TraceContext> parent = stored != null ? Optional.of(stored) : contextOf(messageId);
        Span.Builder builder = parent.isPresent()
                ? propagator.extract(carrier(parent.get()), Map::get)
                : tracer.spanBuilder();
        Span span = builder.name("webhook " + target).kind(Span.Kind.CLIENT).start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            propagator.inject(span.context(), headers, Map::put);
            return send.call();
        } catch (Exception e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    private static Map<String, String> carrier(TraceContext context) {
        return context.tracestate() == null ? Map.of(TRACEPARENT, context.traceparent())
                : Map.of(TRACEPARENT, context.traceparent(), TRACESTATE, context.tracestate());
    }
}
