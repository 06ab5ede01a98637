package io.mediaplatform.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedS3Test {

    private static final String ACCESS = "test-access";
    private static final String SECRET = "test-secret";
    private static final String BUCKET = "media";

    @TempDir
    Path dir;

    private EmbeddedS3 s3;
    private S3AsyncClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void storesAndReturnsAnObjectInTheBucketItCreated() {
        // Given a started server
        s3 = new EmbeddedS3(dir, 0, ACCESS, SECRET, BUCKET).start();
        client = client(s3.endpoint(), SECRET);

        // When an object is put into the bucket
        put("tenant/a.txt", "hello media");

        // Then it is read back byte for byte
        assertThat(get("tenant/a.txt")).isEqualTo("hello media");
        assertThat(s3.endpoint()).startsWith("http://127.0.0.1:");
    }

    @Test
    void keepsObjectsAcrossARestartOnTheSameDirectory() {
        // Given an object stored by a server
        s3 = new EmbeddedS3(dir, 0, ACCESS, SECRET, BUCKET).start();
        client = client(s3.endpoint(), SECRET);
        put("kept.bin", "still here");
        client.close();
        s3.close();

        // When a new server starts on the same directory
        s3 = new EmbeddedS3(dir, 0, ACCESS, SECRET, BUCKET).start();
        client = client(s3.endpoint(), SECRET);

        // Then the object is still there
        assertThat(get("kept.bin")).isEqualTo("still here");
    }

    @Test
    void refusesRequestsSignedWithAnotherSecret() {
        // Given a started server
        s3 = new EmbeddedS3(dir, 0, ACCESS, SECRET, BUCKET).start();

        // When a client signs with a wrong secret
        client = client(s3.endpoint(), "wrong-secret");

        // Then the request is refused with 403
        assertThatThrownBy(() -> put("denied.txt", "nope"))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    @Test
    void reportsAPortInUseClearly() {
        // Given a server on some port
        s3 = new EmbeddedS3(dir, 0, ACCESS, SECRET, BUCKET).start();

        // When a second server is asked for the same port
        EmbeddedS3 second = new EmbeddedS3(dir.resolve("other"), s3.port(), ACCESS, SECRET, BUCKET);

        // Then it fails naming the port
        assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(String.valueOf(s3.port()))
                .hasMessageContaining("already in use");
    }

    private void put(String key, String content) {
        client.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromString(content)).join();
    }

    private String get(String key) {
        return client.getObject(b -> b.bucket(BUCKET).key(key), AsyncResponseTransformer.toBytes()).join()
                .asString(StandardCharsets.UTF_8);
    }

    private static S3AsyncClient client(String endpoint, String secret) {
        return S3AsyncClient.builder()
                .endpointOverride(URI.create(endpoint))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, secret)))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build();
    }
}
