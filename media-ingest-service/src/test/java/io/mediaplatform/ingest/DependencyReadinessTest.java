package io.mediaplatform.ingest;

import io.mediaplatform.embedded.EmbeddedPostgresServer;
import io.mediaplatform.embedded.EmbeddedS3;
import io.mediaplatform.embedded.EmbeddedSchemaRegistry;
import io.mediaplatform.embedded.KafkaServerProcess;
import io.mediaplatform.embedded.Ports;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.TopicProvisioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator's probes see of media-ingest-service when its Kafka broker, its S3 server or its PostgreSQL goes away
 * and comes back: readiness ({@code /actuator/health/readiness}: the compose healthcheck, the Kubernetes readiness probe)
 * is 200 UP with {@code kafka}, {@code storage} and {@code db} among its components while all answer, 503 DOWN naming the
 * one that is away, and UP again once it is back, without a restart; liveness stays 200 UP throughout.
 *
 * <p>Not on {@link IngestServiceTestBase}: that context's broker cannot be stopped and its S3 server is shared by the
 * module's tests. This class runs its own service instance on Apache Kafka's own server ({@link KafkaServerProcess},
 * stopped and started again on the same port and data directory), its own registry, its own S3 server and its own
 * PostgreSQL.
 */
class DependencyReadinessTest {

    private static final Duration AWAIT = Duration.ofSeconds(90);

    private static Path kafkaDir;
    private static Path s3Dir;
    private static Path postgresDir;
    private static EmbeddedPostgresServer postgres;
    private static int s3Port;
    private static KafkaServerProcess kafka;
    private static EmbeddedSchemaRegistry registry;
    private static EmbeddedS3 s3;
    private static ConfigurableApplicationContext service;
    private static int port;

