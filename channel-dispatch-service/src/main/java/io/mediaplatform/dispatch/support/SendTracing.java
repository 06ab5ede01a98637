package io.mediaplatform.dispatch.support;

import io.mediaplatform.common.kafka.EventLogFields;
import io.mediaplatform.common.tracing.Traces;
import io.mediaplatform.common.web.TransactionIds;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs a message's work in its record's trace: a consumer span continuing the record's {@code traceparent} (Spring
 * Kafka observes record listeners only, and dispatch's main listener and retry worker read their records themselves),
 * with the message's tenant, media and message ids and the trace id ({@code transactionId}) in the log context, as
 * record listeners have them. What the work sends (provider calls, statuses, retry records) is the span's child.
 */
public final class SendTracing {

    private SendTracing() {
    }

    /**
     * @param registry   the observations (null or no-op: the work just runs, with its ids in the log context)
     * @param listenerId the span's listener name
     */
    public static <T> T traced(ObservationRegistry registry, ConsumerRecord<?, ?> record, String listenerId,
                               OutboundSend send, Supplier<T> work) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put(EventLogFields.TENANT, send.tenantId());
        ids.put(EventLogFields.MEDIA, send.mediaId());
        ids.put(EventLogFields.MESSAGE, send.messageId());
        ids.values().removeIf(Objects::isNull);
        ids.forEach(MDC::put);
        try {
            return Traces.observe(registry, record, listenerId, () -> {
                String outer = MDC.get(TransactionIds.LOG_FIELD);
                Traces.currentTraceId().ifPresent(id -> MDC.put(TransactionIds.LOG_FIELD, id));
                try {
                    return work.get();
                } finally {
                    if (outer == null) {
                        MDC.remove(TransactionIds.LOG_FIELD);
                    } else {
                        MDC.put(TransactionIds.LOG_FIELD, outer);
                    }
                }
            });
        } finally {
            ids.keySet().forEach(MDC::remove);
        }
    }
}
