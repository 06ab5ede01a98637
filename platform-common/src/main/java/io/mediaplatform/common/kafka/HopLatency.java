package io.mediaplatform.common.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latency of each hop, from the events' own timestamps: for every record a consumer of this service polls,
 * the time from the event's {@code occurredAt} (when the previous hop wrote it) to now, as the
 * {@value #METER} histogram tagged by {@code topic}. A Kafka consumer interceptor, so every consumer of the
 * service is measured alike (record and batch listeners, the retry worker); the service's own meter registry
 * comes in the consumer configs ({@value #REGISTRY_CONFIG}), so in the one-JVM local stack each service's hops
 * stay on its own endpoint.
 */
public final class HopLatency implements ConsumerInterceptor<Object, Object> {

    public static final String METER = "platform.hop.latency";
    /** Consumer config key carrying the {@link MeterRegistry} (an object, not a string). */
    public static final String REGISTRY_CONFIG = "platform.meter-registry";

    private MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(REGISTRY_CONFIG) instanceof MeterRegistry given) {
            registry = given;
        }
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        if (registry == null) {
            return records;
        }
        Instant now = Instant.now();
        for (ConsumerRecord<Object, Object> record : records) {
            EventLogFields.occurredAt(record.value()).ifPresent(at -> {
                Duration latency = Duration.between(at, now);
                if (!latency.isNegative()) {
                    timers.computeIfAbsent(record.topic(), this::timer).record(latency);
                }
            });
        }
        return records;
    }

    private Timer timer(String topic) {
        return Timer.builder(METER).description("Time from an event's occurredAt (written by the previous hop) to its"
                        + " poll by this service").tag("topic", topic).publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofHours(1)).register(registry);
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
}
