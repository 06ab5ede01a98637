package io.mediaplatform.callback;

import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The status path, per-message callbacks with their retries, and the status API. */
class CallbackServiceTest extends CallbackServiceTestBase {

    @Test
    void tracks_a_message_to_READ_and_tells_the_client_of_every_status_with_a_verifiable_signature() {
        // Given an outbound message received with a callback URL
        String messageId = UUID.randomUUID().toString();
        String path = "/hooks/" + messageId;
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        received(messageId, "ext-" + messageId, "agent-7", List.of(RECEIVER.url(path)), t0);
        await().atMost(AWAIT).until(() -> "ACCEPTED".equals(get(messageId, KEY).json().path("status").asString()));

        // When dispatch reports QUEUED, SENT, DELIVERED and READ
        List<MessageStatus> statuses = List.of(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ);
        for (int i = 0; i < statuses.size(); i++) {
            status(messageId, statuses.get(i), t0.plusSeconds(i + 1), "wamid.1", null);
        }

        // Then the message is READ with the whole history in order
        await().atMost(AWAIT).untilAsserted(() -> {
            JsonNode message = get(messageId, KEY).json();
            assertThat(message.path("status").asString()).isEqualTo("READ");
            assertThat(texts(message.path("history"), "status")).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ");
        });
        JsonNode message = get(messageId, KEY).json();
        assertThat(message.path("to").asString()).isEqualTo("+15551234567");
        assertThat(message.path("channel").asString()).isEqualTo("WHATSAPP");
        assertThat(message.path("externalId").asString()).isEqualTo("ext-" + messageId);
        assertThat(message.path("clientId").asString()).isEqualTo("agent-7");
        assertThat(message.path("conversationId").asString()).isEqualTo("conv-" + messageId);
        assertThat(message.path("mediaId").asString()).isEqualTo("media-" + messageId);
        assertThat(message.has("reason")).isFalse();
        assertThat(message.path("history").get(4).path("providerMessageId").asString()).isEqualTo("wamid.1");

        // And the receiver got one signed webhook per status, each verifiable with the tenant's secret
        await().atMost(AWAIT).until(() -> RECEIVER.received(path).size() == 5);
        List<String> told = new ArrayList<>();
        for (WebhookReceiver.Received hook : RECEIVER.received(path)) {
            assertThat(StandardWebhooks.verify(SECRET, hook.headers().get("webhook-id"), hook.headers().get("webhook-timestamp"),
                    hook.body(), hook.headers().get("webhook-signature"), Instant.now(), Duration.ofMinutes(5))).isTrue();
            JsonNode body = json.readTree(hook.body());
            assertThat(body.path("type").asString()).isEqualTo("message.status.updated");
            assertThat(body.path("data").path("messageId").asString()).isEqualTo(messageId);
            assertThat(body.path("data").path("externalId").asString()).isEqualTo("ext-" + messageId);
            told.add(body.path("data").path("status").asString());
        }
        assertThat(told).containsExactlyInAnyOrder("ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ");
        // And every attempt is on the message, delivered
        await().atMost(AWAIT).untilAsserted(() -> assertThat(get(messageId, KEY).json().path("webhookAttempts"))
                .hasSize(5).allSatisfy(a -> {
                    assertThat(a.path("statusCode").asInt()).isEqualTo(200);
                    assertThat(a.path("deliveryStatus").asString()).isEqualTo("DELIVERED");
                    assertThat(a.path("url").asString()).isEqualTo(RECEIVER.url(path));
                }));
        // And it can be found by external id and client id
        assertThat(texts(search("externalId=ext-" + messageId, KEY).json().path("items"), "messageId")).containsExactly(messageId);
        assertThat(texts(search("clientId=agent-7", KEY).json().path("items"), "messageId")).contains(messageId);
    }

