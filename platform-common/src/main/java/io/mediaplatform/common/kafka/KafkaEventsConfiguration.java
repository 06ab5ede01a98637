package io.mediaplatform.common.kafka;

import io.mediaplatform.common.health.ProbesConfiguration;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.AvroSerializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka wiring every service imports: Avro values in the Schema Registry wire format, string keys,
 * idempotent producers with acks=all, read_committed consumers, and a dead-letter route: a record that
 * cannot be decoded, or keeps failing after {@code retryAttempts}, is published to {@code <topic>.dlt}
 * with the exception in headers, and the partition moves on. Brings the probes' wiring ({@link ProbesConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaEventsProperties.class)
@Import(ProbesConfiguration.class)
public class KafkaEventsConfiguration {

    @Bean
    DefaultKafkaProducerFactoryCustomizer avroProducerCustomizer(KafkaEventsProperties properties,
                                                                 ObjectProvider<MeterRegistry> meters) {
        return factory -> {
            Map<String, Object> configs = new HashMap<>(serdeConfigs(properties));
            meters.ifAvailable(registry -> {
                configs.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, DeadLetterCount.class.getName());
                configs.put(HopLatency.REGISTRY_CONFIG, registry);
            });
            configs.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            configs.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
            configs.put(ProducerConfig.ACKS_CONFIG, "all");
            configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            factory.updateConfigs(configs);
        };
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer avroConsumerCustomizer(KafkaEventsProperties properties,
                                                                 ObjectProvider<MeterRegistry> meters) {
        return factory -> {
            Map<String, Object> configs = new HashMap<>(serdeConfigs(properties));
            meters.ifAvailable(registry -> {
                configs.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, HopLatency.class.getName());
                configs.put(HopLatency.REGISTRY_CONFIG, registry);
            });
            configs.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            configs.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
            configs.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, AvroDeserializer.class);
            configs.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            factory.updateConfigs(configs);
        };
    }

    @Bean
    CommonErrorHandler deadLetterErrorHandler(KafkaTemplate<Object, Object> template, KafkaEventsProperties properties) {
        return DeadLetterRouting.errorHandler(DeadLetterRouting.recoverer(template), properties);
    }

    /** The ids of the event in hand as log fields (MDC) while a record listener handles it. */
    @Bean
    EventLogFields eventLogFields() {
        return new EventLogFields();
    }

    @Bean
    EventPublisher eventPublisher(KafkaTemplate<Object, Object> template) {
        return new EventPublisher(template);
    }

    static Map<String, Object> serdeConfigs(KafkaEventsProperties properties) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(SerdeConfig.SCHEMA_REGISTRY_URL, properties.schemaRegistryUrl());
        if (properties.schemaRegistryUserInfo() != null && !properties.schemaRegistryUserInfo().isBlank()) {
            configs.put(SerdeConfig.BASIC_AUTH_USER_INFO, properties.schemaRegistryUserInfo());
        }
        configs.put(SerdeConfig.AUTO_REGISTER, properties.autoRegisterSchemas());
        return configs;
    }
}
