package io.mediaplatform.ingest.idempotency;

import io.mediaplatform.ingest.IngestApplication;
import io.mediaplatform.ingest.IngestServiceTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} with two ingest instances behind one balancer, both on the same PostgreSQL: a key first used
 * on one instance is replayed by the other, refused there for another request, raced by both at once to one answer,
 * and still known after the second instance restarts. For sends and for uploads.
 */
class IdempotencyAcrossInstancesTest extends IngestServiceTestBase {

    private ConfigurableApplicationContext second;

    @BeforeEach
    void startASecondInstance() {
        second = startInstance();
    }

    @AfterEach
    void stopTheSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    private static ConfigurableApplicationContext startInstance() {
        List<String> args = new ArrayList<>();
        serviceProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
        args.add("--server.port=0");
        return IngestApplication.builder().run(args.toArray(String[]::new));
    }

    private URI secondUri(String path) {
        return URI.create("http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port") + path);
    }

    private HttpResponse<byte[]> postToSecond(String path, String body, String key) {
        return send(HttpRequest.newBuilder(secondUri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + KEY_A).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String message(String to) {
        return """
                {"channel": "RCS", "from": "brand", "to": "%s", "kind": "image", "media": {"url": "https://93.184.215.14/a.png"}}"""
                .formatted(to);
    }

    @Test
    void a_send_accepted_by_one_instance_is_replayed_by_the_other_and_after_that_instance_restarts() {
        // Given a send accepted by the first instance with a key
        String key = "idem-" + UUID.randomUUID();
        HttpResponse<byte[]> first = postJson("/v1/messages", KEY_A, message("+15551234"), "Idempotency-Key", key);
        assertThat(first.statusCode()).isEqualTo(202);
        String messageId = json(first).get("messageId").asString();

        // When the same request reaches the second instance
        HttpResponse<byte[]> replay = postToSecond("/v1/messages", message("+15551234"), key);
        // Then it answers the first answer, marked as a replay, and another body under the key is refused
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(json(replay).get("messageId").asString()).isEqualTo(messageId);
        assertThat(header(replay, "Idempotent-Replayed")).contains("true");
        HttpResponse<byte[]> conflict = postToSecond("/v1/messages", message("+15550000"), key);
        assertThat(conflict.statusCode()).isEqualTo(422);
        assertThat(header(conflict, "Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(json(conflict).get("type").asString()).endsWith("idempotency-key-reused");

        // When the second instance restarts
        second.close();
        second = startInstance();

        // Then it still knows the key
        HttpResponse<byte[]> afterRestart = postToSecond("/v1/messages", message("+15551234"), key);
        assertThat(afterRestart.statusCode()).isEqualTo(202);
        assertThat(json(afterRestart).get("messageId").asString()).isEqualTo(messageId);
    }

    @Test
    void the_same_send_raced_to_both_instances_at_once_is_accepted_once() {
        // Given one key, sent to both instances at the same moment, several times
        for (int round = 0; round < 5; round++) {
            String key = "race-" + UUID.randomUUID();
            CompletableFuture<HttpResponse<byte[]>> one = CompletableFuture.supplyAsync(
                    () -> postJson("/v1/messages", KEY_A, message("+15557777"), "Idempotency-Key", key));
            CompletableFuture<HttpResponse<byte[]>> two = CompletableFuture.supplyAsync(
                    () -> postToSecond("/v1/messages", message("+15557777"), key));

            // Then both answer 202 with the same message id, one of them as a replay
            HttpResponse<byte[]> a = one.join();
            HttpResponse<byte[]> b = two.join();
            assertThat(a.statusCode()).as(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo(202);
            assertThat(b.statusCode()).as(new String(b.body(), StandardCharsets.UTF_8)).isEqualTo(202);
            assertThat(json(a).get("messageId").asString()).isEqualTo(json(b).get("messageId").asString());
            assertThat(List.of(header(a, "Idempotent-Replayed").isPresent(), header(b, "Idempotent-Replayed").isPresent()))
                    .containsExactlyInAnyOrder(true, false);
        }
    }

    @Test
    void an_upload_stored_by_one_instance_is_replayed_by_the_other_without_storing_it_again_and_another_file_is_refused() {
        // Given an upload with a key on the first instance
        String key = "upload-" + UUID.randomUUID();
        byte[] png = pngBytes(2048);
        Part[] parts = {Part.field("conversationId", "conv-idem"), Part.field("channel", "whatsapp"),
                Part.file("photo.png", "image/png", png)};
        HttpResponse<byte[]> first = send(multipartUpload(uri("/v1/media"), KEY_A, parts).header("Idempotency-Key", key).build());
        assertThat(first.statusCode()).as(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        String mediaId = json(first).get("mediaId").asString();

        // When the same upload reaches the second instance
        HttpResponse<byte[]> replay = send(multipartUpload(secondUri("/v1/media"), KEY_A, parts)
                .header("Idempotency-Key", key).build());

        // Then it is the first answer (same media, same Location), marked as a replay
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(json(replay).get("mediaId").asString()).isEqualTo(mediaId);
        assertThat(json(replay).get("sha256").asString()).isEqualTo(sha256(png));
        assertThat(header(replay, "Location")).contains("/v1/media/" + mediaId);
        assertThat(header(replay, "Idempotent-Replayed")).contains("true");

        // And another file under the same key is refused, and so is the same file with other fields
        HttpResponse<byte[]> otherFile = send(multipartUpload(secondUri("/v1/media"), KEY_A,
                Part.field("conversationId", "conv-idem"), Part.field("channel", "whatsapp"),
                Part.file("photo.png", "image/png", pngBytes(4096))).header("Idempotency-Key", key).build());
        assertThat(otherFile.statusCode()).isEqualTo(422);
        HttpResponse<byte[]> otherFields = send(multipartUpload(uri("/v1/media"), KEY_A,
                Part.field("conversationId", "conv-other"), Part.field("channel", "whatsapp"),
                Part.file("photo.png", "image/png", png)).header("Idempotency-Key", key).build());
        assertThat(otherFields.statusCode()).isEqualTo(422);
        assertThat(header(otherFields, "Content-Type").orElseThrow()).startsWith("application/problem+json");
    }
}
