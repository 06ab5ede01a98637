package io.mediaplatform.dispatch;

import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.dispatch.send.core.Correlation;
import io.mediaplatform.dispatch.connector.whatsapp.CallbackData;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.simulator.NotifySimulator;
import io.mediaplatform.simulator.TwilioSimulator;
import io.mediaplatform.simulator.WhatsAppSimulator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replay defence of the provider status webhooks over real HTTP, with {@code message.status.v1} read from a real
 * broker: for WhatsApp ({@code X-Hub-Signature-256}), Twilio ({@code X-Twilio-Signature}) and the notification API
 * (Standard Webhooks), a rightly signed webhook publishes one status, and the very same request sent again is
 * answered like the first (so the provider does not retry) and publishes nothing more. The notification API's
 * signed timestamp is also held to the tolerance: a rightly signed but stale callback is a 401 problem.
 *
 * <p>"Publishes nothing" is checked without waiting on a timer: the broker has one partition and every webhook
 * publishes before it is answered, so once a later webhook's status is read, any status of the earlier requests
 * would have been read before it (see {@link ProviderWebhookTestBase}).
 */
class ProviderWebhookReplayTest extends ProviderWebhookTestBase {

    // ---------------------------------------------------------------- WhatsApp

    @Test
    void a_whatsapp_webhook_replayed_with_its_valid_signature_is_answered_200_and_publishes_nothing() throws Exception {
        // Given a status webhook rightly signed by Meta
        String messageId = UUID.randomUUID().toString();
        byte[] delivered = whatsAppWebhook(messageId, "delivered", 1_700_000_000L);
        String signature = WhatsAppSimulator.signature(APP_SECRET, delivered);

        // When it is posted, and its status is on the topic
        assertThat(postWhatsApp(delivered, signature).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.DELIVERED));

        // And the very same request is posted again
        HttpResponse<String> replay = postWhatsApp(delivered, signature);

        // Then it is answered 200, so Meta would not retry it
        assertThat(replay.statusCode()).isEqualTo(200);

        // And when a later, different status of the message follows and is read
        byte[] read = whatsAppWebhook(messageId, "read", 1_700_000_060L);
        assertThat(postWhatsApp(read, WhatsAppSimulator.signature(APP_SECRET, read)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.READ));