    @Test
    void tells_what_auto_fit_converted_as_converted_on_the_QUEUED_history_entry_and_its_webhook() {
        // Given an outbound message received with a callback URL
        String messageId = UUID.randomUUID().toString();
        String path = "/hooks/" + messageId;
        Instant t0 = Instant.parse("2026-03-02T10:00:00Z");
        received(messageId, null, null, List.of(RECEIVER.url(path)), t0);

        // When dispatch reports QUEUED for the JPEG rendition validation made of the client's WebP
        String sentence = "image/webp is not allowed for WHATSAPP image: converted to image/jpeg (320x240), 2.9 KB to 10.7 KB";
        publisher.sendAndWait(Topics.MESSAGE_STATUS, "conv-" + messageId, DeliveryStatus.newBuilder(
                        statusEvent(messageId, MessageStatus.QUEUED, t0.plusSeconds(1), null, null))
                .setDetail(sentence)
                .setConverted(io.mediaplatform.events.MediaConversion.newBuilder().setRenditionMediaId("rendition-" + messageId)
                        .setFromContentType("image/webp").setToContentType("image/jpeg").setFromSize(2926).setToSize(11003)
                        .setDescription(sentence).build())
                .build());

        // Then the QUEUED entry of the history says what was converted, from and to, sizes before and after
        await().atMost(AWAIT).untilAsserted(() -> assertThat(texts(get(messageId, KEY).json().path("history"), "status"))
                .containsExactly("ACCEPTED", "QUEUED"));
        JsonNode history = get(messageId, KEY).json().path("history");
        assertThat(history.get(0).has("converted")).isFalse();
        JsonNode converted = history.get(1).path("converted");
        assertThat(converted.path("from").asString()).isEqualTo("image/webp");
        assertThat(converted.path("to").asString()).isEqualTo("image/jpeg");
        assertThat(converted.path("sizeBefore").asLong()).isEqualTo(2926);
        assertThat(converted.path("sizeAfter").asLong()).isEqualTo(11003);
        assertThat(converted.path("renditionMediaId").asString()).isEqualTo("rendition-" + messageId);
        assertThat(history.get(1).path("detail").asString()).isEqualTo(sentence);
        // And the QUEUED webhook carries the same, the ACCEPTED one nothing of it
        await().atMost(AWAIT).until(() -> RECEIVER.received(path).size() == 2);
        for (WebhookReceiver.Received hook : RECEIVER.received(path)) {
            JsonNode data = json.readTree(hook.body()).path("data");
            if (data.path("status").asString().equals("QUEUED")) {
                assertThat(data.path("converted").path("from").asString()).isEqualTo("image/webp");
                assertThat(data.path("converted").path("to").asString()).isEqualTo("image/jpeg");
                assertThat(data.path("converted").path("sizeBefore").asLong()).isEqualTo(2926);
                assertThat(data.path("converted").path("sizeAfter").asLong()).isEqualTo(11003);
                assertThat(data.path("detail").asString()).isEqualTo(sentence);
            } else {
                assertThat(data.has("converted")).isFalse();
            }
        }
    }

    @Test
    void calls_the_very_address_the_url_guard_checked_even_for_an_octal_spelling_of_the_host() {
        // Given a callback URL whose host is 127.0.0.1 spelled in octal, as curl and browsers read it (the JDK
        // alone would read 0177.0.0.1 as the public 177.0.0.1, check that, and connect there)
        String messageId = UUID.randomUUID().toString();
        String path = "/octal/" + messageId;
        String octal = RECEIVER.url(path).replace("http://127.0.0.1:", "http://0177.0.0.1:");

        // When the message is accepted
        received(messageId, null, null, List.of(octal), Instant.parse("2026-03-01T10:00:00Z"));

        // Then the webhook went to the address the guard judged (loopback, allow-listed here) and was delivered
        await().atMost(AWAIT).until(() -> RECEIVER.received(path).size() == 1);
        assertThat(RECEIVER.received(path).getFirst().headers().get("host")).startsWith("127.0.0.1:");
        await().atMost(AWAIT).untilAsserted(() -> assertThat(get(messageId, KEY).json().path("webhookAttempts"))
                .singleElement().satisfies(a -> assertThat(a.path("deliveryStatus").asString()).isEqualTo("DELIVERED")));
    }

