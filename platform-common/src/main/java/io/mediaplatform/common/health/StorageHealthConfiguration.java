package io.mediaplatform.common.health;

import io.mediaplatform.common.storage.ObjectStorage;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The {@code storage} health indicator, for services holding media (imported with {@code StorageConfiguration}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProbeProperties.class)
public class StorageHealthConfiguration {

    /** Bean name {@code storageHealthIndicator}: the contributor {@code storage}. */
    @Bean
    StorageHealthIndicator storageHealthIndicator(S3AsyncClient s3AsyncClient, ObjectStorage objectStorage, ProbeProperties properties) {
        return new StorageHealthIndicator(s3AsyncClient, objectStorage.bucket(), properties.checkTimeout(), properties.cacheTtl());
    }
}