        // Then the replay published nothing in between: one DELIVERED, then READ
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.DELIVERED, MessageStatus.READ);
    }

    @Test
    void a_360dialog_webhook_carrying_the_configured_token_is_taken_without_a_signature_and_a_wrong_token_is_401()
            throws Exception {
        // Given status webhooks as 360dialog posts them: Cloud API statuses[], no X-Hub-Signature-256
        String messageId = UUID.randomUUID().toString();
        byte[] delivered = whatsAppWebhook(messageId, "delivered", 1_700_000_000L);
        byte[] read = whatsAppWebhook(messageId, "read", 1_700_000_060L);
        URI endpoint = URI.create(BASE + "/v1/providers/whatsapp/status");

        // When one comes to the URL registered with ?token=, another with the token header, a third with a wrong token
        HttpResponse<String> byQuery = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "?token=" + D360_WEBHOOK_TOKEN))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(delivered)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> byHeader = HTTP.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json").header("X-Webhook-Token", D360_WEBHOOK_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(read)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "?token=guess"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(read)).build(),
                HttpResponse.BodyHandlers.ofString());

        // Then the first two are taken and their statuses published; the wrong token is refused as problem JSON
        assertThat(byQuery.statusCode()).isEqualTo(200);
        assertThat(byHeader.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> statesOf(messageId).containsAll(List.of(MessageStatus.DELIVERED, MessageStatus.READ)));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    // ---------------------------------------------------------------- Twilio

    @Test
    void a_twilio_callback_replayed_with_its_valid_signature_is_answered_like_the_first_and_publishes_nothing()
            throws Exception {
        // Given a status callback rightly signed by Twilio over our callback URL
        String messageId = UUID.randomUUID().toString();
        String url = BASE + "/v1/providers/twilio/status?t=tenant-a&m=" + messageId + "&c=conv-" + messageId
                + "&to=%2B15552220001&ch=MMS";
        Map<String, String> delivered = twilioParams(messageId, "delivered");
        String signature = TwilioSimulator.signature(TWILIO_TOKEN, url, delivered);

        // When it is posted, and its status is on the topic
        assertThat(postTwilio(url, delivered, signature).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.DELIVERED));

        // And the very same request is posted again
        HttpResponse<String> replay = postTwilio(url, delivered, signature);

        // Then it is answered 204 like the first, so Twilio would not retry it
        assertThat(replay.statusCode()).isEqualTo(204);

        // And when a later, different status of the message follows and is read
        Map<String, String> read = twilioParams(messageId, "read");
        assertThat(postTwilio(url, read, TwilioSimulator.signature(TWILIO_TOKEN, url, read)).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.READ));

        // Then the replay published nothing in between
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.DELIVERED, MessageStatus.READ);
        assertThat(recordsOf(messageId).getFirst().value().getProviderMessageId()).isEqualTo("SM" + messageId);
    }

    // ---------------------------------------------------------------- notification API

    @Test
    void a_notification_api_callback_replayed_with_its_valid_signature_is_answered_like_the_first_and_publishes_nothing()
            throws Exception {
        // Given a status callback rightly signed the Standard Webhooks way, now
        String messageId = UUID.randomUUID().toString();
        String url = notifyUrl(messageId);
        String delivered = notifyBody(messageId, "DELIVERED", 1_763_892_000_000L);
        String id = "msg_" + UUID.randomUUID();
        long signedAt = Instant.now().getEpochSecond();
        String signature = NotifySimulator.signature(NOTIFY_SECRET, id, signedAt, delivered);

        // When it is posted, and its status is on the topic
        assertThat(postNotify(url, id, signedAt, delivered, signature).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.DELIVERED));

        // And the very same request is posted again (within the timestamp tolerance)
        HttpResponse<String> replay = postNotify(url, id, signedAt, delivered, signature);

        // Then it is answered 204 like the first, so the provider would not retry it
        assertThat(replay.statusCode()).isEqualTo(204);

        // And when a later, different status of the message follows and is read
        String read = notifyBody(messageId, "READ", 1_763_892_060_000L);
        String readId = "msg_" + UUID.randomUUID();
        long readAt = Instant.now().getEpochSecond();
        assertThat(postNotify(url, readId, readAt, read, NotifySimulator.signature(NOTIFY_SECRET, readId, readAt, read))
                .statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.READ));

        // Then the replay published nothing in between
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.DELIVERED, MessageStatus.READ);
    }

    @Test
    void a_notification_api_callback_with_a_valid_signature_over_a_stale_timestamp_is_a_401_problem_and_publishes_nothing()
            throws Exception {
        // Given a callback rightly signed, but ten minutes ago (beyond the default tolerance of five)
        String stale = UUID.randomUUID().toString();
        String body = notifyBody(stale, "DELIVERED", 1_763_892_000_000L);
        String id = "msg_" + UUID.randomUUID();
        long signedAt = Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond();

        // When it is posted
        HttpResponse<String> response = postNotify(notifyUrl(stale), id, signedAt, body,
                NotifySimulator.signature(NOTIFY_SECRET, id, signedAt, body));

        // Then it is a 401 problem naming the timestamp
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains(StandardWebhooks.TIMESTAMP_HEADER);

        // And when a fresh callback of another message follows and is read
        String fresh = UUID.randomUUID().toString();
        String freshBody = notifyBody(fresh, "DELIVERED", 1_763_892_000_000L);
        String freshId = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        assertThat(postNotify(notifyUrl(fresh), freshId, now, freshBody,
                NotifySimulator.signature(NOTIFY_SECRET, freshId, now, freshBody)).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> !statesOf(fresh).isEmpty());

        // Then the stale one was never published
        assertThat(statesOf(stale)).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] whatsAppWebhook(String messageId, String status, long timestamp) {
        String opaque = CallbackData.encode(new Correlation("tenant-a", messageId, "conv-" + messageId, "+15551110003"));
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",
                 "phone_number_id":"109876543210"},"statuses":[{"id":"wamid.replay-%s","status":"%s",
                 "timestamp":"%d","recipient_id":"15551110003","biz_opaque_callback_data":"%s"}]}}]}]}"""
                .formatted(messageId, status, timestamp, opaque).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> twilioParams(String messageId, String status) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + messageId);
        params.put("MessageStatus", status);
        params.put("AccountSid", "AC00000000000000000000000000000009");
        params.put("From", "+15550002222");
        params.put("To", "+15552220001");
        return params;
    }

    private static String notifyUrl(String messageId) {
        return BASE + "/v1/providers/notify/status?t=tenant-a&m=" + messageId + "&c=conv-" + messageId
                + "&to=%2B15553330001&ch=RCS";
    }

    private static String notifyBody(String messageId, String status, long timestampMillis) {
        return "{\"transactionId\":\"tx-" + messageId + "\",\"status\":\"" + status + "\",\"timestamp\":"
                + timestampMillis + "}";
    }

    private static List<ConsumerRecord<String, DeliveryStatus>> recordsOf(String messageId) {
        return statusRecords().stream().filter(r -> messageId.equals(r.value().getMessageId())).toList();
    }

    private static List<MessageStatus> statesOf(String messageId) {
        return recordsOf(messageId).stream().map(r -> r.value().getStatus()).toList();
    }
}