    @Test
    void keeps_a_late_DELIVERED_after_READ_in_history_only_and_ignores_a_redelivered_event() {
        // Given a message that was read
        String messageId = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        received(messageId, null, null, List.of(), t0);
        status(messageId, MessageStatus.READ, t0.plusSeconds(3), null, null);
        await().atMost(AWAIT).until(() -> "READ".equals(get(messageId, KEY).json().path("status").asString()));

        // When DELIVERED arrives late, and then the same event again
        DeliveryStatus late = statusEvent(messageId, MessageStatus.DELIVERED, t0.plusSeconds(2), null, null);
        publisher.sendAndWait(Topics.MESSAGE_STATUS, messageId, late);
        publisher.sendAndWait(Topics.MESSAGE_STATUS, messageId, late);
        status(messageId, MessageStatus.SENT, t0.plusSeconds(1), null, null);

        // Then READ stays current and the history holds each status once, ordered by time
        await().atMost(AWAIT).untilAsserted(() -> assertThat(texts(get(messageId, KEY).json().path("history"), "status"))
                .containsExactly("ACCEPTED", "SENT", "DELIVERED", "READ"));
        assertThat(get(messageId, KEY).json().path("status").asString()).isEqualTo("READ");
    }

    @Test
    void records_a_rejection_with_its_reason_and_detail() {
        // Given an outbound message that validation rejects
        String messageId = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        received(messageId, null, null, List.of(), t0);

        // When media.rejected arrives
        MediaRejected rejected = MediaRejected.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(t0.plusSeconds(1)).setTenantId(TENANT)
                .setReceivedEventId(UUID.randomUUID().toString()).setMedia(media(messageId))
                .setReason(RejectionReason.TOO_LARGE).setReasonMessage("image/jpeg over 5 MB on WHATSAPP")
                .setMessage(outbound(messageId, null, null, List.of())).build();
        publisher.sendAndWait(Topics.MEDIA_REJECTED, "conv-" + messageId, rejected);

        // Then the message is REJECTED with the reason code and the detail in its history
        await().atMost(AWAIT).untilAsserted(() -> {
            JsonNode message = get(messageId, KEY).json();
            assertThat(message.path("status").asString()).isEqualTo("REJECTED");
            assertThat(message.path("reason").asString()).isEqualTo("TOO_LARGE");
            JsonNode last = message.path("history").get(1);
            assertThat(last.path("reason").asString()).isEqualTo("TOO_LARGE");
            assertThat(last.path("detail").asString()).isEqualTo("image/jpeg over 5 MB on WHATSAPP");
        });
    }

    @Test
    void creates_the_message_from_a_status_that_arrives_before_ACCEPTED() {
        // Given no message yet
        String messageId = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

        // When SENT arrives first, then the message's media.received
        status(messageId, MessageStatus.SENT, t0.plusSeconds(1), "wamid.9", null);
        await().atMost(AWAIT).until(() -> get(messageId, KEY).status() == 200);
        received(messageId, "ext-early-" + messageId, null, List.of(), t0);

        // Then SENT stays current, ACCEPTED is history, and the message facts are filled in
        await().atMost(AWAIT).untilAsserted(() -> {
            JsonNode message = get(messageId, KEY).json();
            assertThat(message.path("status").asString()).isEqualTo("SENT");
            assertThat(texts(message.path("history"), "status")).containsExactly("ACCEPTED", "SENT");
            assertThat(message.path("externalId").asString()).isEqualTo("ext-early-" + messageId);
        });
    }

    @Test
    void retries_a_failing_webhook_on_the_schedule_and_records_every_attempt() {
        // Given a client endpoint that answers 500 twice, then 200
        String messageId = UUID.randomUUID().toString();
        String path = "/flaky/" + messageId;
        RECEIVER.script(path, WebhookReceiver.Answer.of(500), WebhookReceiver.Answer.of(500), WebhookReceiver.Answer.of(200));

        // When a message with that callback is accepted
        received(messageId, null, null, List.of(RECEIVER.url(path)), Instant.now());

        // Then the webhook is tried three times, the same delivery each time, and every attempt is recorded
        await().atMost(AWAIT).untilAsserted(() -> assertThat(get(messageId, KEY).json().path("webhookAttempts")).hasSize(3));
        JsonNode attempts = get(messageId, KEY).json().path("webhookAttempts");
        assertThat(texts(attempts, "statusCode")).containsExactly("500", "500", "200");
        assertThat(texts(attempts, "attempt")).containsExactly("1", "2", "3");
        assertThat(texts(attempts, "deliveryStatus")).containsOnly("DELIVERED");
        assertThat(attempts.get(0).path("error").asString()).isEqualTo("HTTP 500");
        assertThat(RECEIVER.received(path)).extracting(r -> r.headers().get("webhook-id")).containsOnly(
                RECEIVER.received(path).getFirst().headers().get("webhook-id"));
    }

