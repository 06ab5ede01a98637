package io.mediaplatform.ingest.media;

import io.mediaplatform.ingest.IngestServiceTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/media/by-name/{name}} and {@code /content}: a download naming only {@code <conversationId>_<fileName>}. */
class ByNameApiTest extends IngestServiceTestBase {

    private static String path(String name) {
        return "/v1/media/by-name/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void the_name_of_the_upload_answer_downloads_the_bytes_and_describes_the_media() {
        // Given an upload, and the name its answer gave
        String conversation = "conv-name-" + UUID.randomUUID();
        byte[] png = pngBytes(3_000);
        HttpResponse<byte[]> upload = uploadMultipart(KEY_A, Part.field("conversationId", conversation),
                Part.field("channel", "whatsapp"), Part.file("photo.png", "image/png", png));
        assertThat(upload.statusCode()).isEqualTo(201);
        String name = json(upload).get("name").asString();
        String mediaId = json(upload).get("mediaId").asString();
        assertThat(name).isEqualTo(conversation + "_photo.png");

        // When the bytes and the metadata are asked for by that name
        HttpResponse<byte[]> content = get(path(name) + "/content", KEY_A);
        HttpResponse<byte[]> metadata = get(path(name), KEY_A);

        // Then they are the upload's, and the answer says it was the only media of that name
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(png);
        assertThat(header(content, "Content-Type")).contains("image/png");
        assertThat(header(content, "Media-Id")).contains(mediaId);
        assertThat(header(content, "Media-Name-Matches")).contains("1");
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(json(metadata).get("mediaId").asString()).isEqualTo(mediaId);
        assertThat(json(metadata).get("name").asString()).isEqualTo(name);
        assertThat(header(metadata, "Media-Name-Matches")).contains("1");
    }

    @Test
    void when_several_uploads_share_a_name_the_newest_wins_and_the_answer_counts_them() {
        // Given three uploads of photo.png in one conversation
        String conversation = "conv-same-" + UUID.randomUUID();
        uploadPng(KEY_A, conversation, pngBytes(1_000));
        String second = uploadPng(KEY_A, conversation, pngBytes(1_001));
        byte[] newest = pngBytes(1_002);
        String third = uploadPng(KEY_A, conversation, newest);
        String name = conversation + "_photo.png";

        // When the name is downloaded
        HttpResponse<byte[]> content = get(path(name) + "/content", KEY_A);

        // Then the newest comes back, and the answer says three media have that name
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(newest);
        assertThat(header(content, "Media-Id")).contains(third);
        assertThat(header(content, "Media-Name-Matches")).contains("3");

        // And when the newest is deleted, the name means the one before it, of two
        assertThat(send(request("/v1/media/" + third, KEY_A).DELETE().build()).statusCode()).isEqualTo(204);
        HttpResponse<byte[]> after = get(path(name), KEY_A);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(header(after, "Media-Id")).contains(second);
        assertThat(header(after, "Media-Name-Matches")).contains("2");
    }

    @Test
    void an_unknown_name_and_another_tenants_name_are_404_problems_and_a_key_is_required() {
        // Given tenant A's upload
        String conversation = "conv-private-" + UUID.randomUUID();
        uploadPng(KEY_A, conversation, pngBytes(500));
        String name = conversation + "_photo.png";

        // When an unknown name is asked for, tenant B asks for A's name, and nobody gives a key
        HttpResponse<byte[]> unknown = get(path("conv-nobody_photo.png") + "/content", KEY_A);
        HttpResponse<byte[]> otherTenant = get(path(name) + "/content", KEY_B);
        HttpResponse<byte[]> otherTenantMetadata = get(path(name), KEY_B);
        HttpResponse<byte[]> anonymous = get(path(name) + "/content", null);

        // Then each is a problem: 404 alike for unknown and foreign names, 401 without a key
        for (HttpResponse<byte[]> response : java.util.List.of(unknown, otherTenant, otherTenantMetadata)) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(header(response, "Content-Type").orElseThrow()).startsWith("application/problem+json");
            JsonNode problem = json(response);
            assertThat(problem.get("type").asString()).endsWith("/problems/not-found");
        }
        assertThat(json(otherTenant).get("detail").asString()).isEqualTo(json(unknown).get("detail").asString()
                .replace("conv-nobody_photo.png", name));
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
