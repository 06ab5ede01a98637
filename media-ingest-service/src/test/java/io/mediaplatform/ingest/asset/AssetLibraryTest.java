package io.mediaplatform.ingest.asset;

import io.mediaplatform.events.DeletionReason;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MessageDeleted;
import io.mediaplatform.ingest.IngestServiceTestBase;
import io.mediaplatform.ingest.SourceServer;
import io.mediaplatform.ingest.retention.storage.RetentionSweeper;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The asset library against the real broker, bucket and PostgreSQL: one asset per tenant and SHA-256, kept out of
 * retention, sendable in any conversation by {@code media: {assetId}}, and for tenant B ({@code ASSETS_APPROVAL_TENANTS})
 * only once approved.
 */
class AssetLibraryTest extends IngestServiceTestBase {

    @Autowired
    RetentionSweeper sweeper;

    private HttpResponse<byte[]> uploadAsset(String apiKey, byte[] content, String fileName, Part... fields) {
        Part[] parts = new Part[fields.length + 1];
        System.arraycopy(fields, 0, parts, 0, fields.length);
        parts[fields.length] = Part.file(fileName, "image/png", content);
        return send(multipartUpload(uri("/v1/assets"), apiKey, parts).build());
    }

    private HttpResponse<byte[]> patch(String path, String apiKey, String body) {
        return send(request(path, apiKey).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<byte[]> delete(String path, String apiKey) {
        return send(request(path, apiKey).DELETE().build());
    }

    private HttpResponse<byte[]> sendAsset(String apiKey, String channel, String to, String mediaJson, String... headers) {
        return postJson("/v1/messages", apiKey, """
                {"channel": "%s", "from": "+15550001", "to": "%s", "kind": "image", "media": %s}"""
                .formatted(channel, to, mediaJson), headers);
    }

    @Test
    void the_same_bytes_uploaded_twice_or_fetched_from_a_url_are_one_asset_found_by_name_tag_and_kind() {
        // Given an image uploaded to the library with a name and tags
        String tag = "promo-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<byte[]> first = uploadAsset(KEY_A, SourceServer.PNG, "spring.png",
                Part.field("name", "Spring sale banner"), Part.field("tags", tag + ", Banner"));
        assertThat(first.statusCode()).isEqualTo(201);
        JsonNode asset = json(first);
        String assetId = asset.get("assetId").asString();
        assertThat(header(first, "Location")).contains("/v1/assets/" + assetId);
        assertThat(asset.get("sha256").asString()).isEqualTo(sha256(SourceServer.PNG));
        assertThat(asset.get("kind").asString()).isEqualTo("image");
        assertThat(asset.get("tags").toString()).contains("banner", tag);
        assertThat(asset.get("approved").asBoolean()).isFalse();

        // Then its media goes to validation like any upload
        MediaReceived received = awaitEvent(Topics.MEDIA_RECEIVED_NAME, MediaReceived.class,
                e -> e.getMedia().getMediaId().equals(asset.get("mediaId").asString()));
        assertThat(received.getMedia().getSha256()).isEqualTo(sha256(SourceServer.PNG));

        // When the same bytes are uploaded again under another name, and fetched from a URL
        HttpResponse<byte[]> again = uploadAsset(KEY_A, SourceServer.PNG, "copy.png", Part.field("name", "Copy"));
        HttpResponse<byte[]> fetched = postJson("/v1/assets", KEY_A, """
                {"sourceUrl": "%s", "name": "From the web"}""".formatted(SourceServer.url("/files/holiday%20photo.png")));

        // Then both answer the first asset, unchanged
        for (HttpResponse<byte[]> response : java.util.List.of(again, fetched)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("assetId").asString()).isEqualTo(assetId);
            assertThat(json(response).get("name").asString()).isEqualTo("Spring sale banner");
            assertThat(json(response).get("alreadyStored").asBoolean()).isTrue();
        }

        // And the library finds it by words of its name, by tag and by kind, and not under another kind
        assertThat(json(get("/v1/assets?q=SALE%20banner&tag=" + tag, KEY_A)).get("items").get(0).get("assetId").asString())
                .isEqualTo(assetId);
        assertThat(json(get("/v1/assets?tag=" + tag + "&kind=image", KEY_A)).get("items")).hasSize(1);
        assertThat(json(get("/v1/assets?tag=" + tag + "&kind=video", KEY_A)).get("items")).isEmpty();
        // And another tenant does not see it
        assertThat(get("/v1/assets/" + assetId, KEY_B).statusCode()).isEqualTo(404);
        assertThat(json(get("/v1/assets?tag=" + tag, KEY_B)).get("items")).isEmpty();
    }

