package io.mediaplatform.ingest.media.storage;

import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.ObjectTooLargeException;
import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.embedded.EmbeddedS3;
import io.mediaplatform.embedded.SharedTestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ObjectStorage.put against the real S3 API (S3Proxy): a small object in one PUT, a large one in parts (5 MiB, the
 * smallest S3 takes) uploaded while the next is read, both byte for byte with their SHA-256, and an upload past the
 * limit stopped with nothing left under the key.
 */
class ObjectStoragePutTest {

    private static final EmbeddedS3 S3 = SharedTestInfra.s3();
    private static final S3AsyncClient CLIENT = S3AsyncClient.builder().region(Region.US_EAST_1).forcePathStyle(true)
            .endpointOverride(URI.create(S3.endpoint()))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3.accessKey(), S3.secretKey())))
            .build();
    private static final S3Presigner PRESIGNER = S3Presigner.builder().region(Region.US_EAST_1)
            .endpointOverride(URI.create(S3.endpoint()))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3.accessKey(), S3.secretKey())))
            .build();
    private final ObjectStorage storage = new ObjectStorage(CLIENT, PRESIGNER, S3.bucket(), 5 * 1024 * 1024);

    @AfterAll
    static void close() {
        CLIENT.close();
        PRESIGNER.close();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private byte[] read(String key) throws IOException {
        try (InputStream in = storage.open(key, null)) {
            return in.readAllBytes();
        }
    }

    @Test
    void uploads_past_the_upload_memory_wait_and_are_refused_with_nothing_kept_and_every_byte_of_room_comes_back() throws Exception {
        // Given storage whose uploads may hold two 5 MiB parts at once (10 MiB), waiting 200 ms for room
        ObjectStorage bounded = new ObjectStorage(CLIENT, PRESIGNER, S3.bucket(), 5 * 1024 * 1024, 10L * 1024 * 1024,
                java.time.Duration.ofMillis(200));
        int total = bounded.uploadMemory().total();
        byte[] four = random(4 * 1024 * 1024);

        // When two uploads of 4 MiB are read and held, not yet written
        ObjectStorage.Upload first = bounded.read("test/held-" + UUID.randomUUID(), new ByteArrayInputStream(four),
                "image/png", Map.of(), 1 << 30);
        ObjectStorage.Upload second = bounded.read("test/held-" + UUID.randomUUID(), new ByteArrayInputStream(four),
                "image/png", Map.of(), 1 << 30);

        // Then a third finds no room for its 4 MiB: it is refused, and what it had read is given back
        int freeBefore = bounded.uploadMemory().free();
        String thirdKey = "test/refused-" + UUID.randomUUID();
        assertThatThrownBy(() -> bounded.put(thirdKey, new ByteArrayInputStream(four), "image/png", Map.of(), 1 << 30))
                .isInstanceOf(io.mediaplatform.common.storage.UploadMemoryBusyException.class);
        assertThat(bounded.uploadMemory().free()).isEqualTo(freeBefore);
        assertThat(storage.head(thirdKey)).isEmpty();
        // And an upload announcing its 1 MiB (a Content-Length) reserves only that, so it still fits beside them
        byte[] one = random(1024 * 1024);
        ObjectStorage.Upload announced = bounded.read("test/announced-" + UUID.randomUUID(), new ByteArrayInputStream(one),
                "image/png", Map.of(), 1 << 30, one.length);
        assertThat(announced.sha256()).isEqualTo(sha256(one));
        ObjectStorage.release(announced);
        assertThat(bounded.uploadMemory().free()).isEqualTo(freeBefore);

        // And once the first is written and the second dropped, the same upload goes, and so does one of 12 MiB in parts
        String firstKey = "test/written-" + UUID.randomUUID();
        bounded.write(firstKey, (ObjectStorage.Held) first, "image/png", Map.of());
        ObjectStorage.release(second);
        assertThat(bounded.put(thirdKey, new ByteArrayInputStream(four), "image/png", Map.of(), 1 << 30).sha256())
                .isEqualTo(sha256(four));
        byte[] twelve = random(12 * 1024 * 1024);
        String largeKey = "test/parts-" + UUID.randomUUID();
        assertThat(bounded.put(largeKey, new TrickleInputStream(twelve), "video/mp4", Map.of(), 1 << 30).sha256())
                .isEqualTo(sha256(twelve));
        assertThat(read(firstKey)).isEqualTo(four);
        assertThat(read(largeKey)).isEqualTo(twelve);

        // And an upload stopped past its size limit gives its room back too: all of it is free again
        assertThatThrownBy(() -> bounded.put("test/too-large-" + UUID.randomUUID(), new ByteArrayInputStream(twelve),
                "video/mp4", Map.of(), 7 * 1024 * 1024)).isInstanceOf(ObjectTooLargeException.class);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> bounded.uploadMemory().free() == total);
    }

    @Test
    void a_small_object_and_a_large_one_in_parts_are_stored_byte_for_byte_with_their_sha256() throws Exception {
        // Given 100 bytes, and 18 MiB and a bit (four parts of 5 MiB, the last one short)
        byte[] small = random(100);
        byte[] large = random(18 * 1024 * 1024 + 12345);
        String smallKey = "test/put-" + UUID.randomUUID();
        String largeKey = "test/put-" + UUID.randomUUID();

        // When both are put, from streams that give a few bytes at a time
        StoredObject smallStored = storage.put(smallKey, new ByteArrayInputStream(small), "application/octet-stream", Map.of(), 1 << 30);
        StoredObject largeStored = storage.put(largeKey, new TrickleInputStream(large), "video/mp4", Map.of("tenant", "t"), 1 << 30);

        // Then each is stored exactly, with its size and SHA-256
        assertThat(smallStored.size()).isEqualTo(100);
        assertThat(smallStored.sha256()).isEqualTo(sha256(small));
        assertThat(read(smallKey)).isEqualTo(small);
        assertThat(largeStored.size()).isEqualTo(large.length);
        assertThat(largeStored.sha256()).isEqualTo(sha256(large));
        assertThat(read(largeKey)).isEqualTo(large);
        assertThat(storage.head(largeKey).orElseThrow().metadata()).containsEntry("tenant", "t");
    }

    @Test
    void a_small_upload_is_held_until_it_is_written_once_where_the_caller_says_and_a_large_one_is_streamed_to_its_key() throws Exception {
        // Given 3 000 bytes (less than a part) and 6 MiB (more than one)
        byte[] small = random(3000);
        byte[] large = random(6 * 1024 * 1024);
        String stagingKey = "test/staging-" + UUID.randomUUID();
        String finalKey = "test/final-" + UUID.randomUUID();
        String largeKey = "test/staging-" + UUID.randomUUID();

        // When both are read
        ObjectStorage.Upload held = storage.read(stagingKey, new TrickleInputStream(small), "image/png", Map.of("tenant", "t"), 1 << 30);
        ObjectStorage.Upload streamed = storage.read(largeKey, new TrickleInputStream(large), "video/mp4", Map.of("tenant", "t"), 1 << 30);

        // Then the small one is held with its size and hash and nothing is stored for it yet
        assertThat(held).isInstanceOf(ObjectStorage.Held.class);
        assertThat(held.size()).isEqualTo(3000);
        assertThat(held.sha256()).isEqualTo(sha256(small));
        assertThat(storage.head(stagingKey)).isEmpty();
        // and the large one is already under its key
        assertThat(streamed).isInstanceOf(ObjectStorage.Written.class);
        assertThat(streamed.sha256()).isEqualTo(sha256(large));
        assertThat(read(largeKey)).isEqualTo(large);

        // When the held one is written to the key and with the metadata known by then
        StoredObject written = storage.write(finalKey, (ObjectStorage.Held) held, "image/png", Map.of("tenant", "t", "sha256", held.sha256()));

        // Then it is there byte for byte with that metadata, and never was under the key it was read for
        assertThat(written.size()).isEqualTo(3000);
        assertThat(read(finalKey)).isEqualTo(small);
        assertThat(storage.head(finalKey).orElseThrow().metadata()).containsEntry("sha256", sha256(small));
        assertThat(storage.head(stagingKey)).isEmpty();
    }

    @Test
    void an_upload_past_the_limit_stops_and_leaves_nothing_under_its_key() {
        // Given 14 MiB against a limit of 12 MiB (the limit passed in the third part)
        byte[] bytes = random(14 * 1024 * 1024);
        String key = "test/put-" + UUID.randomUUID();

        // Then the put fails as too large, and there is no object
        assertThatThrownBy(() -> storage.put(key, new ByteArrayInputStream(bytes), "video/mp4", Map.of(), 12L * 1024 * 1024))
                .isInstanceOf(ObjectTooLargeException.class);
        assertThat(storage.head(key)).isEmpty();
    }

    /** Gives at most 1 000 bytes per read, like a slow network. */
    private static final class TrickleInputStream extends ByteArrayInputStream {
        TrickleInputStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1000));
        }
    }
}
