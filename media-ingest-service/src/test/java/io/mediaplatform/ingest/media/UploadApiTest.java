package io.mediaplatform.ingest.media;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.ingest.IngestServiceTestBase;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code POST /v1/media}, {@code GET /v1/media/{id}} and {@code DELETE /v1/media/{id}} against real Kafka and S3. */
class UploadApiTest extends IngestServiceTestBase {

    @Autowired
    S3AsyncClient s3;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void a_multipart_upload_is_stored_with_its_sha256_and_announced_on_media_received() {
        // Given a PNG and its hash
        byte[] png = pngBytes(50_000);
        String conversation = "conv-" + UUID.randomUUID();

        // When it is uploaded with the text fields first
        HttpResponse<byte[]> response = uploadMultipart(KEY_A, Part.field("conversationId", conversation),
                Part.field("channel", "WhatsApp"), Part.field("inboxId", "inbox-7"),
                Part.file("photo.png", "image/png", png));

        // Then the answer names it and carries the right hash
        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode body = json(response);
        String mediaId = body.get("mediaId").asString();
        assertThat(header(response, "Location")).contains("/v1/media/" + mediaId);
        assertThat(body.get("name").asString()).isEqualTo(conversation + "_photo.png");
        assertThat(body.get("type").asString()).isEqualTo("image/png");
        assertThat(body.get("size").asLong()).isEqualTo(png.length);
        assertThat(body.get("sha256").asString()).isEqualTo(sha256(png));
        assertThat(body.get("etag").asString()).isNotBlank();
        assertThat(body.get("message").asString()).isEqualTo("File uploaded successfully.");

        // And media.received carries the stored reference, keyed by the conversation
        ConsumerRecord<String, MediaReceived> record = awaitRecord(Topics.MEDIA_RECEIVED_NAME,
                r -> r.value() instanceof MediaReceived e && e.getMedia().getMediaId().equals(mediaId));
        assertThat(record.key()).isEqualTo(conversation);
        MediaReceived event = record.value();
        assertThat(event.getTenantId()).isEqualTo(TENANT_A);
        assertThat(event.getMessage()).isNull();
        MediaRef media = event.getMedia();
        assertThat(media.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(media.getDirection()).isEqualTo(Direction.OUTBOUND);
        assertThat(media.getInboxId()).isEqualTo("inbox-7");
        assertThat(media.getSha256()).isEqualTo(sha256(png));
        assertThat(media.getSize()).isEqualTo(png.length);
        assertThat(media.getDeclaredContentType()).isEqualTo("image/png");
        assertThat(media.getStorage().getKey()).isEqualTo("tenants/acme/media/" + mediaId);

        // And the metadata reads back, validation still pending
        JsonNode meta = json(get("/v1/media/" + mediaId, KEY_A));
        assertThat(meta.get("conversationId").asString()).isEqualTo(conversation);
        assertThat(meta.get("channel").asString()).isEqualTo("WHATSAPP");
        assertThat(meta.get("direction").asString()).isEqualTo("OUTBOUND");
        assertThat(meta.get("sha256").asString()).isEqualTo(sha256(png));
        assertThat(meta.get("size").asLong()).isEqualTo(png.length);
        assertThat(meta.get("createdAt").asString()).isNotBlank();
        assertThat(meta.get("validation").get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void text_fields_sent_after_the_file_still_apply() {
        // Given a multipart body whose file part comes first
        byte[] png = pngBytes(3_000);

        // When it is uploaded
        HttpResponse<byte[]> response = uploadMultipart(KEY_A, Part.file("late.png", "image/png", png),
                Part.field("conversationId", "conv-late"), Part.field("channel", "rcs"), Part.field("direction", "inbound"));

        // Then the fields after the file are part of the media
        assertThat(response.statusCode()).isEqualTo(201);
        String mediaId = json(response).get("mediaId").asString();
        JsonNode meta = json(get("/v1/media/" + mediaId, KEY_A));
        assertThat(meta.get("conversationId").asString()).isEqualTo("conv-late");
        assertThat(meta.get("channel").asString()).isEqualTo("RCS");
        assertThat(meta.get("direction").asString()).isEqualTo("INBOUND");
        assertThat(meta.get("sha256").asString()).isEqualTo(sha256(png));
    }

    @Test
    void a_raw_body_upload_takes_its_name_from_content_disposition_and_sanitises_it() {
        // Given raw JPEG bytes with a UTF-8 file name that tries to climb out of its folder
        byte[] jpeg = pngBytes(10_000);
        HttpRequest request = request("/v1/media?conversationId=conv-raw&channel=webchat", KEY_A)
                .header("Content-Type", "image/jpeg")
                .header("Content-Disposition", "attachment; filename=\"x.jpg\"; filename*=UTF-8''..%2F..%2Fcaf%C3%A9%E2%80%AE.jpg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build();

        // When it is uploaded
        HttpResponse<byte[]> response = send(request);

        // Then it is stored under a safe name, and the original name comes back on download
        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode body = json(response);
        assertThat(body.get("name").asString()).isEqualTo("conv-raw_café_.jpg");
        assertThat(body.get("type").asString()).isEqualTo("image/jpeg");
        assertThat(body.get("sha256").asString()).isEqualTo(sha256(jpeg));
        HttpResponse<byte[]> download = get("/v1/media/" + body.get("mediaId").asString() + "/content", KEY_A);
        assertThat(download.body()).isEqualTo(jpeg);
        assertThat(header(download, "Content-Disposition").orElseThrow()).startsWith("attachment;")
                .contains("filename*=UTF-8''caf%C3%A9_.jpg");
    }

    @Test
    void an_upload_over_the_limit_is_refused_with_413_and_leaves_nothing_behind() {
        // Given what tenant A has stored so far
        List<String> before = keys("tenants/acme/");

        // When a file one byte... well past the limit is uploaded, as multipart and as a raw body
        HttpResponse<byte[]> multipart = uploadMultipart(KEY_A, Part.field("conversationId", "conv-big"),
                Part.field("channel", "MMS"), Part.file("big.png", "image/png", pngBytes((int) MAX_UPLOAD + 100_000)));
        HttpResponse<byte[]> raw = send(request("/v1/media?conversationId=conv-big&channel=MMS", KEY_A)
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(pngBytes((int) MAX_UPLOAD + 1))).build());

        // Then both are 413 problems and no object was added
        for (HttpResponse<byte[]> response : List.of(multipart, raw)) {
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(header(response, "Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(json(response).get("limit").asLong()).isEqualTo(MAX_UPLOAD);
        }
        assertThat(keys("tenants/acme/")).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void an_empty_file_is_a_400_problem() {
        // When a zero-byte file is uploaded
        HttpResponse<byte[]> response = uploadMultipart(KEY_A, Part.field("conversationId", "conv-empty"),
                Part.field("channel", "EMAIL"), Part.file("empty.txt", "text/plain", new byte[0]));

        // Then it is refused
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("field").asString()).isEqualTo("file");
        assertThat(keys("tenants/acme/staging/")).isEmpty();
    }

    @Test
    void a_missing_file_or_conversation_id_or_a_bad_channel_is_a_400_problem_naming_the_field() {
        // When parts are missing or wrong
        HttpResponse<byte[]> noFile = uploadMultipart(KEY_A, Part.field("conversationId", "c"), Part.field("channel", "MMS"));
        HttpResponse<byte[]> noConversation = uploadMultipart(KEY_A, Part.field("channel", "MMS"),
                Part.file("a.png", "image/png", pngBytes(100)));
        HttpResponse<byte[]> badChannel = uploadMultipart(KEY_A, Part.field("conversationId", "c"),
                Part.field("channel", "FAX"), Part.file("a.png", "image/png", pngBytes(100)));

        // Then each is a problem naming what is wrong
        assertProblem(noFile, 400, "file");
        assertProblem(noConversation, 400, "conversationId");
        assertProblem(badChannel, 400, "channel");
        assertThat(keys("tenants/acme/staging/")).isEmpty();
    }

    @Test
    void a_missing_or_unknown_api_key_is_a_401_problem() {
        // When the key is missing or unknown
        HttpResponse<byte[]> missing = uploadMultipart(null, Part.field("conversationId", "c"));
        HttpResponse<byte[]> unknown = get("/v1/media/" + UUID.randomUUID(), "not-a-key");

        // Then both are 401 problems
        for (HttpResponse<byte[]> response : List.of(missing, unknown)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(header(response, "Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(json(response).get("status").asInt()).isEqualTo(401);
        }
    }

    @Test
    void a_key_without_media_write_cannot_upload() {
        // When a read-only key uploads
        HttpResponse<byte[]> response = uploadMultipart(KEY_A_READ_ONLY, Part.field("conversationId", "c"),
                Part.field("channel", "MMS"), Part.file("a.png", "image/png", pngBytes(100)));

        // Then it is forbidden
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void unknown_media_and_another_tenants_media_are_both_404() {
        // Given media of tenant A
        String mediaId = uploadPng(KEY_A, "conv-private", pngBytes(1_000));

        // When tenant B asks for it, and tenant A asks for ids that do not exist
        HttpResponse<byte[]> otherTenant = get("/v1/media/" + mediaId, KEY_B);
        HttpResponse<byte[]> otherTenantContent = get("/v1/media/" + mediaId + "/content", KEY_B);
        HttpResponse<byte[]> unknown = get("/v1/media/" + UUID.randomUUID(), KEY_A);
        HttpResponse<byte[]> sidecar = get("/v1/media/" + mediaId + ".outcome.json", KEY_A);

        // Then all are the same 404 problem
        for (HttpResponse<byte[]> response : List.of(otherTenant, otherTenantContent, unknown, sidecar)) {
            assertProblem(response, 404, null);
        }
        assertThat(get("/v1/media/" + mediaId, KEY_A).statusCode()).isEqualTo(200);
    }

    @Test
    void validation_outcomes_show_in_the_metadata_and_events_for_foreign_keys_are_skipped() {
        // Given two media of tenant A
        String accepted = uploadPng(KEY_A, "conv-val", pngBytes(2_000));
        String rejected = uploadPng(KEY_A, "conv-val", pngBytes(2_000));

        // When validation accepts the first, rejects the second, and an event claims tenant B owns the first
        publish(Topics.MEDIA_ACCEPTED_NAME, "conv-val", MediaAccepted.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setTenantId(TENANT_A)
                .setReceivedEventId(UUID.randomUUID().toString()).setMedia(ref(accepted, "tenants/acme/media/" + accepted))
                .setDetectedContentType("image/png").setKind(MediaKind.IMAGE).build());
        publish(Topics.MEDIA_REJECTED_NAME, "conv-val", MediaRejected.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setTenantId(TENANT_B)
                .setReceivedEventId(UUID.randomUUID().toString()).setMedia(ref(accepted, "tenants/acme/media/" + accepted))
                .setReason(RejectionReason.MALWARE).setReasonMessage("forged").build());
        publish(Topics.MEDIA_REJECTED_NAME, "conv-val", MediaRejected.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setTenantId(TENANT_A)
                .setReceivedEventId(UUID.randomUUID().toString()).setMedia(ref(rejected, "tenants/acme/media/" + rejected))
                .setDetectedContentType("application/x-msdownload").setReason(RejectionReason.TYPE_MISMATCH)
                .setReasonMessage("declared image/png, content is application/x-msdownload").build());

        // Then GET shows each outcome, and the forged event changed nothing
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode validation = json(get("/v1/media/" + rejected, KEY_A)).get("validation");
            assertThat(validation.get("status").asString()).isEqualTo("REJECTED");
            assertThat(validation.get("reason").asString()).isEqualTo("TYPE_MISMATCH");
            assertThat(validation.get("detectedContentType").asString()).isEqualTo("application/x-msdownload");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode validation = json(get("/v1/media/" + accepted, KEY_A)).get("validation");
            assertThat(validation.get("status").asString()).isEqualTo("ACCEPTED");
            assertThat(validation.get("detectedContentType").asString()).isEqualTo("image/png");
        });
        assertThat(keys("tenants/globex/")).noneMatch(k -> k.contains(accepted));
    }

    @Test
    void the_copy_auto_fit_made_shows_accepted_like_its_original_not_pending() {
        // Given an original and the copy auto-fit made of it, both media of tenant A
        String original = uploadPng(KEY_A, "conv-fit", pngBytes(2_000));
        String copy = uploadPng(KEY_A, "conv-fit", pngBytes(1_000));

        // When validation accepts the original with that copy as its rendition
        publish(Topics.MEDIA_ACCEPTED_NAME, "conv-fit", MediaAccepted.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setTenantId(TENANT_A)
                .setReceivedEventId(UUID.randomUUID().toString()).setMedia(ref(original, "tenants/acme/media/" + original))
                .setDetectedContentType("image/webp").setKind(MediaKind.IMAGE)
                .setRendition(MediaRendition.newBuilder().setMediaId(copy)
                        .setStorage(StorageLocation.newBuilder().setBucket("media").setKey("tenants/acme/media/" + copy).build())
                        .setContentType("image/jpeg").setSize(1_000).setSha256("x").setFromContentType("image/webp")
                        .setFromSize(2_000).setConversion("converted to image/jpeg").build())
                .build());

        // Then both show ACCEPTED, the copy with its own type
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode validation = json(get("/v1/media/" + copy, KEY_A)).get("validation");
            assertThat(validation.get("status").asString()).isEqualTo("ACCEPTED");
            assertThat(validation.get("detectedContentType").asString()).isEqualTo("image/jpeg");
        });
        assertThat(json(get("/v1/media/" + original, KEY_A)).get("validation").get("status").asString()).isEqualTo("ACCEPTED");
    }

    @Test
    void the_upload_memory_is_a_meter_that_is_back_to_nothing_once_an_upload_is_stored() {
        // Given an upload stored
        uploadPng(KEY_A, "conv-memory", pngBytes(50_000));

        // Then the memory uploads hold is on the meters: its limit S3_UPLOAD_MEMORY's default, and nothing held now
        assertThat(meters.get("storage.upload.memory.limit").gauge().value()).isEqualTo(256.0 * 1024 * 1024);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(meters.get("storage.upload.memory.used").gauge().value()).isZero());
    }

    @Test
    void deleted_media_is_gone() {
        // Given stored media
        String mediaId = uploadPng(KEY_A, "conv-del", pngBytes(500));

        // When it is deleted
        HttpResponse<byte[]> deleted = send(request("/v1/media/" + mediaId, KEY_A).DELETE().build());

        // Then it answers 204, and 404 afterwards
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(get("/v1/media/" + mediaId, KEY_A).statusCode()).isEqualTo(404);
        assertThat(send(request("/v1/media/" + mediaId, KEY_A).DELETE().build()).statusCode()).isEqualTo(404);
    }

    @Test
    void the_openapi_document_is_served_without_a_key() {
        // When the document is fetched
        HttpResponse<byte[]> response = get("/openapi.yaml", null);

        // Then it describes the endpoints, as YAML
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
        assertThat(new String(response.body())).contains("/v1/media/{id}/content", "/v1/media/from-url", "/v1/messages",
                "/v1/inboxes/{inboxId}/media-settings");
    }

    private void assertProblem(HttpResponse<byte[]> response, int status, String field) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(header(response, "Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("field").asString()).isEqualTo(field);
        }
    }

    private static MediaRef ref(String mediaId, String key) {
        return MediaRef.newBuilder().setMediaId(mediaId).setConversationId("conv-val").setChannel(Channel.WHATSAPP)
                .setDirection(Direction.OUTBOUND).setSize(2_000).setSha256("x")
                .setStorage(StorageLocation.newBuilder().setBucket("media").setKey(key).build()).build();
    }

    private List<String> keys(String prefix) {
        return s3.listObjectsV2(b -> b.bucket("media").prefix(prefix)).join().contents().stream().map(S3Object::key).toList();
    }
}
