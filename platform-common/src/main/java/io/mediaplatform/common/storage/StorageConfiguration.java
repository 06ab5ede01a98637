package io.mediaplatform.common.storage;

import io.mediaplatform.common.health.StorageHealthConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;

/** The S3 client and {@link ObjectStorage} for services that read or write media bytes, and the {@code storage} health indicator. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
@Import(StorageHealthConfiguration.class)
public class StorageConfiguration {

    @Bean(destroyMethod = "close")
    S3AsyncClient s3AsyncClient(StorageProperties properties) {
        var builder = S3AsyncClient.builder()
                .region(Region.of(properties.region()))
                .credentialsProvider(credentials(properties))
                .forcePathStyle(properties.pathStyle())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .readTimeout(Duration.ofSeconds(60))
                        .maxConcurrency(64));
        if (hasText(properties.endpoint())) {
            builder.endpointOverride(URI.create(properties.endpoint()));
        }
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    S3Presigner s3Presigner(StorageProperties properties) {
        var builder = S3Presigner.builder()
                .region(Region.of(properties.region()))
                .credentialsProvider(credentials(properties))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(properties.pathStyle()).build());
        if (hasText(properties.endpoint())) {
            builder.endpointOverride(URI.create(properties.endpoint()));
        }
        return builder.build();
    }

    /**
     * The bucket; its upload memory is on {@code /actuator/prometheus} as {@code storage_upload_memory_used_bytes} (held
     * or reserved by uploads now) and {@code storage_upload_memory_limit_bytes} ({@code S3_UPLOAD_MEMORY}).
     */
    @Bean
    ObjectStorage objectStorage(S3AsyncClient s3, S3Presigner presigner, StorageProperties properties,
                                ObjectProvider<MeterRegistry> meters) {
        ObjectStorage storage = new ObjectStorage(s3, presigner, properties.bucket(), (int) properties.partSize().toBytes(),
                properties.uploadMemory().toBytes(), properties.uploadMemoryWait());
        meters.ifAvailable(registry -> {
            UploadMemory memory = storage.uploadMemory();
            Gauge.builder("storage.upload.memory.used", memory, m -> (m.total() - m.free()) * (double) ObjectStorage.CHUNK)
                    .baseUnit("bytes").description("Upload bytes held in memory or reserved for the part being read")
                    .register(registry);
            Gauge.builder("storage.upload.memory.limit", memory, m -> m.total() * (double) ObjectStorage.CHUNK)
                    .baseUnit("bytes").description("The most upload bytes held in memory at once (S3_UPLOAD_MEMORY)")
                    .register(registry);
        });
        return storage;
    }

    private static AwsCredentialsProvider credentials(StorageProperties properties) {
        if (hasText(properties.accessKey())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(properties.accessKey(), properties.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
