package io.mediaplatform.common.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Event wiring settings shared by the services.
 *
 * @param schemaRegistryUrl      Schema Registry base URL ({@code SCHEMA_REGISTRY_URL})
 * @param schemaRegistryUserInfo optional {@code user:password} for the registry ({@code SCHEMA_REGISTRY_USER_INFO})
 * @param autoRegisterSchemas    whether producers register their schemas ({@code SCHEMA_AUTO_REGISTER}); off in
 *                               production where a pipeline registers them
 * @param retryAttempts          in-place retries of a failing record before it goes to the topic's {@code .dlt}
 * @param retryBackoff           pause between those retries
 */
@ConfigurationProperties("platform.kafka")
public record KafkaEventsProperties(
        @DefaultValue("http://127.0.0.1:8081") String schemaRegistryUrl,
        String schemaRegistryUserInfo,
        @DefaultValue("true") boolean autoRegisterSchemas,
        @DefaultValue("2") int retryAttempts,
        @DefaultValue("500ms") Duration retryBackoff) {
}
