package io.mediaplatform.ingest.media;

import io.mediaplatform.common.signing.LinkSigner;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.ingest.IngestServiceTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/media/{id}/content} and signed links. */
class ContentApiTest extends IngestServiceTestBase {

    @Autowired
    LinkSigner signer;

    @Autowired
    ObjectStorage storage;

    @Test
    void a_small_media_fetched_again_comes_from_memory_until_it_is_deleted() {
        // Given stored media downloaded once (a campaign's first provider fetch)
        byte[] png = pngBytes(30_000);
        String mediaId = uploadPng(KEY_A, "conv-campaign", png);
        String path = "/v1/media/" + mediaId + "/content";
        HttpResponse<byte[]> first = get(path, KEY_A);
        assertThat(first.statusCode()).isEqualTo(200);

        // When its object is removed from S3 behind the service's back
        storage.delete(io.mediaplatform.ingest.media.core.MediaKeys.media(TENANT_A, mediaId));

        // Then the next fetches are answered from memory (INGEST_MEDIA_CACHE_BYTES), same bytes and headers, no S3 read
        HttpResponse<byte[]> again = get(path, KEY_A);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(png);
        assertThat(header(again, "ETag")).isEqualTo(header(first, "ETag"));
        assertThat(header(again, "Content-Disposition")).isEqualTo(header(first, "Content-Disposition"));
        // And another tenant's key still gets nothing
        assertThat(get(path, KEY_B).statusCode()).isEqualTo(404);

        // When a media is deleted through the API
        byte[] other = pngBytes(31_000);
        String deleted = uploadPng(KEY_A, "conv-campaign", other);
        assertThat(get("/v1/media/" + deleted + "/content", KEY_A).statusCode()).isEqualTo(200);
        assertThat(send(request("/v1/media/" + deleted, KEY_A).DELETE().build()).statusCode()).isEqualTo(204);

        // Then it is gone at once, from memory too
        HttpResponse<byte[]> gone = get("/v1/media/" + deleted + "/content", KEY_A);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(header(gone, "Content-Type")).contains("application/problem+json");
    }

    @Test
    void the_content_comes_back_whole_with_type_length_etag_and_file_name() {
        // Given stored media
        byte[] png = pngBytes(20_000);
        String mediaId = uploadPng(KEY_A, "conv-dl", png);

        // When it is downloaded with the API key
        HttpResponse<byte[]> response = get("/v1/media/" + mediaId + "/content", KEY_A);

        // Then the bytes and headers are right
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(png);
        assertThat(header(response, "Content-Type")).contains("image/png");
        assertThat(header(response, "Content-Length")).contains(String.valueOf(png.length));
        assertThat(header(response, "ETag").orElseThrow()).startsWith("\"").endsWith("\"");
        assertThat(header(response, "Accept-Ranges")).contains("bytes");
        assertThat(header(response, "Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"photo.png\"; filename*=UTF-8''photo.png");
    }

    @Test
    void a_range_request_gets_206_with_just_those_bytes_and_a_matching_etag_gets_304() {
        // Given stored media and its ETag
        byte[] png = pngBytes(5_000);
        String mediaId = uploadPng(KEY_A, "conv-range", png);
        String etag = header(get("/v1/media/" + mediaId + "/content", KEY_A), "ETag").orElseThrow();

        // When a range, a range past the end, and a conditional request are made
        HttpResponse<byte[]> partial = send(request("/v1/media/" + mediaId + "/content", KEY_A)
                .header("Range", "bytes=100-199").GET().build());
        HttpResponse<byte[]> suffix = send(request("/v1/media/" + mediaId + "/content", KEY_A)
                .header("Range", "bytes=-10").GET().build());
        HttpResponse<byte[]> outside = send(request("/v1/media/" + mediaId + "/content", KEY_A)
                .header("Range", "bytes=9000-").GET().build());
        HttpResponse<byte[]> notModified = send(request("/v1/media/" + mediaId + "/content", KEY_A)
                .header("If-None-Match", etag).GET().build());

        // Then each gets its answer
        assertThat(partial.statusCode()).isEqualTo(206);
        assertThat(partial.body()).isEqualTo(Arrays.copyOfRange(png, 100, 200));
        assertThat(header(partial, "Content-Range")).contains("bytes 100-199/5000");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(png, 4_990, 5_000));
        assertThat(outside.statusCode()).isEqualTo(416);
        assertThat(header(outside, "Content-Range")).contains("bytes */5000");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
    }

    @Test
    void a_signed_link_downloads_without_a_key_until_it_is_tampered_with_or_expires() {
        // Given stored media and a signed link to it
        byte[] png = pngBytes(4_000);
        String mediaId = uploadPng(KEY_A, "conv-link", png);
        HttpResponse<byte[]> linkResponse = postJson("/v1/media/" + mediaId + "/links", KEY_A, "{}");
        assertThat(linkResponse.statusCode()).isEqualTo(200);
        JsonNode link = json(linkResponse);
        URI url = URI.create(link.get("url").asString());
        Instant expiresAt = Instant.parse(link.get("expiresAt").asString());
        assertThat(expiresAt).isBetween(Instant.now().plusSeconds(250), Instant.now().plusSeconds(310));
        String pathAndQuery = url.getRawPath() + "?" + url.getRawQuery();

        // When the link is used as is, with a changed signature, for other media, expired, and with nothing at all
        HttpResponse<byte[]> valid = get(pathAndQuery, null);
        String signature = pathAndQuery.substring(pathAndQuery.indexOf("signature=") + 10);
        String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
        HttpResponse<byte[]> tampered = get(pathAndQuery.replace(signature, flipped), null);
        String otherMedia = uploadPng(KEY_A, "conv-link", pngBytes(100));
        HttpResponse<byte[]> moved = get(pathAndQuery.replace(mediaId, otherMedia), null);
        Instant past = Instant.now().minusSeconds(5);
        HttpResponse<byte[]> expired = get("/v1/media/" + mediaId + "/content?tenant=acme&expires=" + past.getEpochSecond()
                + "&signature=" + signer.sign(TENANT_A, mediaId, past), null);
        HttpResponse<byte[]> anonymous = get("/v1/media/" + mediaId + "/content", null);

        // Then only the untouched link works
        assertThat(valid.statusCode()).isEqualTo(200);
        assertThat(valid.body()).isEqualTo(png);
        for (HttpResponse<byte[]> refused : new HttpResponse[]{tampered, moved, expired}) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(header(refused, "Content-Type").orElseThrow()).startsWith("application/problem+json");
        }
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void a_link_longer_than_the_maximum_or_for_unknown_media_is_refused() {
        // Given stored media
        String mediaId = uploadPng(KEY_A, "conv-link2", pngBytes(100));

        // When links are asked for too long, and for media of another tenant
        HttpResponse<byte[]> tooLong = postJson("/v1/media/" + mediaId + "/links", KEY_A, "{\"ttlSeconds\": 999999}");
        HttpResponse<byte[]> foreign = postJson("/v1/media/" + mediaId + "/links", KEY_B, "{}");
        HttpResponse<byte[]> custom = send(request("/v1/media/" + mediaId + "/links", KEY_A)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"ttlSeconds\": 60}")).build());

        // Then they are refused, and a short one is fine
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(custom.statusCode()).isEqualTo(200);
        assertThat(Instant.parse(json(custom).get("expiresAt").asString())).isBefore(Instant.now().plusSeconds(70));
    }
}
