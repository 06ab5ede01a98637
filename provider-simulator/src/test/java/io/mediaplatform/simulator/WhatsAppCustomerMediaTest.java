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
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static io.mediaplatform.simulator.WebhookReceiver.get;
import static io.mediaplatform.simulator.WebhookReceiver.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The WhatsApp simulator playing a customer who sends media, and serving it like Graph. */
class WhatsAppCustomerMediaTest {

    private static final String TOKEN = "wa-test-token";
    private static final String SECRET = "wa-test-app-secret";
    private static final String BEARER = "Bearer " + TOKEN;
    private static final long OVERSIZE = 3L * 1024 * 1024 + 7;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] JPEG = "\u00ff\u00d8\u00ff\u00e0 a broken lid".getBytes(StandardCharsets.ISO_8859_1);

    private static WebhookReceiver dispatch;
    private static WhatsAppSimulator whatsApp;

    @BeforeAll
    static void start() {
        dispatch = WebhookReceiver.start();
        whatsApp = WhatsAppSimulator.builder().accessToken(TOKEN).appSecret(SECRET).oversizeBytes(OVERSIZE)
                .webhookUrl(dispatch.url("/v1/providers/whatsapp/status")).build().start();
    }

    @AfterAll
    static void stop() {
        whatsApp.close();
        dispatch.close();
    }

    @BeforeEach
    void clear() {
        whatsApp.reset();
        dispatch.clear();
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Graph resolve answer: its JSON with the HTTP status as {@code _status}. */
    private static JsonNode resolve(String mediaId, String authorization) {
        HttpResponse<byte[]> response = get(whatsApp.url() + "/v21.0/" + mediaId, authorization);
        com.fasterxml.jackson.databind.node.ObjectNode answer = (com.fasterxml.jackson.databind.node.ObjectNode) json(response.body());
        return answer.put("_status", response.statusCode());
    }

    private static int status(JsonNode answer) {
        return answer.path("_status").asInt();
    }

    @Test
    void a_customer_image_posted_through_the_control_endpoint_arrives_signed_and_downloads_as_the_very_bytes() {
        // Given dispatch answers 200
        // When a customer sends an image with a caption through the control endpoint
        HttpResponse<byte[]> control = WebhookReceiver.postRaw(whatsApp.url()
                + "/simulator/whatsapp/customer-messages?from=+15557654321&type=image&caption=Broken%20lid",
                "image/jpeg", JPEG);

        // Then the control call answers the message, the media and dispatch's status
        assertThat(control.statusCode()).isEqualTo(200);
        JsonNode answer = json(control.body());
        String wamid = answer.path("providerMessageId").asText();
        String mediaId = answer.at("/media/0/mediaId").asText();
        assertThat(wamid).startsWith("wamid.");
        assertThat(mediaId).matches("\\d{16}");
        assertThat(answer.at("/media/0/sha256").asText()).isEqualTo(sha256Hex(JPEG));
        assertThat(answer.at("/media/0/size").asLong()).isEqualTo(JPEG.length);
        assertThat(answer.at("/media/0/contentType").asText()).isEqualTo("image/jpeg");
        assertThat(answer.path("webhookStatus").asInt()).isEqualTo(200);

        // And dispatch got one messages[] webhook, signed over its raw body, shaped as the contract says
        WebhookReceiver.Received webhook = dispatch.received().getFirst();
        assertThat(dispatch.received()).hasSize(1);
        assertThat(webhook.path()).isEqualTo("/v1/providers/whatsapp/status");
        assertThat(webhook.header(WhatsAppSimulator.SIGNATURE_HEADER))
                .isEqualTo(WhatsAppSimulator.signature(SECRET, webhook.body()));
        JsonNode payload = json(webhook.body());
        assertThat(payload.path("object").asText()).isEqualTo("whatsapp_business_account");
        JsonNode value = payload.at("/entry/0/changes/0/value");
        assertThat(payload.at("/entry/0/changes/0/field").asText()).isEqualTo("messages");
        assertThat(value.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(value.at("/metadata/phone_number_id").asText()).isEqualTo("106540352242922");
        assertThat(value.at("/metadata/display_phone_number").asText()).isNotBlank();
        assertThat(value.at("/contacts/0/wa_id").asText()).isEqualTo("15557654321");
        assertThat(value.at("/contacts/0/profile/name").asText()).isEqualTo("Customer");
        JsonNode message = value.at("/messages/0");
        assertThat(message.path("from").asText()).isEqualTo("15557654321");
        assertThat(message.path("id").asText()).isEqualTo(wamid);
        assertThat(message.path("timestamp").asText()).matches("\\d{10}");
        assertThat(message.path("type").asText()).isEqualTo("image");
        assertThat(message.at("/image/caption").asText()).isEqualTo("Broken lid");
        assertThat(message.at("/image/mime_type").asText()).isEqualTo("image/jpeg");
        assertThat(message.at("/image/id").asText()).isEqualTo(mediaId);
        assertThat(HexFormat.of().formatHex(Base64.getDecoder().decode(message.at("/image/sha256").asText())))
                .isEqualTo(sha256Hex(JPEG));
        assertThat(value.has("statuses")).isFalse();

        // When the platform resolves the media id with the token
        JsonNode resolved = resolve(mediaId, BEARER);

        // Then it gets Graph's metadata with a short-lived download url on the simulator
        assertThat(status(resolved)).isEqualTo(200);
        assertThat(resolved.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(resolved.path("id").asText()).isEqualTo(mediaId);
        assertThat(resolved.path("mime_type").asText()).isEqualTo("image/jpeg");
        assertThat(resolved.path("sha256").asText()).isEqualTo(sha256Hex(JPEG));
        assertThat(resolved.path("file_size").asLong()).isEqualTo(JPEG.length);
        String url = resolved.path("url").asText();
        assertThat(url).startsWith(whatsApp.url() + "/whatsapp/media-download/" + mediaId + "?expires=")
                .contains("&sig=");

        // And downloading it with the token gives the very bytes
        HttpResponse<byte[]> download = get(url, BEARER);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(sha256Hex(download.body())).isEqualTo(sha256Hex(JPEG));
        assertThat(whatsApp.downloads(mediaId)).isEqualTo(1);
        assertThat(whatsApp.resolves(mediaId)).isEqualTo(1);
    }

    @Test
    void the_media_is_refused_with_a_wrong_token_a_tampered_url_or_an_unknown_id() {
        // Given a customer image
        CustomerSent sent = whatsApp.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").build());
        String url = resolve(sent.mediaId(), BEARER).path("url").asText();

        // When the media is resolved with a wrong token, and without one
        JsonNode wrong = resolve(sent.mediaId(), "Bearer nope");
        JsonNode missing = resolve(sent.mediaId(), null);

        // Then both are 401 OAuthException 190
        for (JsonNode answer : List.of(wrong, missing)) {
            assertThat(status(answer)).isEqualTo(401);
            assertThat(answer.at("/error/code").asInt()).isEqualTo(190);
        }

        // And the download url refuses a wrong token (401), a tampered signature or expiry (403)
        assertThat(get(url, "Bearer nope").statusCode()).isEqualTo(401);
        assertThat(get(url, null).statusCode()).isEqualTo(401);
        String tamperedSig = url.substring(0, url.length() - 1) + (url.endsWith("0") ? "1" : "0");
        assertThat(get(tamperedSig, BEARER).statusCode()).isEqualTo(403);
        String expires = url.replaceAll(".*expires=(\\d+).*", "$1");
        String tamperedExpiry = url.replace("expires=" + expires, "expires=" + (Long.parseLong(expires) + 3600));
        assertThat(get(tamperedExpiry, BEARER).statusCode()).isEqualTo(403);
        assertThat(get(url.substring(0, url.indexOf('?')), BEARER).statusCode()).isEqualTo(403);

        // And an unknown media id is Graph's 404 code 100 subcode 33
        JsonNode unknown = resolve("1234567890123456", BEARER);
        assertThat(status(unknown)).isEqualTo(404);
        assertThat(unknown.at("/error/code").asInt()).isEqualTo(100);
        assertThat(unknown.at("/error/error_subcode").asInt()).isEqualTo(33);

        // And the right token still gets the bytes
        assertThat(get(url, BEARER).body()).isEqualTo(JPEG);
    }

    @Test
    void a_voice_note_a_document_with_its_filename_and_a_sticker_carry_their_type_fields() {
        // When a customer sends a voice note, a document and a sticker
        byte[] ogg = "OggS voice".getBytes(StandardCharsets.US_ASCII);
        byte[] pdf = "%PDF-1.7 invoice".getBytes(StandardCharsets.US_ASCII);
        byte[] webp = "RIFF....WEBP".getBytes(StandardCharsets.US_ASCII);
        CustomerSent voice = whatsApp.customerSends(CustomerMedia.builder().from("+15557654321").type("audio")
                .bytes(ogg).voice(true).build());
        CustomerSent document = whatsApp.customerSends(CustomerMedia.of("document", pdf, "application/pdf")
                .fileName("invoice-42.pdf").caption("My invoice").build());
        CustomerSent sticker = whatsApp.customerSends(CustomerMedia.builder().type("sticker").bytes(webp).build());

        // Then each webhook carries its type's fields
        List<WebhookReceiver.Received> webhooks = dispatch.received();
        assertThat(webhooks).hasSize(3);
        JsonNode audio = json(webhooks.get(0).body()).at("/entry/0/changes/0/value/messages/0");
        assertThat(audio.path("type").asText()).isEqualTo("audio");
        assertThat(audio.at("/audio/voice").asBoolean()).isTrue();
        assertThat(audio.at("/audio/mime_type").asText()).isEqualTo("audio/ogg; codecs=opus");
        assertThat(audio.at("/audio/id").asText()).isEqualTo(voice.mediaId());
        assertThat(audio.at("/audio").has("caption")).isFalse();
        JsonNode doc = json(webhooks.get(1).body()).at("/entry/0/changes/0/value/messages/0");
        assertThat(doc.path("type").asText()).isEqualTo("document");
        assertThat(doc.at("/document/filename").asText()).isEqualTo("invoice-42.pdf");
        assertThat(doc.at("/document/caption").asText()).isEqualTo("My invoice");
        assertThat(doc.at("/document/mime_type").asText()).isEqualTo("application/pdf");
        JsonNode stick = json(webhooks.get(2).body()).at("/entry/0/changes/0/value/messages/0");
        assertThat(stick.path("type").asText()).isEqualTo("sticker");
        assertThat(stick.at("/sticker/mime_type").asText()).isEqualTo("image/webp");
        assertThat(stick.at("/sticker/animated").asBoolean()).isFalse();

        // And each resolves and downloads as its bytes with its content type
        for (Object[] pair : List.of(new Object[]{voice, ogg}, new Object[]{document, pdf}, new Object[]{sticker, webp})) {
            CustomerSent sent = (CustomerSent) pair[0];
            JsonNode resolved = resolve(sent.mediaId(), BEARER);
            assertThat(resolved.path("mime_type").asText()).isEqualTo(sent.first().contentType());
            HttpResponse<byte[]> download = get(resolved.path("url").asText(), BEARER);
            assertThat(download.body()).isEqualTo((byte[]) pair[1]);
            assertThat(download.headers().firstValue("Content-Type")).contains(sent.first().contentType());
        }
    }

    @Test
    void download_5xx_answers_the_first_downloads_500_then_the_bytes() {
        // Given an image whose first two downloads fail
        CustomerSent sent = whatsApp.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg")
                .faults("download-5xx:2").build());
        String url = resolve(sent.mediaId(), BEARER).path("url").asText();

        // When it is downloaded three times
        HttpResponse<byte[]> first = get(url, BEARER);
        HttpResponse<byte[]> second = get(url, BEARER);
        HttpResponse<byte[]> third = get(url, BEARER);

        // Then 500, 500 (Graph error code 2), then the bytes
        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(json(first.body()).at("/error/code").asInt()).isEqualTo(2);
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(third.body()).isEqualTo(JPEG);
        assertThat(whatsApp.downloads(sent.mediaId())).isEqualTo(3);
    }

    @Test
    void expired_url_hands_out_an_already_expired_first_url_and_a_fresh_one_on_the_next_resolve() {
        // Given an image with the expired-url fault
        CustomerSent sent = whatsApp.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg")
                .faults("expired-url").build());

        // When the first url is downloaded
        HttpResponse<byte[]> expired = get(resolve(sent.mediaId(), BEARER).path("url").asText(), BEARER);

        // Then it is a 404, and a second resolve gives a url that works
        assertThat(expired.statusCode()).isEqualTo(404);
        assertThat(json(expired.body()).at("/error/code").asInt()).isEqualTo(100);
        HttpResponse<byte[]> fresh = get(resolve(sent.mediaId(), BEARER).path("url").asText(), BEARER);
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(fresh.body()).isEqualTo(JPEG);
        assertThat(whatsApp.resolves(sent.mediaId())).isEqualTo(2);
    }

    @Test
    void wrong_sha256_reports_a_digest_that_does_not_match_the_bytes() {
        // When an image with the wrong-sha256 fault is sent
        CustomerSent sent = whatsApp.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg")
                .faults("wrong-sha256").build());

        // Then the webhook and the resolve report the same digest, which is not the bytes'
        String webhookSha = HexFormat.of().formatHex(Base64.getDecoder().decode(json(dispatch.received().getFirst().body())
                .at("/entry/0/changes/0/value/messages/0/image/sha256").asText()));
        JsonNode resolved = resolve(sent.mediaId(), BEARER);
        assertThat(resolved.path("sha256").asText()).isEqualTo(webhookSha).isEqualTo(sent.first().reportedSha256())
                .isNotEqualTo(sha256Hex(JPEG));
        // And the bytes served are still the customer's
        assertThat(sent.first().sha256()).isEqualTo(sha256Hex(JPEG));
        assertThat(sha256Hex(get(resolved.path("url").asText(), BEARER).body())).isEqualTo(sha256Hex(JPEG));
    }

    @Test
    void oversize_streams_oversize_bytes_with_the_reported_size_and_digest() {
        // When an image with the oversize fault is sent (oversizeBytes 3 MiB + 7 here)
        CustomerSent sent = whatsApp.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg")
                .faults("oversize").build());

        // Then resolve and the control answer report that size, and the download streams exactly that many bytes
        JsonNode resolved = resolve(sent.mediaId(), BEARER);
        assertThat(resolved.path("file_size").asLong()).isEqualTo(OVERSIZE);
        assertThat(sent.first().size()).isEqualTo(OVERSIZE);
        WebhookReceiver.Streamed download = WebhookReceiver.streamDigest(resolved.path("url").asText(), BEARER);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.contentLength()).isEqualTo(OVERSIZE);
        assertThat(download.length()).isEqualTo(OVERSIZE);
        assertThat(download.sha256()).isEqualTo(sent.first().sha256()).isEqualTo(resolved.path("sha256").asText());
    }

    @Test
    void gone_media_and_deleted_media_answer_404() {
        // Given an image sent as gone, and one deleted after its url was handed out
        CustomerSent gone = whatsApp.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").faults("gone").build());
        CustomerSent deleted = whatsApp.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").build());
        String url = resolve(deleted.mediaId(), BEARER).path("url").asText();
        whatsApp.deleteMedia(deleted.mediaId());

        // Then resolving either is Graph's 404 and the handed-out url is a 404 too
        for (CustomerSent sent : List.of(gone, deleted)) {
            JsonNode answer = resolve(sent.mediaId(), BEARER);
            assertThat(status(answer)).isEqualTo(404);
            assertThat(answer.at("/error/error_subcode").asInt()).isEqualTo(33);
        }
        assertThat(get(url, BEARER).statusCode()).isEqualTo(404);
    }

    @Test
    void faults_combine_and_the_control_endpoint_takes_them_comma_separated() {
        // When an image is sent through the control endpoint with two faults
        HttpResponse<byte[]> control = WebhookReceiver.postRaw(whatsApp.url()
                + "/simulator/whatsapp/customer-messages?from=15557654321&fault=download-5xx:1,wrong-sha256",
                "image/jpeg", JPEG);
        JsonNode answer = json(control.body());
        String mediaId = answer.at("/media/0/mediaId").asText();

        // Then the digest is wrong and the first download fails, the second serves the bytes
        JsonNode resolved = resolve(mediaId, BEARER);
        assertThat(resolved.path("sha256").asText()).isNotEqualTo(sha256Hex(JPEG));
        assertThat(get(resolved.path("url").asText(), BEARER).statusCode()).isEqualTo(500);
        assertThat(get(resolved.path("url").asText(), BEARER).body()).isEqualTo(JPEG);
        // And a bare wa_id as from became E.164 (the webhook's from has no '+')
        assertThat(json(dispatch.received().getFirst().body()).at("/entry/0/changes/0/value/messages/0/from").asText())
                .isEqualTo("15557654321");
    }

    @Test
    void a_redelivery_posts_the_same_signed_bytes_again_and_reports_dispatchs_status() {
        // Given dispatch cannot take the webhook
        dispatch.answer(503);
        CustomerSent sent = whatsApp.customerSends(CustomerMedia.of("image", JPEG, "image/jpeg").build());
        assertThat(sent.webhookStatus()).isEqualTo(503);

        // When dispatch is back and the webhook is delivered again
        dispatch.answer(200);
        int status = whatsApp.redeliver(sent.providerMessageId());

        // Then the very same signed body arrived twice
        assertThat(status).isEqualTo(200);
        List<WebhookReceiver.Received> webhooks = dispatch.received();
        assertThat(webhooks).hasSize(2);
        assertThat(webhooks.get(1).body()).isEqualTo(webhooks.get(0).body());
        assertThat(webhooks.get(1).header(WhatsAppSimulator.SIGNATURE_HEADER))
                .isEqualTo(webhooks.get(0).header(WhatsAppSimulator.SIGNATURE_HEADER));
        assertThat(whatsApp.postedInbound()).extracting(PostedWebhook::status).containsExactly(503, 200);
    }

    @Test
    void a_bad_control_request_is_a_400_problem_and_the_send_endpoint_still_works() {
        // When the control endpoint gets an unknown fault, no file, or an unknown type
        HttpResponse<byte[]> fault = WebhookReceiver.postRaw(whatsApp.url()
                + "/simulator/whatsapp/customer-messages?fault=melted", "image/jpeg", JPEG);
        HttpResponse<byte[]> empty = WebhookReceiver.postRaw(whatsApp.url()
                + "/simulator/whatsapp/customer-messages", "image/jpeg", new byte[0]);
        HttpResponse<byte[]> type = WebhookReceiver.postRaw(whatsApp.url()
                + "/simulator/whatsapp/customer-messages?type=location", "image/jpeg", JPEG);

        // Then each is a 400 problem and nothing was posted
        for (HttpResponse<byte[]> response : List.of(fault, empty, type)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        assertThat(json(fault.body()).path("detail").asText()).contains("melted");
        assertThat(dispatch.received()).isEmpty();
        assertThatThrownBy(() -> whatsApp.redeliver("wamid.unknown")).isInstanceOf(IllegalArgumentException.class);

        // And a business send on /{version}/{phoneNumberId}/messages still reaches the send endpoint (the magic
        // recipient 0400 gets the send endpoint's own 131026, and no status webhooks follow)
        HttpResponse<byte[]> send = WebhookReceiver.CLIENT.sendAsync(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(whatsApp.url() + "/v21.0/106540352242922/messages"))
                .header("Authorization", BEARER).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        {"messaging_product":"whatsapp","to":"+15550000400","type":"text","text":{"body":"hi"}}"""))
                .build(), HttpResponse.BodyHandlers.ofByteArray()).join();
        assertThat(send.statusCode()).isEqualTo(400);
        assertThat(json(send.body()).at("/error/code").asInt()).isEqualTo(131026);
        assertThat(whatsApp.sends()).singleElement().satisfies(s -> assertThat(s.phoneNumberId()).isEqualTo("106540352242922"));
    }
}