    @Test
    void the_library_pages_newest_first_and_renames_retags_and_deletes() {
        // Given three assets with one tag
        String tag = "page-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            assertThat(uploadAsset(KEY_A, pngBytes(900 + i), "p" + i + ".png", Part.field("tags", tag)).statusCode())
                    .isEqualTo(201);
        }

        // When they are listed two at a time
        JsonNode page1 = json(get("/v1/assets?tag=" + tag + "&limit=2", KEY_A));
        JsonNode page2 = json(get("/v1/assets?tag=" + tag + "&limit=2&cursor=" + page1.get("nextCursor").asString(), KEY_A));

        // Then the pages hold all three, newest first, and the last has no cursor
        assertThat(page1.get("items")).hasSize(2);
        assertThat(page2.get("items")).hasSize(1);
        assertThat(page2.get("nextCursor")).isNull();
        assertThat(page1.get("items").get(0).get("name").asString()).isEqualTo("p2.png");
        String last = page2.get("items").get(0).get("assetId").asString();

        // When one is renamed and retagged
        HttpResponse<byte[]> changed = patch("/v1/assets/" + last, KEY_A, """
                {"name": "Renamed", "tags": ["other-%s"]}""".formatted(tag));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(json(changed).get("name").asString()).isEqualTo("Renamed");
        assertThat(json(get("/v1/assets?tag=" + tag, KEY_A)).get("items")).hasSize(2);

