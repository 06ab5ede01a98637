package io.mediaplatform.ingest.media;

import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.ingest.IngestServiceTestBase;
import io.mediaplatform.ingest.SourceServer;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/media/from-url} against a real source server: the same 201 as an upload, with or without auth. */
@ExtendWith(OutputCaptureExtension.class)
class FromUrlApiTest extends IngestServiceTestBase {

    @Test
    void media_fetched_from_a_url_is_stored_and_announced_like_an_upload() {
        // When media is fetched from the source
        HttpResponse<byte[]> response = postJson("/v1/media/from-url", KEY_A, """
                {"sourceUrl": "%s", "conversationId": "conv-url-1", "channel": "whatsapp", "inboxId": "inbox-3"}"""
                .formatted(SourceServer.url("/files/holiday%20photo.png")));

        // Then the answer is the upload answer, named after the URL's last segment
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        JsonNode body = json(response);
        String mediaId = body.get("mediaId").asString();
        assertThat(header(response, "Location")).contains("/v1/media/" + mediaId);
        assertThat(body.get("name").asString()).isEqualTo("conv-url-1_holiday photo.png");
        assertThat(body.get("type").asString()).isEqualTo("image/png");
        assertThat(body.get("size").asLong()).isEqualTo(SourceServer.PNG.length);
        assertThat(body.get("sha256").asString()).isEqualTo(sha256(SourceServer.PNG));
        assertThat(body.get("etag").asString()).isNotBlank();
        assertThat(body.get("message").asString()).isEqualTo("File uploaded successfully.");

        // And media.received announces it, and the bytes read back
        ConsumerRecord<String, MediaReceived> record = awaitRecord(Topics.MEDIA_RECEIVED_NAME,
                r -> r.value() instanceof MediaReceived e && e.getMedia().getMediaId().equals(mediaId));
        assertThat(record.key()).isEqualTo("conv-url-1");
        assertThat(record.value().getMedia().getInboxId()).isEqualTo("inbox-3");
        assertThat(record.value().getMedia().getStorage().getKey()).isEqualTo("tenants/acme/media/" + mediaId);
        assertThat(get("/v1/media/" + mediaId + "/content", KEY_A).body()).isEqualTo(SourceServer.PNG);
    }

    @Test
    void the_declared_type_and_file_name_override_the_source() {
        // When the client declares a type and a name
        HttpResponse<byte[]> response = postJson("/v1/media/from-url", KEY_A, """
                {"sourceUrl": "%s", "conversationId": "conv-url-2", "channel": "MMS", "fileName": "card.jpg",
                 "mimeType": "image/jpeg", "direction": "inbound"}""".formatted(SourceServer.url("/files/x")));

        // Then they are kept
        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode body = json(response);
        assertThat(body.get("name").asString()).isEqualTo("conv-url-2_card.jpg");
        assertThat(body.get("type").asString()).isEqualTo("image/jpeg");
        JsonNode meta = json(get("/v1/media/" + body.get("mediaId").asString(), KEY_A));
        assertThat(meta.get("direction").asString()).isEqualTo("INBOUND");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bearer", "basic", "oauth2"})
    void a_protected_source_is_fetched_with_the_given_credentials_which_are_never_logged(String type, CapturedOutput output) {
        // Given credentials of each kind
        String auth = switch (type) {
            case "bearer" -> "{\"type\": \"bearer\", \"token\": \"" + SourceServer.BEARER + "\"}";
            case "basic" -> "{\"type\": \"basic\", \"username\": \"" + SourceServer.BASIC_USER + "\", \"password\": \""
                    + SourceServer.BASIC_PASSWORD + "\"}";
            default -> "{\"type\": \"oauth2\", \"tokenUrl\": \"" + SourceServer.url("/oauth/token") + "\", \"clientId\": \""
                    + SourceServer.CLIENT_ID + "\", \"clientSecret\": \"" + SourceServer.CLIENT_SECRET + "\", \"scope\": \"media.read\"}";
        };

        // When the protected source is fetched
        HttpResponse<byte[]> response = postJson("/v1/media/from-url", KEY_A, """
                {"sourceUrl": "%s", "conversationId": "conv-auth", "channel": "RCS", "auth": %s}"""
                .formatted(SourceServer.url("/auth/" + (type.equals("oauth2") ? "oauth" : type) + "/secret.png"), auth));

        // Then it is stored with the protected bytes
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        assertThat(json(response).get("sha256").asString()).isEqualTo(sha256(SourceServer.PNG));

        // And no secret appears in the logs
        assertThat(output.getAll()).doesNotContain(SourceServer.BEARER, SourceServer.BASIC_PASSWORD,
                SourceServer.CLIENT_SECRET, SourceServer.ACCESS_TOKEN);
    }
}
