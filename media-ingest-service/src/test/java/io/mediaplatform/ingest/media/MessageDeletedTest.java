package io.mediaplatform.ingest.media;

import io.mediaplatform.events.DeletionReason;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MessageDeleted;
import io.mediaplatform.ingest.IngestServiceTestBase;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code message.deleted.v1}: a deleted message's media goes with it, unless another live message names it. */
class MessageDeletedTest extends IngestServiceTestBase {

    private static MessageDeleted deleted(String tenantId, String mediaId, boolean stillReferenced) {
        return MessageDeleted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTenantId(tenantId).setMessageId(UUID.randomUUID().toString()).setConversationId("conv-del")
                .setDirection(Direction.OUTBOUND).setMediaId(mediaId).setMediaStillReferenced(stillReferenced)
                .setReason(DeletionReason.MESSAGE_DELETED).build();
    }

    @Test
    void a_deleted_messages_media_is_deleted_with_its_name_and_a_media_still_named_elsewhere_survives() {
        // Given two stored media, the second named by another live message, and a third as a witness
        String conversation = "conv-del-" + UUID.randomUUID();
        String dies = uploadPng(KEY_A, conversation, pngBytes(1_000));
        String kept = uploadPng(KEY_A, "conv-kept-" + UUID.randomUUID(), pngBytes(1_000));
        assertThat(get("/v1/media/by-name/" + conversation + "_photo.png", KEY_A).statusCode()).isEqualTo(200);

        // When callback tells that their messages were deleted (the second's media still referenced)
        publish(Topics.MESSAGE_DELETED_NAME, "conv-del", deleted(TENANT_A, dies, false));
        publish(Topics.MESSAGE_DELETED_NAME, "conv-del", deleted(TENANT_A, kept, true));

        // Then the first media is gone: metadata, content and name all 404
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/media/" + dies, KEY_A).statusCode() == 404);
        assertThat(get("/v1/media/" + dies + "/content", KEY_A).statusCode()).isEqualTo(404);
        assertThat(get("/v1/media/by-name/" + conversation + "_photo.png", KEY_A).statusCode()).isEqualTo(404);
        // And the media another message still names survives, also once a later event on the same partition (a
        // witness deletion) was handled
        String witness = uploadPng(KEY_A, "conv-witness-" + UUID.randomUUID(), pngBytes(500));
        publish(Topics.MESSAGE_DELETED_NAME, "conv-del", deleted(TENANT_A, witness, false));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/media/" + witness, KEY_A).statusCode() == 404);
        assertThat(get("/v1/media/" + kept + "/content", KEY_A).statusCode()).isEqualTo(200);
    }

    @Test
    void a_deletion_told_for_another_tenant_does_not_touch_this_tenants_media() {
        // Given tenant A's media
        String mediaId = uploadPng(KEY_A, "conv-cross-" + UUID.randomUUID(), pngBytes(700));

        // When a deletion names that media id under tenant B, followed by a witness of tenant B on the same partition
        publish(Topics.MESSAGE_DELETED_NAME, "conv-x", deleted(TENANT_B, mediaId, false));
        String witness = uploadPng(KEY_B, "conv-witness-b-" + UUID.randomUUID(), pngBytes(500));
        publish(Topics.MESSAGE_DELETED_NAME, "conv-x", deleted(TENANT_B, witness, false));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/media/" + witness, KEY_B).statusCode() == 404);

        // Then tenant A's media is still there
        assertThat(get("/v1/media/" + mediaId + "/content", KEY_A).statusCode()).isEqualTo(200);
    }
}
