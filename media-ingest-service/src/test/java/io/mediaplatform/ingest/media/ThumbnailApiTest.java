package io.mediaplatform.ingest.media;

import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.ingest.IngestServiceTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/media/{id}/thumbnail}: serves the renditions validation stores beside the media (written here as
 * validation writes them, in the real bucket: validation's own tests make them), by API key or signed link.
 */
class ThumbnailApiTest extends IngestServiceTestBase {

    @Autowired
    ObjectStorage storage;

    private void storeBeside(String mediaId, String suffix, byte[] bytes, String type) {
        storage.put("tenants/" + TENANT_A + "/media/" + mediaId + suffix, new ByteArrayInputStream(bytes), type, Map.of(),
                bytes.length);
    }

    @Test
    void the_smallest_thumbnail_is_served_by_default_another_by_size_and_through_a_signed_link() {
        // Given media with a 96x96 and a 320x240 thumbnail
        String mediaId = uploadPng(KEY_A, "conv-thumb", pngBytes(2_000));
        byte[] small = "jpeg-96".getBytes(StandardCharsets.US_ASCII);
        byte[] medium = "jpeg-320".getBytes(StandardCharsets.US_ASCII);
        storeBeside(mediaId, ".thumb-96x96.jpg", small, "image/jpeg");
        storeBeside(mediaId, ".thumb-320x240.jpg", medium, "image/jpeg");

        // When they are asked for
        HttpResponse<byte[]> smallest = get("/v1/media/" + mediaId + "/thumbnail", KEY_A);
        HttpResponse<byte[]> sized = get("/v1/media/" + mediaId + "/thumbnail?size=320x240", KEY_A);

        // Then each is its JPEG
        assertThat(smallest.statusCode()).isEqualTo(200);
        assertThat(header(smallest, "Content-Type")).contains("image/jpeg");
        assertThat(smallest.body()).isEqualTo(small);
        assertThat(sized.body()).isEqualTo(medium);

        // And the media's signed link opens its thumbnail too, without a key; a forged one does not
        String link = json(postJson("/v1/media/" + mediaId + "/links", KEY_A, "{}")).get("url").asString();
        String query = URI.create(link).getRawQuery();
        assertThat(get("/v1/media/" + mediaId + "/thumbnail?" + query, null).body()).isEqualTo(small);
        assertThat(get("/v1/media/" + mediaId + "/thumbnail?" + query.replaceAll("signature=[^&]+", "signature=AAAA"), null)
                .statusCode()).isEqualTo(403);
        // And another tenant's key gets 404
        assertThat(get("/v1/media/" + mediaId + "/thumbnail", KEY_B).statusCode()).isEqualTo(404);
    }

    @Test
    void no_thumbnail_is_a_404_a_refused_one_a_422_with_the_reason_and_a_bad_size_a_400() {
        // Given media without thumbnails, and media whose thumbnails validation refused
        String none = uploadPng(KEY_A, "conv-thumb-none", pngBytes(900));
        String bomb = uploadPng(KEY_A, "conv-thumb-bomb", pngBytes(900));
        storeBeside(bomb, ".thumb-refused.txt", "No thumbnail: it declares 20000 x 20000 pixels (400.0 MP), over the 50.0 MP decoding limit"
                .getBytes(StandardCharsets.UTF_8), "text/plain");

        // Then each answer is a problem saying why
        HttpResponse<byte[]> missing = get("/v1/media/" + none + "/thumbnail", KEY_A);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("detail").asString()).contains("no thumbnail");
        HttpResponse<byte[]> refused = get("/v1/media/" + bomb + "/thumbnail", KEY_A);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(header(refused, "Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(json(refused).get("detail").asString()).contains("decoding limit");
        HttpResponse<byte[]> badSize = get("/v1/media/" + none + "/thumbnail?size=10x10", KEY_A);
        assertThat(badSize.statusCode()).isEqualTo(400);
        assertThat(json(badSize).get("field").asString()).isEqualTo("size");
    }
}
