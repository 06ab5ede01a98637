package io.mediaplatform.callback;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Channel fallback as the client sees it: each attempt a message of its own, tied to the client's message. */
class FallbackAttemptsTest extends CallbackServiceTestBase {

    @Test
    void a_fallback_attempt_shows_whose_attempt_it_is_in_its_webhooks_and_view_and_the_client_s_message_lists_it() {
        // Given the client's message, FAILED on its first channel
        String root = UUID.randomUUID().toString();
        String path = "/hooks/fallback-" + root;
        Instant t0 = Instant.parse("2026-03-02T10:00:00Z");
        received(root, "ext-" + root, "agent-7", List.of(RECEIVER.url(path)), t0);
        await().atMost(AWAIT).until(() -> "ACCEPTED".equals(get(root, KEY).json().path("status").asString()));
        status(root, MessageStatus.FAILED, t0.plusSeconds(1), null, "CHANNEL_NOT_CONFIGURED");

        // When its attempt 2, on SMS, is received and delivered
        String second = UUID.randomUUID().toString();
        MediaRef media = MediaRef.newBuilder(media(second)).setChannel(Channel.SMS).build();
        OutboundMessage message = OutboundMessage.newBuilder(outbound(second, "ext-" + root, "agent-7",
                List.of(RECEIVER.url(path)))).setFallbackOf(root).setAttempt(2).build();
        publisher.sendAndWait(Topics.MEDIA_RECEIVED, "conv-" + second, MediaReceived.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(t0.plusSeconds(2)).setTenantId(TENANT)
                .setMedia(media).setMessage(message).build());
        await().atMost(AWAIT).until(() -> "ACCEPTED".equals(get(second, KEY).json().path("status").asString()));
        status(second, MessageStatus.DELIVERED, t0.plusSeconds(3), "SM1", null);

        // Then the attempt's view names the client's message and its attempt number
        await().atMost(AWAIT).untilAsserted(() -> {
            JsonNode view = get(second, KEY).json();
            assertThat(view.path("status").asString()).isEqualTo("DELIVERED");
            assertThat(view.path("channel").asString()).isEqualTo("SMS");
            assertThat(view.path("fallbackOf").asString()).isEqualTo(root);
            assertThat(view.path("attempt").asInt()).isEqualTo(2);
        });
        // And the client's message lists its attempts on other channels, and is none itself
        JsonNode rootView = get(root, KEY).json();
        assertThat(rootView.path("status").asString()).isEqualTo("FAILED");
        assertThat(rootView.path("fallbacks").valueStream().map(JsonNode::asString).toList()).containsExactly(second);
        assertThat(rootView.has("fallbackOf")).isFalse();
        assertThat(rootView.has("attempt")).isFalse();
        // And the webhooks of the attempt say whose attempt they tell, those of the client's message do not
        await().atMost(AWAIT).until(() -> RECEIVER.received(path).size() == 4);
        for (WebhookReceiver.Received hook : RECEIVER.received(path)) {
            JsonNode data = json.readTree(hook.body()).path("data");
            if (data.path("messageId").asString().equals(second)) {
                assertThat(data.path("fallbackOf").asString()).isEqualTo(root);
                assertThat(data.path("attempt").asInt()).isEqualTo(2);
            } else {
                assertThat(data.path("messageId").asString()).isEqualTo(root);
                assertThat(data.has("fallbackOf")).isFalse();
                assertThat(data.has("attempt")).isFalse();
            }
        }
        assertThat(RECEIVER.received(path)).extracting(hook -> json.readTree(hook.body()).path("data").path("status").asString())
                .containsExactlyInAnyOrder("ACCEPTED", "FAILED", "ACCEPTED", "DELIVERED");
    }

    @Test
    void deleting_the_client_s_message_deletes_its_fallback_attempts_and_their_shared_media() {
        // Given the client's message and its attempt 2 on SMS, both naming the same media
        String root = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-03-02T11:00:00Z");
        received(root, "ext-" + root, "agent-7", List.of(), t0);
        await().atMost(AWAIT).until(() -> "ACCEPTED".equals(get(root, KEY).json().path("status").asString()));
        String second = UUID.randomUUID().toString();
        MediaRef media = MediaRef.newBuilder(media(root)).setChannel(Channel.SMS).build();
        publisher.sendAndWait(Topics.MEDIA_RECEIVED, "conv-" + second, MediaReceived.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(t0.plusSeconds(2)).setTenantId(TENANT)
                .setMedia(media).setMessage(OutboundMessage.newBuilder(outbound(second, "ext-" + root, "agent-7", List.of()))
                        .setFallbackOf(root).setAttempt(2).build()).build());
        await().atMost(AWAIT).until(() -> "ACCEPTED".equals(get(second, KEY).json().path("status").asString()));

        // When the client deletes its message
        Response deleted = exchange("DELETE", "/v1/messages/" + root, KEY, null);

        // Then the attempt goes with it, and the media they shared is deleted (no live message names it any more)
        assertThat(deleted.status()).as(String.valueOf(deleted.json())).isEqualTo(200);
        assertThat(deleted.json().path("fallbackAttemptsDeleted").valueStream().map(JsonNode::asString).toList())
                .containsExactly(second);
        assertThat(deleted.json().path("mediaDeleted").asBoolean()).isTrue();
        assertThat(get(root, KEY).status()).isEqualTo(404);
        assertThat(get(second, KEY).status()).isEqualTo(404);
    }
}
