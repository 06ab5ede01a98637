package io.mediaplatform.callback.webhook;

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
 * thread, long after the record that caused them was handled, so the {@code traceparent} of the first record seen
 * of each message (its {@code media.received}: the trace of the client's request) is remembered here, for a while
 * and for a bounded number of messages; each attempt is then a client span, child of that trace, whose
 * {@code traceparent} goes in the webhook's headers. A webhook of a message not remembered (after a restart of this
 * service) starts a trace of its own.
 */
public final class WebhookTraces {

    private static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;
    private final RecentValues<String, String> parents = RecentValues.counted(100_000, Duration.ofHours(6));

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
        Header header = record.headers().lastHeader(TRACEPARENT);
        if (header == null) {
            return;
        }
        EventLogFields.messageIdOf(record.value()).ifPresent(messageId -> {
            if (parents.get(messageId).isEmpty()) {
                parents.put(messageId, new String(header.value(), StandardCharsets.UTF_8));
            }
        });
    }

    /** Runs one webhook attempt in a client span of the message's trace, its {@code traceparent} put in {@code headers}. */
    public <T> T attempt(String messageId, String target, Map<String, String> headers, Callable<T> send) throws Exception {
        if (tracer == null || propagator == null) {
            return send.call();
        }
        Optional<String> parent = messageId == null ? Optional.empty() : parents.get(messageId);
        Span.Builder builder = parent.isPresent()
                ? propagator.extract(Map.of(TRACEPARENT, parent.get()), Map::get)
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
}
