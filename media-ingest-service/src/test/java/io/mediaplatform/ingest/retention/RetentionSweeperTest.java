package io.mediaplatform.ingest.retention;

import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.ingest.IngestServiceTestBase;
import io.mediaplatform.ingest.retention.storage.RetentionSweeper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retention sweeper against the real bucket: tenant {@code shortlived} keeps media one second
 * ({@code MEDIA_RETENTION_TENANTS=shortlived:1s}), everyone else the 30-day default; staging objects older
 * than an hour are crashed uploads.
 */
class RetentionSweeperTest extends IngestServiceTestBase {

    @Autowired
    RetentionSweeper sweeper;
    @Autowired
    ObjectStorage storage;
    @Autowired
    S3AsyncClient s3;

    @Test
    void media_past_its_tenants_retention_is_deleted_with_its_sidecar_and_other_tenants_media_is_kept() {
        // Given media of the short-lived tenant (with a validation sidecar) and of tenant A
        String shortLived = uploadPng(KEY_SHORT, "conv-short", pngBytes(700));
        storage.put("tenants/" + TENANT_SHORT + "/media/" + shortLived + ".outcome.json",
                new ByteArrayInputStream("{}".getBytes()), "application/json", Map.of(), 2);
        String kept = uploadPng(KEY_A, "conv-kept", pngBytes(700));
        // And the short-lived media fetched once, so this instance keeps its bytes (INGEST_MEDIA_CACHE_BYTES)
        assertThat(get("/v1/media/" + shortLived + "/content", KEY_SHORT).statusCode()).isEqualTo(200);

        // When the sweeper runs after the short retention has passed
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            sweeper.sweep(Instant.now());
            // Then the short-lived media and its sidecar are gone
            assertThat(keys("tenants/" + TENANT_SHORT + "/media/")).isEmpty();
        });
        assertThat(get("/v1/media/" + shortLived, KEY_SHORT).statusCode()).isEqualTo(404);
        // And its bytes are no longer served from memory either
        assertThat(get("/v1/media/" + shortLived + "/content", KEY_SHORT).statusCode()).isEqualTo(404);

        // And tenant A's media is untouched
        assertThat(get("/v1/media/" + kept, KEY_A).statusCode()).isEqualTo(200);
    }

    @Test
    void staging_objects_older_than_an_hour_are_deleted_and_fresh_ones_kept() {
        // Given a staging object left by a crashed upload
        String key = "tenants/acme/staging/" + UUID.randomUUID();
        storage.put(key, new ByteArrayInputStream(new byte[]{1, 2, 3}), "image/png", Map.of(), 3);

        // When the sweeper runs now, it is kept (fresh)
        sweeper.sweep(Instant.now());
        assertThat(keys("tenants/acme/staging/")).contains(key);

        // When the sweeper runs as if 61 minutes had passed, it is deleted
        RetentionSweeper.Swept swept = sweeper.sweep(Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(keys("tenants/acme/staging/")).doesNotContain(key);
        assertThat(swept.staging()).isGreaterThanOrEqualTo(1);
    }

    private List<String> keys(String prefix) {
        return s3.listObjectsV2(b -> b.bucket("media").prefix(prefix)).join().contents().stream().map(S3Object::key).toList();
    }
}
