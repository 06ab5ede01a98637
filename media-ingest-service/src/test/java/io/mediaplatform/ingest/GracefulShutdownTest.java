package io.mediaplatform.ingest;

import io.mediaplatform.common.security.ApiKeyRegistry;
import io.mediaplatform.embedded.SharedTestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a shutdown (SIGTERM: the context closes) looks like from outside: readiness answers 503 OUT_OF_SERVICE first
 * while liveness stays UP and requests are still taken (SHUTDOWN_DRAIN_DELAY), then the server stops accepting
 * connections, and an upload that was in flight all along still completes (201, every byte stored) before the
 * process is done, well within SHUTDOWN_TIMEOUT.
 *
 * <p>Not on {@link IngestServiceTestBase}: this test closes its service, which must not be the module's shared
 * context. It runs its own instance (own consumer group) on the module's shared test broker, registry and S3 server.
 */
class GracefulShutdownTest {

    private static final String TENANT = "shutdown-tenant";
    private static final String KEY = "test-key-shutdown-" + UUID.randomUUID();
    private static final Duration DRAIN_DELAY = Duration.ofSeconds(3);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private static ConfigurableApplicationContext service;
    private static int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startService() {
        List<String> args = new ArrayList<>();
        SharedTestInfra.springProperties(IngestServiceTestBase.BROKER.getBrokersAsString())
                .forEach((key, value) -> args.add("--" + key + "=" + value));
        SharedTestInfra.databaseProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(List.of(
                "--platform.security.api-keys=" + TENANT + ":" + ApiKeyRegistry.sha256Hex(KEY),
                "--spring.kafka.consumer.group-id=ingest-shutdown-" + UUID.randomUUID(),
                "--server.port=0",
                "--platform.probes.drain-delay=" + DRAIN_DELAY.toMillis() + "ms",
                "--spring.lifecycle.timeout-per-shutdown-phase=" + SHUTDOWN_TIMEOUT.toSeconds() + "s"));
        service = IngestApplication.builder().run(args.toArray(String[]::new));
        port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void closeService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void readiness_answers_503_first_and_an_upload_in_flight_still_completes_when_the_service_shuts_down() throws Exception {
        // Given a ready service, and an upload in flight: its first half sent, the rest still to come
        // (the first checks of Kafka, S3 and PostgreSQL may take a while on a busy machine)
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Probe.readiness(port).status() == 200);
        byte[] content = pngBytes(256 * 1024);
        String boundary = "----shutdown" + UUID.randomUUID();
        PipedOutputStream body = new PipedOutputStream();
        PipedInputStream bodyIn = new PipedInputStream(body, 64 * 1024);
        CompletableFuture<HttpResponse<String>> upload = http.sendAsync(HttpRequest.newBuilder(uri("/v1/media"))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> bodyIn)).build(),
                HttpResponse.BodyHandlers.ofString());
        body.write(head(boundary));
        body.write(content, 0, content.length / 2);
        body.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> activeUploads() == 1);

        // When the service is told to shut down
        long shutdownStart = System.nanoTime();
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(service::close);

        // Then readiness answers 503 OUT_OF_SERVICE at once, while liveness is still UP and the server still answers
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            Probe ready = Probe.readiness(port);
            assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
            assertThat(ready.state()).isEqualTo("OUT_OF_SERVICE");
            assertThat(ready.component("readinessState")).isEqualTo("OUT_OF_SERVICE");
        });
        Probe live = Probe.liveness(port);
        assertThat(live.status()).as(live.toString()).isEqualTo(200);
        assertThat(live.state()).isEqualTo("UP");

        // And after the drain delay the server takes no new connection, while the upload is still in flight
        await().atMost(DRAIN_DELAY.plusSeconds(10)).until(() -> !accepts());
        assertThat(Duration.ofNanos(System.nanoTime() - shutdownStart)).isGreaterThanOrEqualTo(DRAIN_DELAY);
        assertThat(upload).isNotDone();
        assertThat(shutdown).isNotDone();

        // When the rest of the upload arrives
        body.write(content, content.length / 2, content.length - content.length / 2);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        body.close();

        // Then it completes: 201, every byte stored
        HttpResponse<String> uploaded = upload.get(30, TimeUnit.SECONDS);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        JsonNode answer = json.readTree(uploaded.body());
        assertThat(answer.path("size").asLong()).isEqualTo(content.length);
        assertThat(answer.path("sha256").asString()).isEqualTo(sha256(content));

        // And the shutdown then finishes, well within its bound
        shutdown.get(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(service.isActive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - shutdownStart)).isLessThan(SHUTDOWN_TIMEOUT);
    }

    /** Requests being served right now whose method is POST (the upload), from the service's own metrics. */
    private long activeUploads() throws IOException, InterruptedException {
        HttpResponse<String> metric = http.send(HttpRequest.newBuilder(uri("/actuator/metrics/http.server.requests.active?tag=method:POST"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (metric.statusCode() != 200) {
            return 0;
        }
        for (JsonNode measurement : json.readTree(metric.body()).path("measurements")) {
            if ("ACTIVE_TASKS".equals(measurement.path("statistic").asString())) {
                return measurement.path("value").asLong();
            }
        }
        return 0;
    }

    private static boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static byte[] head(String boundary) {
        return ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"conversationId\"\r\n\r\nconv-shutdown\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"channel\"\r\n\r\nwhatsapp\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] pngBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
