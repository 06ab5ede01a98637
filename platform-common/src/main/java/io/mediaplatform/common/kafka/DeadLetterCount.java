package io.mediaplatform.common.kafka;

import io.mediaplatform.schemas.topics.Topic;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.Map;

/**
 * Counts every record this service writes to a dead-letter topic ({@code <topic>.dlt}) as {@value #METER}, tagged by
 * that topic: a growing count is a poison record or a bug someone must look at. A Kafka producer interceptor, so
 * every writer of a dead-letter topic is counted alike; the service's own registry comes in the producer configs
 * ({@link HopLatency#REGISTRY_CONFIG}).
 */
public final class DeadLetterCount implements ProducerInterceptor<Object, Object> {

    public static final String METER = "platform.dead.letters";

    private MeterRegistry registry;

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(HopLatency.REGISTRY_CONFIG) instanceof MeterRegistry given) {
            registry = given;
        }
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        if (registry != null && record.topic().endsWith(Topic.DLT_SUFFIX)) {
            registry.counter(METER, "topic", record.topic()).increment();
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public void close() {
    }
}