    @Test
    void honours_Retry_After_on_429() {
        // Given a client endpoint that answers 429 with Retry-After: 1, then 200
        String messageId = UUID.randomUUID().toString();
        String path = "/busy/" + messageId;
        RECEIVER.script(path, new WebhookReceiver.Answer(429, Map.of("Retry-After", "1")), WebhookReceiver.Answer.of(200));

        // When a message with that callback is accepted
        received(messageId, null, null, List.of(RECEIVER.url(path)), Instant.now());

        // Then the second attempt waits the second asked for, not the schedule's 200 ms
        await().atMost(AWAIT).untilAsserted(() -> assertThat(get(messageId, KEY).json().path("webhookAttempts")).hasSize(2));
        JsonNode attempts = get(messageId, KEY).json().path("webhookAttempts");
        Instant first = Instant.parse(attempts.get(0).path("at").asString());
        Instant second = Instant.parse(attempts.get(1).path("at").asString());
        assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(attempts.get(1).path("deliveryStatus").asString()).isEqualTo("DELIVERED");
    }

    @Test
    void gives_up_after_the_last_scheduled_attempt() {
        // Given a client endpoint that always answers 503
        String messageId = UUID.randomUUID().toString();
        String path = "/down/" + messageId;
        RECEIVER.script(path, WebhookReceiver.Answer.of(503));

        // When a message with that callback is accepted
        received(messageId, null, null, List.of(RECEIVER.url(path)), Instant.now());

        // Then after the three attempts of the schedule the delivery is FAILED
        await().atMost(AWAIT).untilAsserted(() -> assertThat(texts(get(messageId, KEY).json().path("webhookAttempts"), "deliveryStatus"))
                .containsExactly("FAILED", "FAILED", "FAILED"));
        assertThat(RECEIVER.received(path)).hasSize(3);
    }

    @Test
    void disables_an_endpoint_that_answers_410_for_later_deliveries_too() {
        // Given a client endpoint that is gone
        String messageId = UUID.randomUUID().toString();
        String path = "/gone/" + messageId;
        RECEIVER.script(path, WebhookReceiver.Answer.of(410));
        received(messageId, null, null, List.of(RECEIVER.url(path)), Instant.now());

        // When the first webhook gets 410 and another status follows
        await().atMost(AWAIT).untilAsserted(() -> assertThat(texts(get(messageId, KEY).json().path("webhookAttempts"), "deliveryStatus"))
                .containsExactly("DISABLED"));
        status(messageId, MessageStatus.SENT, Instant.now(), null, null);
        await().atMost(AWAIT).until(() -> "SENT".equals(get(messageId, KEY).json().path("status").asString()));

        // Then the endpoint was called once, the later delivery is disabled without an attempt
        List<String> deliveries = jdbc.sql("SELECT status FROM webhook_deliveries WHERE tenant_id = ? AND message_id = ? ORDER BY created_at")
                .params(TENANT, messageId).query(String.class).list();
        assertThat(deliveries).containsExactly("DISABLED", "DISABLED");
        assertThat(RECEIVER.received(path)).hasSize(1);
        assertThat(get(messageId, KEY).json().path("webhookAttempts")).hasSize(1);
    }

    @Test
    void blocks_a_webhook_to_a_private_address_without_retrying() {
        // Given a callback URL on a private address that is not allowed
        String messageId = UUID.randomUUID().toString();

        // When a message with that callback is accepted
        received(messageId, null, null, List.of("http://10.1.2.3/hook"), Instant.now());

        // Then one failed attempt is recorded and nothing is retried
        await().atMost(AWAIT).untilAsserted(() -> {
            JsonNode attempts = get(messageId, KEY).json().path("webhookAttempts");
            assertThat(attempts).hasSize(1);
            assertThat(attempts.get(0).path("deliveryStatus").asString()).isEqualTo("FAILED");
            assertThat(attempts.get(0).path("error").asString()).startsWith("blocked");
            assertThat(attempts.get(0).has("statusCode")).isFalse();
        });
    }

