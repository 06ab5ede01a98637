package io.mediaplatform.common.health;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * What every service's probes need (imported with {@code KafkaEventsConfiguration}): the {@code kafka} health
 * indicator for the readiness group, Spring Boot's {@code db} indicator (where there is a DataSource) bounded like the
 * others, and the {@link ShutdownDrain} that begins a shutdown. The readiness group's members are set in
 * platform-common.yml ({@code management.endpoint.health.group.readiness.include}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProbeProperties.class)
public class ProbesConfiguration {

    /** Bean name {@code kafkaHealthIndicator}: the contributor {@code kafka}. */
    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin, ProbeProperties properties) {
        return new KafkaHealthIndicator(kafkaAdmin.getConfigurationProperties(), properties.checkTimeout(), properties.cacheTtl());
    }

    /**
     * Spring Boot's DataSource indicator (bean {@code dbHealthContributor}, the contributor {@code db}) answered
     * within the check timeout and cached, like {@code kafka} and {@code storage}: left alone it waits for a pooled
     * connection (Hikari's 30 s) while the database is away, longer than any probe waits.
     */
    @Bean
    static BeanPostProcessor boundedDatabaseHealth(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if ("dbHealthContributor".equals(beanName) && bean instanceof HealthIndicator indicator
                        && !(bean instanceof BoundedHealthIndicator)) {
                    ProbeProperties properties = Binder.get(environment).bindOrCreate("platform.probes", ProbeProperties.class);
                    return new BoundedHealthIndicator(indicator, properties.checkTimeout(), properties.cacheTtl());
                }
                return bean;
            }
        };
    }

    @Bean
    ShutdownDrain shutdownDrain(ProbeProperties properties) {
        return new ShutdownDrain(properties.drainDelay());
    }
}
