package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Channel fallback on the real local stack (its broker, S3, PostgreSQL, the four services and the Twilio and FCM
 * simulators): an attempt that ends REJECTED or FAILED is followed by one on the next channel, with the same media.
 */
class ChannelFallbackEndToEndTest extends LocalStackTestBase {

    @Test
    void a_pdf_push_refuses_falls_back_to_sms_as_a_link_and_every_attempt_shows_in_history_and_webhooks()
            throws Exception {
        // Given a real PDF uploaded by the demo tenant
        byte[] pdf = Files.readAllBytes(DEMO.resolve("invoice.pdf"));
        String mediaId = uploaded("invoice.pdf", "application/pdf", pdf, "conv-e2e-fallback-1", "SMS");

        // When it is sent as a document by push (which takes images only) with fallback SMS and a callback URL
        Http.Response send = Http.postJson(stack.ingestUrl() + "/v1/messages", apiKey, """
                {"channel":"PUSH","from":"demo-app","to":"+15557650031","kind":"document","media":{"id":"%s"},
                 "fileName":"invoice.pdf","externalId":"ext-e2e-fb-1",
                 "callbacks":["%s"],"fallback":["SMS"]}""".formatted(mediaId, receiver.url()));
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        String root = send.json().path("messageId").asText();
        String second = attempt(root, 2);

        // Then the push attempt ends REJECTED, judged by push's rules
        awaitStatus(root, "REJECTED", "ACCEPTED", "REJECTED");
        // And attempt 2 goes by SMS and ends DELIVERED through Twilio
        JsonNode followUp = awaitStatus(second, "DELIVERED", "ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        assertThat(followUp.path("channel").asText()).isEqualTo("SMS");
        assertThat(followUp.path("fallbackOf").asText()).isEqualTo(root);
        assertThat(followUp.path("attempt").asInt()).isEqualTo(2);
        assertThat(followUp.path("mediaId").asText()).isEqualTo(mediaId);
        assertThat(followUp.path("externalId").asText()).isEqualTo("ext-e2e-fb-1");
        // And Twilio got the file name (a document's text) and a signed link that downloads the very PDF
        JsonNode form = stack.twilio().sends().stream()
                .filter(s -> "+15557650031".equals(s.body().path("To").asText())).findFirst().orElseThrow().body();
        assertThat(form.has("MediaUrl")).isFalse();
        String body = form.path("Body").asText();
        assertThat(body).startsWith("invoice.pdf\n" + stack.ingestUrl() + "/v1/media/" + mediaId + "/content?");
        var download = Http.download(body.substring("invoice.pdf\n".length()));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(pdf);
        // And the client's message lists its attempt, and the webhooks told every status of both attempts
        JsonNode rootView = Http.get(stack.callbackUrl() + "/v1/messages/" + root, apiKey).json();
        assertThat(texts(rootView.path("fallbacks"))).containsExactly(second);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> told = new ArrayList<>();
            for (WebhookReceiver.Received hook : receiver.received()) {
                JsonNode data = Http.JSON.readTree(hook.body()).path("data");
                String id = data.path("messageId").asText();
                if (id.equals(root)) {
                    told.add("1:" + data.path("status").asText());
                } else if (id.equals(second)) {
                    assertThat(data.path("fallbackOf").asText()).isEqualTo(root);
                    told.add(data.path("attempt").asInt() + ":" + data.path("status").asText());
                }
            }
            assertThat(told).containsExactlyInAnyOrder("1:ACCEPTED", "1:REJECTED", "2:ACCEPTED", "2:QUEUED", "2:SENT",
                    "2:DELIVERED");
        });
    }

    @Test
    void an_mms_the_carrier_reports_undelivered_after_sent_falls_back_to_push_and_no_fallback_means_none()
            throws Exception {
        // Given a real PNG uploaded by the demo tenant
        byte[] png = Files.readAllBytes(DEMO.resolve("photo.png"));
        String mediaId = uploaded("photo.png", "image/png", png, "conv-e2e-fallback-2", "MMS");

        // When it is sent by MMS to a number the carrier cannot reach (Twilio: sent, then undelivered 30003) with
        // fallback PUSH, and by MMS to another such number without fallback
        String root = sent("""
                {"channel":"MMS","from":"+15550100002","to":"+15557650009","kind":"image","media":{"id":"%s"},
                 "caption":"Your photo","fallback":["PUSH"]}""".formatted(mediaId));
        String plain = sent("""
                {"channel":"MMS","from":"+15550100002","to":"+15557660009","kind":"image","media":{"id":"%s"}}"""
                .formatted(mediaId));

        // Then the MMS ends FAILED after SENT
        JsonNode failed = awaitStatus(root, "FAILED", "ACCEPTED", "QUEUED", "SENT", "FAILED");
        assertThat(failed.path("reason").asText()).isEqualTo("30003");
        // And attempt 2 is pushed with the photo and ends SENT (push has no receipts)
        String second = attempt(root, 2);
        JsonNode pushed = awaitStatus(second, "SENT", "ACCEPTED", "QUEUED", "SENT");
        assertThat(pushed.path("channel").asText()).isEqualTo("PUSH");
        assertThat(pushed.path("fallbackOf").asText()).isEqualTo(root);
        JsonNode notification = stack.fcm().sends().stream()
                .filter(s -> "+15557650009".equals(s.body().at("/message/token").asText())).findFirst()
                .orElseThrow().body().path("message");
        assertThat(notification.at("/notification/body").asText()).isEqualTo("Your photo");
        assertThat(notification.at("/data/messageId").asText()).isEqualTo(second);
        assertThat(Http.download(notification.at("/notification/image").asText()).body()).isEqualTo(png);
        // And the message without fallback ends FAILED as ever, with no attempt after it
        awaitStatus(plain, "FAILED", "ACCEPTED", "QUEUED", "SENT", "FAILED");
        assertThat(Http.get(stack.callbackUrl() + "/v1/messages/" + plain, apiKey).json().has("fallbacks")).isFalse();
        assertThat(Http.get(stack.callbackUrl() + "/v1/messages/" + attempt(plain, 2), apiKey).status()).isEqualTo(404);
        assertThat(stack.fcm().sends()).noneMatch(s -> "+15557660009".equals(s.body().at("/message/token").asText()));
    }

    /** The id of attempt {@code n} of the client's message: a name-based UUID of its id and the number. */
    private static String attempt(String root, int n) {
        return UUID.nameUUIDFromBytes((root + ":" + n).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String uploaded(String fileName, String type, byte[] content, String conversation, String channel)
            throws Exception {
        Http.Response upload = Http.upload(stack.ingestUrl() + "/v1/media", apiKey, fileName, type, content,
                Map.of("conversationId", conversation, "channel", channel));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        return upload.json().path("mediaId").asText();
    }

    private static String sent(String message) throws Exception {
        Http.Response send = Http.postJson(stack.ingestUrl() + "/v1/messages", apiKey, message);
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        return send.json().path("messageId").asText();
    }

    /** Waits until the message has that status and history; answers its view. */
    private static JsonNode awaitStatus(String messageId, String status, String... history) {
        JsonNode[] view = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Http.Response answer = Http.get(stack.callbackUrl() + "/v1/messages/" + messageId, apiKey);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("status").asText()).as(answer.body()).isEqualTo(status);
            assertThat(texts(answer.json().path("history"), "status")).containsExactly(history);
            view[0] = answer.json();
        });
        return view[0];
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.path(field).asText()));
        return texts;
    }
}