    @Test
    void answers_401_without_a_key_404_for_another_tenants_message_and_400_for_a_malformed_search() throws Exception {
        // Given a message of tenant-a
        String messageId = UUID.randomUUID().toString();
        received(messageId, null, null, List.of(), Instant.now());
        await().atMost(AWAIT).until(() -> get(messageId, KEY).status() == 200);

        // When it is asked for without a key, by another tenant, or unknown, or searched for with bad parameters
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/messages/" + messageId)).build(),
                HttpResponse.BodyHandlers.ofString());
        Response other = get(messageId, OTHER_KEY);
        Response unknown = get("no-such-message", KEY);
        Response badLimit = search("limit=101", KEY);
        Response badCursor = search("cursor=bm90LWEtY3Vyc29y", KEY);
        Response badTime = search("from=yesterday", KEY);

        // Then the answers are problems: 401, 404, 404, and 400 for each malformed search
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().path("type").asString()).isEqualTo("/problems/not-found");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(List.of(badLimit, badCursor, badTime)).allSatisfy(bad -> {
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("type").asString()).isEqualTo("/problems/invalid-request");
        });
        assertThat(badLimit.json().path("detail").asString()).contains("limit");
        // And another tenant's search does not find it
        assertThat(search("externalId=ext-none", OTHER_KEY).json().path("items")).isEmpty();
    }

    @Test
    void resumes_a_pending_delivery_left_in_the_database_as_after_a_restart() {
        // Given a message whose webhook had one failed attempt before the service stopped, due again now
        String messageId = UUID.randomUUID().toString();
        String path = "/resumed/" + messageId;
        UUID deliveryId = UUID.randomUUID();
        Instant earlier = Instant.now().minusSeconds(60);
        jdbc.sql("INSERT INTO messages (tenant_id, message_id, status, callback_urls) VALUES (?, ?, 'ACCEPTED', '[]'::jsonb)")
                .params(TENANT, messageId).update();
        jdbc.sql("""
                        INSERT INTO webhook_deliveries (id, tenant_id, message_id, url, event_status, payload, status, attempts,
                                                        next_attempt_at, last_status_code)
                        VALUES (?, ?, ?, ?, 'ACCEPTED', '{"type":"message.status.updated"}', 'PENDING', 1, ?, 503)
                        """)
                .params(deliveryId, TENANT, messageId, RECEIVER.url(path), earlier.atOffset(java.time.ZoneOffset.UTC)).update();
        jdbc.sql("INSERT INTO webhook_attempts (delivery_id, attempt_no, at, status_code, latency_ms, error) VALUES (?, 1, ?, 503, 12, 'HTTP 503')")
                .params(deliveryId, earlier.atOffset(java.time.ZoneOffset.UTC)).update();

        // When the sender polls
        // Then it makes the second attempt, signed with the delivery id, and the delivery is done
        await().atMost(AWAIT).untilAsserted(() -> assertThat(texts(get(messageId, KEY).json().path("webhookAttempts"), "attempt"))
                .containsExactly("1", "2"));
        assertThat(RECEIVER.received(path)).singleElement()
                .satisfies(hook -> assertThat(hook.headers().get("webhook-id")).isEqualTo(deliveryId.toString()));
        assertThat(texts(get(messageId, KEY).json().path("webhookAttempts"), "deliveryStatus")).containsOnly("DELIVERED");
    }

    @Test
    void consumes_in_the_callback_consumer_group() {
        // Given / When the service runs / Then every listener (media.received, media.rejected, message.status and,
        // for inbound messages, media.accepted) is in group "callback"
        assertThat(listeners.getListenerContainers()).hasSize(4)
                .allSatisfy(container -> assertThat(container.getGroupId()).isEqualTo("callback"));
    }
}