        // When it is deleted, it and its media are gone
        String mediaId = json(changed).get("mediaId").asString();
        assertThat(delete("/v1/assets/" + last, KEY_A).statusCode()).isEqualTo(204);
        assertThat(get("/v1/assets/" + last, KEY_A).statusCode()).isEqualTo(404);
        assertThat(get("/v1/media/" + mediaId, KEY_A).statusCode()).isEqualTo(404);
        assertThat(delete("/v1/assets/" + last, KEY_A).statusCode()).isEqualTo(404);
    }

    @Test
    void an_asset_outlives_its_tenants_retention_while_other_media_of_the_tenant_is_swept() {
        // Given, for the tenant that keeps media one second, an asset and a plain upload
        HttpResponse<byte[]> added = uploadAsset(KEY_SHORT, pngBytes(1_200), "logo.png");
        assertThat(added.statusCode()).isEqualTo(201);
        String assetId = json(added).get("assetId").asString();
        String assetMedia = json(added).get("mediaId").asString();
        String plain = uploadPng(KEY_SHORT, "conv-short-asset", pngBytes(800));
        try {
            // When the sweeper runs after the retention has passed
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                sweeper.sweep(Instant.now());
                // Then the plain upload is gone
                assertThat(get("/v1/media/" + plain, KEY_SHORT).statusCode()).isEqualTo(404);
            });
            // And the asset and its bytes are kept
            assertThat(get("/v1/assets/" + assetId, KEY_SHORT).statusCode()).isEqualTo(200);
            assertThat(get("/v1/media/" + assetMedia + "/content", KEY_SHORT).statusCode()).isEqualTo(200);
        } finally {
            delete("/v1/assets/" + assetId, KEY_SHORT);
        }
    }

    @Test
    void an_asset_is_sent_by_its_id_in_two_conversations_on_two_channels() {
        // Given an asset (tenant A does not require approval)
        String assetId = json(uploadAsset(KEY_A, pngBytes(2_000), "card.png")).get("assetId").asString();
        String mediaId = json(get("/v1/assets/" + assetId, KEY_A)).get("mediaId").asString();

        // When it is sent to two people on two channels
        HttpResponse<byte[]> whatsApp = sendAsset(KEY_A, "WHATSAPP", "+15551110001", "{\"assetId\": \"" + assetId + "\"}",
                "Agent-Id", "agent-7");
        HttpResponse<byte[]> mms = sendAsset(KEY_A, "MMS", "+15551110002", "{\"assetId\": \"" + assetId + "\"}");
        assertThat(whatsApp.statusCode()).isEqualTo(202);
        assertThat(mms.statusCode()).isEqualTo(202);

        // Then each reaches validation with the asset's media in its own conversation
        for (var sent : java.util.List.of(java.util.Map.entry(whatsApp, "WHATSAPP:+15551110001"),
                java.util.Map.entry(mms, "MMS:+15551110002"))) {
            String messageId = json(sent.getKey()).get("messageId").asString();
            MediaReceived event = awaitEvent(Topics.MEDIA_RECEIVED_NAME, MediaReceived.class,
                    e -> e.getMessage() != null && messageId.equals(e.getMessage().getMessageId()));
            assertThat(event.getMedia().getMediaId()).isEqualTo(mediaId);
            assertThat(event.getMedia().getConversationId()).isEqualTo(sent.getValue());
            // And the message says which asset it sends and who sent it (the agent, else the key), for the audit trail
            assertThat(event.getMessage().getAssetId()).isEqualTo(assetId);
            assertThat(event.getMessage().getSentBy()).isEqualTo(sent.getKey() == whatsApp ? "agent:agent-7"
                    : "key:" + sha256(KEY_A.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 12));
        }
    }

    @Test
    void deleting_a_message_that_sent_an_asset_keeps_the_assets_media() {
        // Given an asset's media
        String mediaId = json(uploadAsset(KEY_A, pngBytes(1_100), "kept.png")).get("mediaId").asString();

        // When callback tells that a message naming it was deleted, followed by a witness deletion on the same partition
        publish(Topics.MESSAGE_DELETED_NAME, "conv-asset-del", deleted(mediaId));
        String witness = uploadPng(KEY_A, "conv-asset-witness-" + UUID.randomUUID(), pngBytes(500));
        publish(Topics.MESSAGE_DELETED_NAME, "conv-asset-del", deleted(witness));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/media/" + witness, KEY_A).statusCode() == 404);

        // Then the asset's media is still there
        assertThat(get("/v1/media/" + mediaId + "/content", KEY_A).statusCode()).isEqualTo(200);
    }

    private static MessageDeleted deleted(String mediaId) {
        return MessageDeleted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTenantId(TENANT_A).setMessageId(UUID.randomUUID().toString()).setConversationId("conv-asset-del")
                .setDirection(Direction.OUTBOUND).setMediaId(mediaId).setMediaStillReferenced(false)
                .setReason(DeletionReason.MESSAGE_DELETED).build();
    }

    @Test
    void a_tenant_that_sends_approved_assets_only_is_refused_an_unapproved_one_until_an_admin_approves_it() {
        // Given an unapproved asset of tenant B (ASSETS_APPROVAL_TENANTS=globex)
        JsonNode asset = json(uploadAsset(KEY_B, pngBytes(1_500), "draft.png"));
        String assetId = asset.get("assetId").asString();

        // When it is sent by asset id and by its media id
        HttpResponse<byte[]> byAsset = sendAsset(KEY_B, "WHATSAPP", "+15552220001", "{\"assetId\": \"" + assetId + "\"}");
        HttpResponse<byte[]> byMedia = sendAsset(KEY_B, "WHATSAPP", "+15552220001",
                "{\"id\": \"" + asset.get("mediaId").asString() + "\"}");

        // Then both are 403 problems saying it is not approved
        for (HttpResponse<byte[]> refused : java.util.List.of(byAsset, byMedia)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(header(refused, "Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(json(refused).get("type").asString()).endsWith("asset-not-approved");
            assertThat(json(refused).get("detail").asString()).contains("not approved");
        }

        // When an admin approves it, it is sent
        assertThat(json(patch("/v1/assets/" + assetId, KEY_B, "{\"approved\": true}")).get("approved").asBoolean()).isTrue();
        assertThat(sendAsset(KEY_B, "WHATSAPP", "+15552220001", "{\"assetId\": \"" + assetId + "\"}").statusCode())
                .isEqualTo(202);
        // And a key without settings:admin cannot approve
        assertThat(patch("/v1/assets/" + assetId, KEY_A_READ_ONLY, "{\"approved\": true}").statusCode()).isEqualTo(403);
    }

    @Test
    void bad_asset_requests_are_problems_naming_the_field() {
        // When requests break rules
        HttpResponse<byte[]> badTag = uploadAsset(KEY_A, pngBytes(700), "x.png", Part.field("tags", "no spaces allowed"));
        HttpResponse<byte[]> noFile = send(multipartUpload(uri("/v1/assets"), KEY_A, Part.field("name", "n")).build());
        HttpResponse<byte[]> blocked = postJson("/v1/assets", KEY_A, "{\"sourceUrl\": \"http://169.254.169.254/x.png\"}");
        HttpResponse<byte[]> unknown = sendAsset(KEY_A, "WHATSAPP", "+1555", "{\"assetId\": \"" + UUID.randomUUID() + "\"}");
        HttpResponse<byte[]> badKind = get("/v1/assets?kind=hologram", KEY_A);

        // Then each is a problem naming what is wrong
        assertProblem(badTag, 400, "tags");
        assertProblem(noFile, 400, "file");
        assertProblem(blocked, 400, null);
        assertProblem(unknown, 404, "media.assetId");
        assertProblem(badKind, 400, "kind");
    }

    private void assertProblem(HttpResponse<byte[]> response, int status, String field) {
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(status);
        assertThat(header(response, "Content-Type").orElseThrow()).startsWith("application/problem+json");
        if (field != null) {
            assertThat(json(response).get("field").asString()).isEqualTo(field);
        }
    }
}
