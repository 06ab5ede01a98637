package io.mediaplatform.common.kafka;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;
import org.springframework.kafka.listener.RecordInterceptor;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Puts the ids of the event a record listener is handling into the log context (MDC): {@value #TENANT},
 * {@value #MEDIA}, {@value #MESSAGE}, so every log line written while the record is handled carries them as JSON
 * fields (a log search finds a message's whole path by one id). The ids are read from the event itself: top-level
 * {@code tenantId}, {@code mediaId}, {@code messageId}, or the {@code mediaId} of its {@code media} and the
 * {@code messageId} of its {@code message}. Cleared after each record.
 */
public final class EventLogFields implements RecordInterceptor<Object, Object> {

    public static final String TENANT = "tenantId";
    public static final String MEDIA = "mediaId";
    public static final String MESSAGE = "messageId";
    private static final List<String> FIELDS = List.of(TENANT, MEDIA, MESSAGE);

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        if (record.value() instanceof GenericRecord event) {
            text(event, TENANT).ifPresent(id -> MDC.put(TENANT, id));
            text(event, MEDIA).or(() -> nested(event, "media", MEDIA)).ifPresent(id -> MDC.put(MEDIA, id));
            text(event, MESSAGE).or(() -> nested(event, "message", MESSAGE)).ifPresent(id -> MDC.put(MESSAGE, id));
        }
        return record;
    }

    @Override
    public void afterRecord(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        clear();
    }

    @Override
    public void clearThreadState(Consumer<?, ?> consumer) {
        clear();
    }

    private static void clear() {
        FIELDS.forEach(MDC::remove);
    }

    /** The message an event is about: its {@code messageId}, or its {@code message}'s. */
    public static Optional<String> messageIdOf(Object value) {
        return value instanceof GenericRecord event
                ? text(event, MESSAGE).or(() -> nested(event, "message", MESSAGE)) : Optional.empty();
    }

    /** When the event happened: its {@code occurredAt} (timestamp-millis), if it has one. */
    static Optional<Instant> occurredAt(Object value) {
        if (value instanceof GenericRecord event && event.getSchema().getField("occurredAt") != null) {
            return switch (event.get("occurredAt")) {
                case Instant instant -> Optional.of(instant);
                case Long millis -> Optional.of(Instant.ofEpochMilli(millis));
                case null, default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    private static Optional<String> nested(GenericRecord event, String field, String name) {
        return event.getSchema().getField(field) != null && event.get(field) instanceof GenericRecord inner
                ? text(inner, name) : Optional.empty();
    }

    private static Optional<String> text(GenericRecord record, String name) {
        Schema.Field field = record.getSchema().getField(name);
        if (field == null) {
            return Optional.empty();
        }
        Object value = record.get(name);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }
}
