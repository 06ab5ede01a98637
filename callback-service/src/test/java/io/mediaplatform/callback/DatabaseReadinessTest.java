package io.mediaplatform.callback;

import io.mediaplatform.embedded.EmbeddedPostgresServer;
import io.mediaplatform.embedded.Ports;
import io.mediaplatform.embedded.SharedTestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator's probes see of callback-service when its PostgreSQL goes away and comes back: readiness
 * ({@code /actuator/health/readiness}, the compose healthcheck and the Kubernetes readiness probe) is 200 UP with
 * {@code db} among its components while the database answers, 503 DOWN naming {@code db} while it is stopped, and
 * UP again once it is back; liveness stays 200 UP throughout (a database outage must not restart the instance).
 *
 * <p>Not on {@link CallbackServiceTestBase}: that context shares the module's PostgreSQL, which this test stops. This
 * class runs its own service instance on its own PostgreSQL (stopped and started again on the same port and data
 * directory), with the module's shared test broker and its own consumer group.
 */
class DatabaseReadinessTest {

    private static final Duration AWAIT = Duration.ofSeconds(60);
    /** What a probe waits for an answer (the Helm chart's readiness probe: 3 s; compose: 5 s); a slower one fails the test. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private static Path dataDir;
    private static int postgresPort;
    private static EmbeddedPostgresServer postgres;
    private static ConfigurableApplicationContext service;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startDatabaseAndService() throws IOException {
        dataDir = Files.createTempDirectory("callback-db-readiness-");
        postgresPort = Ports.freePort();
        postgres = new EmbeddedPostgresServer(dataDir, postgresPort).start();
        String bootstrapServers = CallbackServiceTestBase.BROKER.getBrokersAsString();
        List<String> args = new ArrayList<>();
        SharedTestInfra.springProperties(bootstrapServers).forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(List.of(
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.kafka.consumer.group-id=callback-db-readiness-" + UUID.randomUUID(),
                "--server.port=0",
                "--platform.probes.cache-ttl=500ms"));
        service = CallbackApplication.builder().run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stopAll() throws IOException {
        if (service != null) {
            service.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void readiness_is_down_naming_db_while_postgres_is_stopped_and_up_again_when_it_is_back_while_liveness_stays_up() {
        // Given the service running on a database that answers: ready, with the database among the checks
        Probe ready = probe("/actuator/health/readiness");
        assertThat(ready.status()).as(ready.body().toString()).isEqualTo(200);
        assertThat(ready.body().path("status").asString()).isEqualTo("UP");
        assertThat(ready.body().path("components").path("db").path("status").asString()).isEqualTo("UP");
        assertThat(ready.body().path("components").path("kafka").path("status").asString()).isEqualTo("UP");
        assertThat(ready.body().path("components").path("readinessState").path("status").asString()).isEqualTo("UP");
        assertLive();

        // When PostgreSQL stops
        postgres.close();

        // Then readiness answers 503 DOWN within the probe's timeout, and the component that is down is db (Kafka is up)
        await().atMost(AWAIT).untilAsserted(() -> {
            Probe down = probe("/actuator/health/readiness");
            assertThat(down.status()).as(down.body().toString()).isEqualTo(503);
            assertThat(down.body().path("status").asString()).isEqualTo("DOWN");
            assertThat(down.body().path("components").path("db").path("status").asString()).isEqualTo("DOWN");
        });
        Probe down = probe("/actuator/health/readiness");
        assertThat(down.body().path("components").path("db").path("details").path("error").asString()).isNotBlank();
        assertThat(down.body().path("components").path("kafka").path("status").asString()).isEqualTo("UP");
        // And liveness stays UP: the process is fine, only a dependency is away
        assertLive();

        // When PostgreSQL is back on the same port and data directory
        postgres = new EmbeddedPostgresServer(dataDir, postgresPort).start();

        // Then readiness is UP again, without a restart of the service
        await().atMost(AWAIT).untilAsserted(() -> {
            Probe up = probe("/actuator/health/readiness");
            assertThat(up.status()).as(up.body().toString()).isEqualTo(200);
            assertThat(up.body().path("components").path("db").path("status").asString()).isEqualTo("UP");
        });
        assertLive();
    }

    private void assertLive() {
        Probe live = probe("/actuator/health/liveness");
        assertThat(live.status()).as(live.body().toString()).isEqualTo(200);
        assertThat(live.body().path("status").asString()).isEqualTo("UP");
        assertThat(live.body().path("components").propertyNames()).containsExactly("livenessState");
    }

    record Probe(int status, JsonNode body) {
    }

    private Probe probe(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + service.getEnvironment().getProperty("local.server.port") + path)).timeout(PROBE_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Probe(response.statusCode(), json.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
