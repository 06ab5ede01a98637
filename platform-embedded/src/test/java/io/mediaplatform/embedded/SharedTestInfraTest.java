package io.mediaplatform.embedded;

import io.mediaplatform.schemas.registry.SchemaRegistryClient;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SharedTestInfraTest {

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startKafka() {
        broker = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopKafka() {
        broker.destroy();
    }

    @Test
    void givesServiceTestsPropertiesThatReachRunningServers() {
        // Given a test's own Kafka broker
        String bootstrap = broker.getBrokersAsString();

        // When a service test asks for its properties
        Map<String, String> properties = SharedTestInfra.springProperties(bootstrap);

        // Then they name the broker, a live registry and a live S3 bucket
        assertThat(properties).containsEntry("spring.kafka.bootstrap-servers", bootstrap)
                .containsEntry("platform.storage.bucket", "media")
                .containsEntry("platform.storage.access-key", "test-access")
                .containsEntry("platform.storage.secret-key", "test-secret")
                .containsEntry("platform.storage.region", "us-east-1")
                .containsKeys("platform.kafka.schema-registry-url", "platform.storage.endpoint");
        int id = new SchemaRegistryClient(properties.get("platform.kafka.schema-registry-url"), null)
                .register("shared-infra-value", SchemaBuilder.record("Probe").fields().requiredString("id").endRecord());
        assertThat(id).isPositive();
        try (S3AsyncClient s3 = S3AsyncClient.builder()
                .endpointOverride(URI.create(properties.get("platform.storage.endpoint")))
                .forcePathStyle(true)
                .region(Region.of(properties.get("platform.storage.region")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        properties.get("platform.storage.access-key"), properties.get("platform.storage.secret-key"))))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build()) {
            assertThat(s3.headBucket(b -> b.bucket(properties.get("platform.storage.bucket"))).join().sdkHttpResponse().isSuccessful())
                    .isTrue();
        }
    }

    @Test
    void startsEachSharedServerOnlyOnce() {
        // Given the shared servers were asked for once
        String bootstrap = broker.getBrokersAsString();
        EmbeddedS3 s3 = SharedTestInfra.s3();
        EmbeddedSchemaRegistry registry = SharedTestInfra.schemaRegistry(bootstrap);

        // When they are asked for again
        // Then the same running instances come back
        assertThat(SharedTestInfra.s3()).isSameAs(s3);
        assertThat(SharedTestInfra.schemaRegistry(bootstrap)).isSameAs(registry);
        assertThat(SharedTestInfra.springProperties(bootstrap)).containsEntry("platform.storage.endpoint", s3.endpoint());
    }
}
