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
import java.util.Map;

import static io.mediaplatform.simulator.WebhookReceiver.basic;
import static io.mediaplatform.simulator.WebhookReceiver.get;
import static io.mediaplatform.simulator.WebhookReceiver.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Twilio simulator playing a customer who sends MMS / WhatsApp media, served on the WhatsApp simulator's port as
 * in the local stack.
 */
class TwilioCustomerMediaTest {

    private static final String SID = "AC22222222222222222222222222222222";
    private static final String TOKEN = "twilio-test-token";
    private static final long OVERSIZE = 2L * 1024 * 1024 + 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] JPEG = "\u00ff\u00d8\u00ff\u00e0 photo one".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] PNG = "\u0089PNG\r\n\u001a\n photo two".getBytes(StandardCharsets.ISO_8859_1);

    private static WebhookReceiver dispatch;
    private static WhatsAppSimulator host;
    private static TwilioSimulator twilio;
    private static String webhookUrl;

    @BeforeAll
    static void start() {
        dispatch = WebhookReceiver.start();
        webhookUrl = dispatch.url("/v1/providers/twilio/status");
        host = WhatsAppSimulator.builder().accessToken("unused").build().start();
        twilio = TwilioSimulator.builder().accountSid(SID).authToken(TOKEN).oversizeBytes(OVERSIZE)
                .inboundWebhookUrl(webhookUrl).build().startOn(host.server());
    }

    @AfterAll
    static void stop() {
        twilio.close();
        host.close();
        dispatch.close();
    }

    @BeforeEach
    void clear() {
        twilio.reset();
        dispatch.clear();
        twilio.inboundWebhookUrl(webhookUrl);
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void an_mms_with_two_media_posted_as_multipart_arrives_signed_and_each_media_downloads_as_its_bytes() {
        // When a customer sends two photos with a text through the control endpoint (multipart, one part each)
        HttpResponse<byte[]> control = WebhookReceiver.postMultipart(twilio.url()
                + "/simulator/twilio/customer-messages?from=+15557654321&to=+15550100002&body=Two%20photos",
                List.of(new CustomerMedia.Attachment(JPEG, "image/jpeg", "one.jpg"),
                        new CustomerMedia.Attachment(PNG, "image/png", "two.png")));

        // Then the control call answers the message sid, both media and dispatch's status
        assertThat(control.statusCode()).isEqualTo(200);
        JsonNode answer = json(control.body());
        String messageSid = answer.path("providerMessageId").asText();
        assertThat(messageSid).matches("MM[0-9a-f]{32}");
        assertThat(answer.path("webhookStatus").asInt()).isEqualTo(200);
        assertThat(answer.path("media")).hasSize(2);
        assertThat(answer.at("/media/0/sha256").asText()).isEqualTo(sha256Hex(JPEG));
        assertThat(answer.at("/media/1/sha256").asText()).isEqualTo(sha256Hex(PNG));
        assertThat(answer.at("/media/1/contentType").asText()).isEqualTo("image/png");

        // And dispatch got one form-encoded inbound message signed like the status callbacks
        assertThat(dispatch.received()).hasSize(1);
        WebhookReceiver.Received webhook = dispatch.received().getFirst();
        assertThat(webhook.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, String> form = webhook.form();
        assertThat(webhook.header(TwilioSimulator.SIGNATURE_HEADER))
                .isEqualTo(TwilioSimulator.signature(TOKEN, webhookUrl, form));
        assertThat(form).containsEntry("MessageSid", messageSid).containsEntry("AccountSid", SID)
                .containsEntry("From", "+15557654321").containsEntry("To", "+15550100002")
                .containsEntry("Body", "Two photos").containsEntry("NumMedia", "2")
                .containsEntry("MediaContentType0", "image/jpeg").containsEntry("MediaContentType1", "image/png")
                .containsEntry("SmsStatus", "received").containsEntry("ApiVersion", "2010-04-01")
                .doesNotContainKey("MessageStatus");
        String prefix = twilio.url() + "/2010-04-01/Accounts/" + SID + "/Messages/" + messageSid + "/Media/";
        assertThat(form.get("MediaUrl0")).startsWith(prefix).isEqualTo(answer.at("/media/0/url").asText());
        assertThat(form.get("MediaUrl1")).startsWith(prefix).isEqualTo(answer.at("/media/1/url").asText());

        // When each media URL is fetched with basic auth
        HttpResponse<byte[]> first = get(form.get("MediaUrl0"), basic(SID, TOKEN));
        HttpResponse<byte[]> second = get(form.get("MediaUrl1"), basic(SID, TOKEN));

        // Then each gives its very bytes and content type
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(sha256Hex(first.body())).isEqualTo(sha256Hex(JPEG));
        assertThat(first.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(sha256Hex(second.body())).isEqualTo(sha256Hex(PNG));
        assertThat(second.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(twilio.downloads(answer.at("/media/0/mediaId").asText())).isEqualTo(1);
    }

    @Test
    void the_media_is_refused_with_wrong_credentials_another_account_or_another_message() {
        // Given a customer photo
        CustomerSent sent = twilio.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").build());
        String url = sent.first().url();

        // When it is fetched with a wrong token, without auth, under another account and under another message
        HttpResponse<byte[]> wrong = get(url, basic(SID, "wrong"));
        HttpResponse<byte[]> none = get(url, null);
        HttpResponse<byte[]> account = get(url.replace(SID, "AC33333333333333333333333333333333"),
                basic("AC33333333333333333333333333333333", TOKEN));
        HttpResponse<byte[]> message = get(url.replace(sent.providerMessageId(), "MM" + "0".repeat(32)), basic(SID, TOKEN));

        // Then 401 / 20003, 401, 401, and 404 / 20404
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong.body()).path("code").asInt()).isEqualTo(20003);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(account.statusCode()).isEqualTo(401);
        assertThat(message.statusCode()).isEqualTo(404);
        assertThat(json(message.body()).path("code").asInt()).isEqualTo(20404);
        // And the right credentials still get the bytes
        assertThat(get(url, basic(SID, TOKEN)).body()).isEqualTo(JPEG);
    }

    @Test
    void a_whatsapp_message_through_twilio_has_whatsapp_addresses_and_the_profile() {
        // When a customer sends a photo on the whatsapp channel through the control endpoint (raw body)
        HttpResponse<byte[]> control = WebhookReceiver.postRaw(twilio.url()
                + "/simulator/twilio/customer-messages?from=+15557654321&channel=whatsapp", "image/jpeg", JPEG);

        // Then From and To carry the whatsapp: prefix (To defaults to the simulator's number)
        assertThat(control.statusCode()).isEqualTo(200);
        Map<String, String> form = dispatch.received().getFirst().form();
        assertThat(form).containsEntry("From", "whatsapp:+15557654321").containsEntry("To", "whatsapp:+15550100002")
                .containsEntry("WaId", "15557654321").containsEntry("NumMedia", "1").containsEntry("Body", "");
        assertThat(dispatch.received().getFirst().header(TwilioSimulator.SIGNATURE_HEADER))
                .isEqualTo(TwilioSimulator.signature(TOKEN, webhookUrl, form));
    }

    @Test
    void download_5xx_oversize_and_gone_behave_as_described() {
        // Given a photo failing its first download, an oversize one and a gone one
        CustomerSent flaky = twilio.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").faults("download-5xx:1").build());
        CustomerSent big = twilio.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").faults("oversize").build());
        CustomerSent gone = twilio.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").faults("gone").build());
        String auth = basic(SID, TOKEN);

        // Then the flaky one is 500 then the bytes
        assertThat(get(flaky.first().url(), auth).statusCode()).isEqualTo(500);
        assertThat(get(flaky.first().url(), auth).body()).isEqualTo(JPEG);
        assertThat(twilio.downloads(flaky.mediaId())).isEqualTo(2);
        // And the oversize one streams oversizeBytes
        WebhookReceiver.Streamed download = WebhookReceiver.streamDigest(big.first().url(), auth);
        assertThat(download.length()).isEqualTo(OVERSIZE).isEqualTo(big.first().size());
        assertThat(download.sha256()).isEqualTo(big.first().sha256());
        // And the gone one is a 404, like one deleted afterwards
        assertThat(get(gone.first().url(), auth).statusCode()).isEqualTo(404);
        twilio.deleteMedia(flaky.mediaId());
        assertThat(get(flaky.first().url(), auth).statusCode()).isEqualTo(404);
    }

    @Test
    void a_redelivery_posts_the_same_message_again_with_the_same_signature() {
        // Given a message dispatch refused
        dispatch.answer(500);
        CustomerSent sent = twilio.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").text("hi").build());
        assertThat(sent.webhookStatus()).isEqualTo(500);

        // When it is delivered again
        dispatch.answer(204);
        assertThat(twilio.redeliver(sent.providerMessageId())).isEqualTo(204);

        // Then the same body and signature arrived twice
        List<WebhookReceiver.Received> webhooks = dispatch.received();
        assertThat(webhooks).hasSize(2);
        assertThat(webhooks.get(1).body()).isEqualTo(webhooks.get(0).body());
        assertThat(webhooks.get(1).header(TwilioSimulator.SIGNATURE_HEADER))
                .isEqualTo(webhooks.get(0).header(TwilioSimulator.SIGNATURE_HEADER));
    }

    @Test
    void more_than_ten_media_or_nothing_at_all_is_refused() {
        // When the Java API gets eleven files, and the control endpoint no file and no body
        CustomerMedia.Builder eleven = CustomerMedia.builder();
        for (int i = 0; i < 11; i++) {
            eleven.attach(JPEG, "image/jpeg");
        }
        HttpResponse<byte[]> empty = WebhookReceiver.postRaw(twilio.url() + "/simulator/twilio/customer-messages",
                "image/jpeg", new byte[0]);

        // Then both are refused and nothing was posted
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> twilio.customerSends(eleven.build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(dispatch.received()).isEmpty();
    }
}
