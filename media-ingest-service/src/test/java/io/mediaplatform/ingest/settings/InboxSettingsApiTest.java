package io.mediaplatform.ingest.settings;

import io.mediaplatform.events.InboxMediaSettings;
import io.mediaplatform.ingest.IngestServiceTestBase;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code PUT|GET /v1/inboxes/{inboxId}/media-settings} over the compacted settings topic. */
class InboxSettingsApiTest extends IngestServiceTestBase {

    @Test
    void an_inbox_nobody_configured_allows_everything() {
        // When settings of a new inbox are read
        JsonNode settings = json(get("/v1/inboxes/inbox-" + UUID.randomUUID() + "/media-settings", KEY_A));

        // Then everything is enabled
        assertThat(settings.get("sendEnabled").asBoolean()).isTrue();
        assertThat(settings.get("receiveEnabled").asBoolean()).isTrue();
    }

    @Test
    void settings_put_are_published_on_the_compacted_topic_and_read_back_for_their_tenant_only() {
        // Given an inbox
        String inbox = "inbox-" + UUID.randomUUID();

        // When tenant A turns receive off with a message
        HttpResponse<byte[]> put = send(request("/v1/inboxes/" + inbox + "/media-settings", KEY_A)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("""
                        {"sendEnabled": true, "receiveEnabled": false, "rejectionMessage": "Please send text only."}"""))
                .build());

        // Then the answer and a later GET show it, and the record is on the topic under tenant/inbox
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(json(put).get("receiveEnabled").asBoolean()).isFalse();
        JsonNode read = json(get("/v1/inboxes/" + inbox + "/media-settings", KEY_A));
        assertThat(read.get("receiveEnabled").asBoolean()).isFalse();
        assertThat(read.get("rejectionMessage").asString()).isEqualTo("Please send text only.");
        ConsumerRecord<String, InboxMediaSettings> record = awaitRecord(Topics.INBOX_MEDIA_SETTINGS_NAME,
                r -> r.value() instanceof InboxMediaSettings s && s.getInboxId().equals(inbox));
        assertThat(record.key()).isEqualTo(Topics.inboxKey(TENANT_A, inbox));
        assertThat(record.value().getReceiveEnabled()).isFalse();

        // And tenant B's inbox of the same id is untouched
        assertThat(json(get("/v1/inboxes/" + inbox + "/media-settings", KEY_B)).get("receiveEnabled").asBoolean()).isTrue();
    }

    @Test
    void settings_written_by_an_upstream_system_on_the_topic_are_picked_up() {
        // Given an upstream system writes settings directly to the topic
        String inbox = "inbox-" + UUID.randomUUID();
        publish(Topics.INBOX_MEDIA_SETTINGS_NAME, Topics.inboxKey(TENANT_B, inbox), InboxMediaSettings.newBuilder()
                .setTenantId(TENANT_B).setInboxId(inbox).setSendEnabled(false).setReceiveEnabled(true)
                .setUpdatedAt(Instant.now()).build());

        // Then the API shows them
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json(get("/v1/inboxes/" + inbox + "/media-settings", KEY_B)).get("sendEnabled").asBoolean()).isFalse());
    }

    @Test
    void a_key_without_settings_admin_is_forbidden_and_a_bad_inbox_id_is_400() {
        // When a read-only key writes, and an inbox id with odd characters is used
        HttpResponse<byte[]> forbidden = send(request("/v1/inboxes/inbox-1/media-settings", KEY_A_READ_ONLY)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        HttpResponse<byte[]> bad = get("/v1/inboxes/inbox%20one/media-settings", KEY_A);

        // Then both are refused
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void an_inbox_may_name_a_media_profile_and_a_malformed_name_is_a_400_naming_the_field() {
        // Given an inbox
        String inbox = "inbox-" + UUID.randomUUID();

        // When its settings name the notification-api profile
        HttpResponse<byte[]> put = putSettings(inbox, """
                {"profile": "notification-api"}""");

        // Then the answer, a later GET and the record on the topic carry it
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(json(get("/v1/inboxes/" + inbox + "/media-settings", KEY_A)).get("profile").asString())
                .isEqualTo("notification-api");
        ConsumerRecord<String, InboxMediaSettings> record = awaitRecord(Topics.INBOX_MEDIA_SETTINGS_NAME,
                r -> r.value() instanceof InboxMediaSettings s && s.getInboxId().equals(inbox));
        assertThat(record.value().getProfile()).isEqualTo("notification-api");

        // And a name that cannot be a profile is refused as problem JSON naming the field
        HttpResponse<byte[]> bad = putSettings(inbox, """
                {"profile": "Notification API!"}""");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("field").asString()).isEqualTo("profile");
    }

    private HttpResponse<byte[]> putSettings(String inbox, String body) {
        return send(request("/v1/inboxes/" + inbox + "/media-settings", KEY_A)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
