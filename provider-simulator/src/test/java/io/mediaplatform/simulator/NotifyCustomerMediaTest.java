package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.mediaplatform.simulator.WebhookReceiver.get;
import static io.mediaplatform.simulator.WebhookReceiver.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

/** The notification-API simulator playing a customer who sends media on RCS or web chat. */
class NotifyCustomerMediaTest {

    private static final String API_KEY = "notify-test-key";
    private static final String SECRET = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMw==";
    private static final String BEARER = "Bearer " + API_KEY;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] JPEG = "\u00ff\u00d8\u00ff\u00e0 rcs photo".getBytes(StandardCharsets.ISO_8859_1);

    private static WebhookReceiver dispatch;
    private static NotifySimulator notify;
    private static String webhookUrl;

    @BeforeAll
    static void start() {
        dispatch = WebhookReceiver.start();
        webhookUrl = dispatch.url("/v1/providers/notify/status");
        notify = NotifySimulator.builder().apiKey(API_KEY).webhookSecret(SECRET).inboundWebhookUrl(webhookUrl)
                .build().start();
    }

    @AfterAll
    static void stop() {
        notify.close();
        dispatch.close();
    }

    @BeforeEach
    void clear() {
        notify.reset();
        dispatch.clear();
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSigned(WebhookReceiver.Received webhook) {
        assertThat(webhook.header("webhook-id")).startsWith("msg_");
        assertThat(Long.parseLong(webhook.header("webhook-timestamp")))
                .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        assertThat(webhook.header("webhook-signature")).isEqualTo(NotifySimulator.signature(SECRET,
                webhook.header("webhook-id"), Long.parseLong(webhook.header("webhook-timestamp")), webhook.text()));
    }

    @Test
    void a_customer_image_arrives_as_a_signed_message_received_callback_and_downloads_as_the_very_bytes() {
        // When a customer sends an image with a caption on RCS through the control endpoint
        HttpResponse<byte[]> control = WebhookReceiver.postRaw(notify.url()
                + "/simulator/notify/customer-messages?from=+15557654321&channel=RCS&type=image&caption=Broken%20lid",
                "image/jpeg", JPEG);

        // Then the control call answers the message, its media and dispatch's status
        assertThat(control.statusCode()).isEqualTo(200);
        JsonNode answer = json(control.body());
        String messageId = answer.path("providerMessageId").asText();
        assertThat(messageId).startsWith("ntf_in_");
        assertThat(answer.path("webhookStatus").asInt()).isEqualTo(200);

        // And dispatch got the message.received callback signed the Standard Webhooks way, shaped as the contract says
        assertThat(dispatch.received()).hasSize(1);
        WebhookReceiver.Received webhook = dispatch.received().getFirst();
        assertThat(webhook.path()).isEqualTo("/v1/providers/notify/status");
        assertThat(webhook.query()).isNull();
        assertSigned(webhook);
        JsonNode body = json(webhook.body());
        assertThat(body.path("type").asText()).isEqualTo("message.received");
        assertThat(body.path("messageId").asText()).isEqualTo(messageId);
        assertThat(body.path("channel").asText()).isEqualTo("RCS");
        assertThat(body.path("from").asText()).isEqualTo("+15557654321");
        assertThat(body.path("to").asText()).isEqualTo("demo-sender");
        assertThat(java.time.Instant.parse(body.path("timestamp").asText())).isNotNull();
        assertThat(body.path("text").isNull()).isTrue();
        assertThat(body.path("attachments")).hasSize(1);
        JsonNode attachment = body.at("/attachments/0");
        assertThat(attachment.path("type").asText()).isEqualTo("image");
        assertThat(attachment.path("contentType").asText()).isEqualTo("image/jpeg");
        assertThat(attachment.path("size").asLong()).isEqualTo(JPEG.length);
        assertThat(attachment.path("sha256").asText()).isEqualTo(sha256Hex(JPEG));
        assertThat(attachment.path("caption").asText()).isEqualTo("Broken lid");
        assertThat(attachment.path("fileName").isNull()).isTrue();
        String url = attachment.path("url").asText();
        assertThat(url).isEqualTo(notify.url() + "/notify/media/" + answer.at("/media/0/mediaId").asText());

        // When the platform fetches the url with the API key
        HttpResponse<byte[]> download = get(url, BEARER);

        // Then it gets the very bytes; a wrong or missing key gets 401
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(sha256Hex(download.body())).isEqualTo(sha256Hex(JPEG));
        assertThat(download.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(get(url, "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(url, null).statusCode()).isEqualTo(401);
        assertThat(get(notify.url() + "/notify/media/nm-unknown", BEARER).statusCode()).isEqualTo(404);
        assertThat(notify.downloads(answer.at("/media/0/mediaId").asText())).isEqualTo(3);
    }

    @Test
    void a_webchat_document_carries_its_file_name_and_text_to_the_given_sender() {
        // When a web-chat visitor sends a document with a text to another sender id
        byte[] pdf = "%PDF-1.7 order".getBytes(StandardCharsets.US_ASCII);
        CustomerSent sent = notify.customerSends(CustomerMedia.of("document", pdf, "application/pdf")
                .from("visitor-42").to("shop-sender").channel("webchat").fileName("order.pdf").text("here it is").build());

        // Then the callback carries them
        JsonNode body = json(dispatch.received().getFirst().body());
        assertThat(body.path("channel").asText()).isEqualTo("WEBCHAT");
        assertThat(body.path("from").asText()).isEqualTo("visitor-42");
        assertThat(body.path("to").asText()).isEqualTo("shop-sender");
        assertThat(body.path("text").asText()).isEqualTo("here it is");
        assertThat(body.at("/attachments/0/type").asText()).isEqualTo("document");
        assertThat(body.at("/attachments/0/fileName").asText()).isEqualTo("order.pdf");
        assertThat(get(sent.first().url(), BEARER).body()).isEqualTo(pdf);
    }

    @Test
    void wrong_sha256_download_5xx_and_gone_behave_as_described() {
        // Given media with each fault
        CustomerSent wrong = notify.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").faults("wrong-sha256").build());
        CustomerSent flaky = notify.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").faults("download-5xx:1").build());
        CustomerSent gone = notify.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").faults("gone").build());

        // Then the reported sha256 does not match the bytes served
        String reported = json(dispatch.received().getFirst().body()).at("/attachments/0/sha256").asText();
        assertThat(reported).isEqualTo(wrong.first().reportedSha256()).isNotEqualTo(sha256Hex(JPEG));
        assertThat(sha256Hex(get(wrong.first().url(), BEARER).body())).isEqualTo(sha256Hex(JPEG));
        // And the flaky one is 500 then the bytes
        assertThat(get(flaky.first().url(), BEARER).statusCode()).isEqualTo(500);
        assertThat(get(flaky.first().url(), BEARER).body()).isEqualTo(JPEG);
        // And the gone one is a 404
        assertThat(get(gone.first().url(), BEARER).statusCode()).isEqualTo(404);
    }

    @Test
    void oversize_streams_the_default_101_mib_without_the_simulator_holding_it() {
        // When an image with the oversize fault is sent (default oversizeBytes)
        CustomerSent sent = notify.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").faults("oversize").build());

        // Then the callback reports 101 MiB and the download streams exactly that, matching the reported digest
        assertThat(json(dispatch.received().getFirst().body()).at("/attachments/0/size").asLong())
                .isEqualTo(MediaFaults.DEFAULT_OVERSIZE_BYTES).isEqualTo(101L * 1024 * 1024);
        WebhookReceiver.Streamed download = WebhookReceiver.streamDigest(sent.first().url(), BEARER);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.length()).isEqualTo(MediaFaults.DEFAULT_OVERSIZE_BYTES);
        assertThat(download.sha256()).isEqualTo(sent.first().sha256());
    }

    @Test
    void a_redelivery_keeps_the_webhook_id_and_is_signed_afresh() {
        // Given a callback dispatch could not take
        dispatch.answer(503);
        CustomerSent sent = notify.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").build());
        assertThat(sent.webhookStatus()).isEqualTo(503);

        // When it is delivered again
        dispatch.answer(204);
        int status = notify.redeliver(sent.providerMessageId());

        // Then the same body with the same webhook-id arrived again, validly signed
        assertThat(status).isEqualTo(204);
        List<WebhookReceiver.Received> webhooks = dispatch.received();
        assertThat(webhooks).hasSize(2);
        assertThat(webhooks.get(1).body()).isEqualTo(webhooks.get(0).body());
        assertThat(webhooks.get(1).header("webhook-id")).isEqualTo(webhooks.get(0).header("webhook-id"));
        webhooks.forEach(NotifyCustomerMediaTest::assertSigned);
    }

    @Test
    void several_files_in_one_multipart_control_call_become_several_attachments() {
        // When a customer sends an image and a video in one message
        byte[] mp4 = "....ftypmp42 clip".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<byte[]> control = WebhookReceiver.postMultipart(notify.url()
                + "/simulator/notify/customer-messages?from=+15557654321", List.of(
                new CustomerMedia.Attachment(JPEG, "image/jpeg", "a.jpg"),
                new CustomerMedia.Attachment(mp4, "video/mp4", "b.mp4")));

        // Then the callback has two attachments, typed by their content types, each downloadable
        assertThat(control.statusCode()).isEqualTo(200);
        JsonNode attachments = json(dispatch.received().getFirst().body()).path("attachments");
        assertThat(attachments).hasSize(2);
        assertThat(attachments.get(0).path("type").asText()).isEqualTo("image");
        assertThat(attachments.get(1).path("type").asText()).isEqualTo("video");
        assertThat(get(attachments.get(1).path("url").asText(), BEARER).body()).isEqualTo(mp4);
    }
}