    @BeforeAll
    static void startDependenciesAndService() throws IOException {
        kafkaDir = Files.createTempDirectory("ingest-readiness-kafka-");
        s3Dir = Files.createTempDirectory("ingest-readiness-s3-");
        kafka = new KafkaServerProcess(kafkaDir, 0, 0).start();
        TopicProvisioner.createAll(kafka.bootstrapServers(), 1, (short) 1);
        registry = new EmbeddedSchemaRegistry(kafka.bootstrapServers(), 0).start();
        s3Port = Ports.freePort();
        s3 = startS3();
        postgresDir = Files.createTempDirectory("ingest-readiness-postgres-");
        postgres = new EmbeddedPostgresServer(postgresDir, 0).start();
        service = IngestApplication.builder().run(
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--platform.kafka.schema-registry-url=" + registry.url(),
                "--platform.storage.endpoint=" + s3.endpoint(),
                "--platform.storage.bucket=" + s3.bucket(),
                "--platform.storage.access-key=" + s3.accessKey(),
                "--platform.storage.secret-key=" + s3.secretKey(),
                "--platform.storage.region=" + SharedTestInfra.REGION,
                "--server.port=0",
                // answers reused for half a second instead of five, so the test sees changes sooner
                "--platform.probes.cache-ttl=500ms");
        port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stopAll() throws IOException {
        // The service first, while its broker and bucket still answer
        if (service != null) {
            service.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        deleteRecursively(kafkaDir);
        deleteRecursively(s3Dir);
        deleteRecursively(postgresDir);
    }

    @BeforeEach
    void ready_with_kafka_storage_and_db_among_its_checks() {
        await().atMost(AWAIT).untilAsserted(() -> {
            Probe ready = Probe.readiness(port);
            assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
            assertThat(ready.state()).isEqualTo("UP");
        });
        Probe ready = Probe.readiness(port);
        assertThat(ready.body().path("components").propertyNames()).containsExactlyInAnyOrder("readinessState", "kafka", "storage", "db");
        assertThat(ready.component("kafka")).isEqualTo("UP");
        assertThat(ready.body().path("components").path("kafka").path("details").path("brokers").asInt()).isEqualTo(1);
        assertThat(ready.component("storage")).isEqualTo("UP");
        assertThat(ready.body().path("components").path("storage").path("details").path("bucket").asString()).isEqualTo("media");
        assertLive();
    }

    @Test
    void readiness_is_down_naming_kafka_while_the_broker_is_stopped_and_up_again_when_it_is_back() {
        // When the broker stops
        kafka.close();
        assertThat(kafka.isAlive()).isFalse();

        // Then readiness answers 503 DOWN within the probe's timeout, naming kafka (storage is still up)
        await().atMost(AWAIT).untilAsserted(() -> {
            Probe down = Probe.readiness(port);
            assertThat(down.status()).as(down.toString()).isEqualTo(503);
            assertThat(down.state()).isEqualTo("DOWN");
            assertThat(down.component("kafka")).isEqualTo("DOWN");
        });
        Probe down = Probe.readiness(port);
        assertThat(down.error("kafka")).contains("TimeoutException");
        assertThat(down.component("storage")).isEqualTo("UP");
        // And liveness stays UP: the process is fine, only its broker is away
        assertLive();

        // When the broker starts again on the same port and data directory
        kafka.restart();

        // Then readiness is UP again (the @BeforeEach of the next test checks it once more)
        await().atMost(AWAIT).untilAsserted(() -> {
            Probe up = Probe.readiness(port);
            assertThat(up.status()).as(up.toString()).isEqualTo(200);
            assertThat(up.component("kafka")).isEqualTo("UP");
        });
        assertLive();
    }

    @Test
    void readiness_is_down_naming_storage_while_the_s3_server_is_stopped_and_up_again_when_it_is_back() {
        // When the S3 server stops
        s3.close();

        // Then readiness answers 503 DOWN within the probe's timeout, naming storage (Kafka is still up)
        await().atMost(AWAIT).untilAsserted(() -> {
            Probe down = Probe.readiness(port);
            assertThat(down.status()).as(down.toString()).isEqualTo(503);
            assertThat(down.state()).isEqualTo("DOWN");
            assertThat(down.component("storage")).isEqualTo("DOWN");
        });
        Probe down = Probe.readiness(port);
        assertThat(down.error("storage")).isNotBlank();
        assertThat(down.body().path("components").path("storage").path("details").path("bucket").asString()).isEqualTo("media");
        assertThat(down.component("kafka")).isEqualTo("UP");
        assertLive();

        // When the S3 server is back on the same port, with the same files
        s3 = startS3();

        // Then readiness is UP again
        await().atMost(AWAIT).untilAsserted(() -> {
            Probe up = Probe.readiness(port);
            assertThat(up.status()).as(up.toString()).isEqualTo(200);
            assertThat(up.component("storage")).isEqualTo("UP");
        });
        assertLive();
    }

    @Test
    void readiness_is_down_naming_db_while_postgres_is_stopped_and_up_again_when_it_is_back() {
        // When PostgreSQL stops
        postgres.close();

        // Then readiness answers 503 DOWN naming db (Kafka and storage are still up), liveness stays UP
        await().atMost(AWAIT).untilAsserted(() -> {
            Probe down = Probe.readiness(port);
            assertThat(down.status()).as(down.toString()).isEqualTo(503);
            assertThat(down.component("db")).isEqualTo("DOWN");
        });
        Probe down = Probe.readiness(port);
        assertThat(down.component("kafka")).isEqualTo("UP");
        assertThat(down.component("storage")).isEqualTo("UP");
        assertLive();

        // When it is back on the same port and data directory
        postgres.restart();

        // Then readiness is UP again
        await().atMost(AWAIT).untilAsserted(() -> {
            Probe up = Probe.readiness(port);
            assertThat(up.status()).as(up.toString()).isEqualTo(200);
            assertThat(up.component("db")).isEqualTo("UP");
        });
        assertLive();
    }

    private static void assertLive() {
        Probe live = Probe.liveness(port);
        assertThat(live.status()).as(live.toString()).isEqualTo(200);
        assertThat(live.state()).isEqualTo("UP");
        assertThat(live.body().path("components").propertyNames()).containsExactly("livenessState");
    }

    private static EmbeddedS3 startS3() {
        return new EmbeddedS3(s3Dir, s3Port, SharedTestInfra.ACCESS_KEY, SharedTestInfra.SECRET_KEY, SharedTestInfra.BUCKET).start();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
