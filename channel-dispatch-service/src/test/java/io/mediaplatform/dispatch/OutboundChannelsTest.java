package io.mediaplatform.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaplatform.common.signing.LinkSigner;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.simulator.FcmSimulator;
import io.mediaplatform.simulator.Fault;
import io.mediaplatform.simulator.NotifySimulator;
import io.mediaplatform.simulator.ReceivedSend;
import io.mediaplatform.simulator.TwilioSimulator;
import io.mediaplatform.simulator.WhatsAppSimulator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbound channels and providers added to the Cloud API, Twilio and notification-API connectors, end to end on a
 * real broker and registry with each provider's simulator: WhatsApp through 360dialog ({@code WHATSAPP_PROVIDER=
 * 360dialog}), SMS with the media as a signed link in the text (through Twilio by default, the notification API for
 * one tenant), and PUSH through FCM HTTP v1. The media links point at a stand-in of ingest's download endpoint that
 * checks them with ingest's signer and key.
 */
class OutboundChannelsTest extends ProviderWebhookTestBase {

    private static final String D360_KEY = "outbound-test-d360-key";
    private static final String TWILIO_SID = "AC00000000000000000000000000000002";
    private static final String NOTIFY_KEY = "outbound-test-notify-key";
    private static final String FCM_TOKEN = "outbound-test-fcm-token";
    private static final String FCM_PROJECT = "outbound-test-project";
    /** The tenant whose SMS go through the notification API (SMS_PROVIDER_TENANTS). */
    private static final String NOTIFY_SMS_TENANT = "tenant-sms-notify";
    private static final Pattern LINK = Pattern.compile("(http://\\S+/v1/media/(\\S+)/content\\?tenant=([^&]+)&expires=(\\d+)&signature=(\\S+))");

    private static final WhatsAppSimulator whatsApp = WhatsAppSimulator.builder().accessToken("not-the-cloud-api")
            .d360ApiKey(D360_KEY).appSecret(APP_SECRET).phoneNumberId(PHONE_NUMBER_ID)
            .statusDelay(Duration.ofMillis(100)).build().start().webhookUrl(WHATSAPP_URL);
    private static final TwilioSimulator twilio = TwilioSimulator.builder().accountSid(TWILIO_SID).authToken(TWILIO_TOKEN)
            .statusDelay(Duration.ofMillis(100)).build().start();
    private static final NotifySimulator notifyApi = NotifySimulator.builder().apiKey(NOTIFY_KEY)
            .webhookSecret(NOTIFY_SECRET).statusDelay(Duration.ofMillis(100)).build().start();
    private static final FcmSimulator fcm = FcmSimulator.builder().accessToken(FCM_TOKEN).projectId(FCM_PROJECT)
            .build().start();
    private static final IngestStandIn ingest = IngestStandIn.start(LINK_KEY);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired
    KafkaTemplate<Object, Object> kafka;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("dispatch.links.public-base-url", ingest::url);
        registry.add("dispatch.retry.initial-backoff", () -> "50ms");
        registry.add("dispatch.retry.max-backoff", () -> "1s");
        registry.add("dispatch.retry.delays", () -> "");
        registry.add("dispatch.whatsapp.provider", () -> "360dialog");
        registry.add("dispatch.whatsapp.d360-base-url", whatsApp::url);
        registry.add("dispatch.whatsapp.d360-api-key", () -> D360_KEY);
        registry.add("dispatch.whatsapp.phone-number-id", () -> PHONE_NUMBER_ID);
        registry.add("dispatch.twilio.base-url", twilio::url);
        registry.add("dispatch.twilio.account-sid", () -> TWILIO_SID);
        registry.add("dispatch.twilio.from", () -> "+15550002222");
        registry.add("dispatch.notify.base-url", notifyApi::url);
        registry.add("dispatch.notify.api-key", () -> NOTIFY_KEY);
        registry.add("dispatch.sms.provider-tenants", () -> NOTIFY_SMS_TENANT + ":notify");
        registry.add("dispatch.fcm.base-url", fcm::url);
        registry.add("dispatch.fcm.project-id", () -> FCM_PROJECT);
        registry.add("dispatch.fcm.access-token", () -> FCM_TOKEN);
        registry.add("dispatch.fcm.title", () -> "From your agent");
    }

    @AfterAll
    static void stop() {
        whatsApp.close();
        twilio.close();
        notifyApi.close();
        fcm.close();
        ingest.close();
    }

    // ---------------------------------------------------------------- WhatsApp through 360dialog

    @Test
    void a_whatsapp_image_through_360dialog_goes_with_the_api_key_and_the_cloud_api_body_and_its_statuses_come_back() {
        // Given an accepted WhatsApp image, with WHATSAPP_PROVIDER=360dialog
        String messageId = UUID.randomUUID().toString();
        String conversation = "conv-" + messageId;
        int fetchesBefore = ingest.validFetches();

        // When it is published on media.accepted.v1
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, conversation, AcceptedMedia.accepted(TENANT, Channel.WHATSAPP,
                Direction.OUTBOUND, conversation, AcceptedMedia.message(messageId, "+15551110001", MediaKind.IMAGE)));

        // Then QUEUED, SENT (360dialog took it), then the Cloud API statuses[] webhooks: SENT, DELIVERED, READ
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.READ));
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.SENT,
                MessageStatus.DELIVERED, MessageStatus.READ);
        String wamid = recordsOf(messageId).get(1).getProviderMessageId();
        assertThat(recordsOf(messageId).subList(1, 5)).allSatisfy(s -> {
            assertThat(s.getProviderMessageId()).isEqualTo(wamid);
            assertThat(s.getProvider()).isEqualTo("whatsapp");
        });

        // And 360dialog got POST /messages with the D360-API-KEY header, no bearer token, and the Cloud API fields
        ReceivedSend send = whatsApp.sends().stream().filter(s -> wamid.equals(s.messageId())).findFirst().orElseThrow();
        assertThat(send.path()).isEqualTo("/messages");
        assertThat(send.header(WhatsAppSimulator.D360_API_KEY_HEADER)).isEqualTo(D360_KEY);
        assertThat(send.header("Authorization")).isNull();
        assertThat(send.fieldNames()).containsExactly("messaging_product", "recipient_type", "to", "type", "image",
                "biz_opaque_callback_data");
        assertThat(send.body().path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(send.body().path("recipient_type").asText()).isEqualTo("individual");
        assertThat(send.body().path("to").asText()).isEqualTo("+15551110001");
        assertThat(send.body().path("type").asText()).isEqualTo("image");
        assertThat(send.body().at("/image/caption").asText()).isEqualTo("Look at this");
        assertThat(send.body().at("/image/link").asText()).startsWith(ingest.url() + "/v1/media/media-" + messageId
                + "/content?tenant=" + TENANT + "&expires=");
        assertThat(ingest.validFetches()).isGreaterThan(fetchesBefore);
    }

    // ---------------------------------------------------------------- SMS

    @Test
    void an_sms_image_goes_to_twilio_as_a_text_with_a_week_long_link_to_the_exact_bytes_and_no_media_url()
            throws Exception {
        // Given media with bytes of its own, accepted for an SMS
        String messageId = UUID.randomUUID().toString();
        String conversation = "conv-" + messageId;
        byte[] bytes = new byte[4096];
        RANDOM.nextBytes(bytes);
        ingest.serve("media-" + messageId, bytes);

        // When it is published
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, conversation, AcceptedMedia.accepted(TENANT, Channel.SMS,
                Direction.OUTBOUND, conversation, AcceptedMedia.message(messageId, "+15552220001", MediaKind.IMAGE)));

        // Then QUEUED, SENT (Twilio took it), SENT and DELIVERED (its signed callbacks)
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.DELIVERED));
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.SENT,
                MessageStatus.DELIVERED);
        String sid = recordsOf(messageId).get(1).getProviderMessageId();
        assertThat(recordsOf(messageId).subList(1, 4)).allSatisfy(s -> {
            assertThat(s.getProvider()).isEqualTo("twilio");
            assertThat(s.getChannel()).isEqualTo(Channel.SMS);
        });

        // And Twilio got an SMS: To, From, a Body of the caption, a newline and the link, and no MediaUrl
        ReceivedSend send = twilio.sends().stream().filter(s -> sid.equals(s.messageId())).findFirst().orElseThrow();
        assertThat(send.fieldNames()).doesNotContain("MediaUrl");
        assertThat(send.body().path("To").asText()).isEqualTo("+15552220001");
        assertThat(send.body().path("From").asText()).isEqualTo("+15550001111");
        String body = send.body().path("Body").asText();
        assertThat(body).startsWith("Look at this\n" + ingest.url() + "/v1/media/media-" + messageId + "/content?");
        Matcher link = LINK.matcher(body);
        assertThat(link.find()).isTrue();
        assertThat(body.substring(link.end())).isEmpty();

        // And the link lives SMS_MEDIA_LINK_TTL (7 days), and downloads the exact bytes
        long expires = Long.parseLong(link.group(4));
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofDays(7)).minusSeconds(120).getEpochSecond(),
                Instant.now().plus(Duration.ofDays(7)).getEpochSecond());
        HttpResponse<byte[]> download = get(link.group(1));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(bytes);

        // But a tampered signature, a lengthened life and a link whose time is up are refused
        String signature = link.group(5);
        String tampered = link.group(1).replace("signature=" + signature, "signature="
                + (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1));
        String lengthened = link.group(1).replace("expires=" + expires, "expires=" + (expires + 86_400));
        String expired = new LinkSigner(LINK_KEY).link(ingest.url(), TENANT, "media-" + messageId,
                Instant.now().minusSeconds(1));
        for (String refused : List.of(tampered, lengthened, expired)) {
            assertThat(get(refused).statusCode()).as(refused).isEqualTo(403);
        }
    }

    @Test
    void a_tenant_whose_sms_provider_is_the_notification_api_sends_its_sms_there_as_a_text_with_the_link() {
        // Given an accepted SMS document of the tenant whose SMS go through the notification API
        String messageId = UUID.randomUUID().toString();
        String conversation = "conv-" + messageId;

        // When it is published
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, conversation, AcceptedMedia.accepted(NOTIFY_SMS_TENANT, Channel.SMS,
                Direction.OUTBOUND, conversation, AcceptedMedia.message(messageId, "+15553330001", MediaKind.DOCUMENT)));

        // Then the notification API took it, on its SMS channel, as a text: the file name, a newline and the link
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.SENT));
        DeliveryStatus sent = recordsOf(messageId).get(1);
        assertThat(sent.getProvider()).isEqualTo("notify");
        JsonNode body = notifyApi.sends().stream().filter(s -> sent.getProviderMessageId().equals(s.messageId()))
                .findFirst().orElseThrow().body();
        assertThat(body.path("channel").asText()).isEqualTo("SMS");
        assertThat(body.at("/request/to").asText()).isEqualTo("+15553330001");
        assertThat(body.at("/request/type").asText()).isEqualTo("text");
        assertThat(body.at("/request/message").asText()).startsWith("report.pdf\n" + ingest.url() + "/v1/media/media-"
                + messageId + "/content?tenant=" + NOTIFY_SMS_TENANT + "&expires=");
        assertThat(twilio.sends()).noneMatch(s -> s.body().path("To").asText().equals("+15553330001"));
    }

    // ---------------------------------------------------------------- PUSH

    @Test
    void an_image_push_goes_to_fcm_field_by_field_its_image_downloads_and_sent_is_its_last_status() throws Exception {
        // Given an accepted image for a device token, the media with bytes of its own
        String messageId = UUID.randomUUID().toString();
        String conversation = "conv-" + messageId;
        String deviceToken = "fcm-device-" + messageId;
        byte[] bytes = new byte[2048];
        RANDOM.nextBytes(bytes);
        ingest.serve("media-" + messageId, bytes);

        // When it is published
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, conversation, AcceptedMedia.accepted(TENANT, Channel.PUSH,
                Direction.OUTBOUND, conversation, AcceptedMedia.message(messageId, deviceToken, MediaKind.IMAGE)));

        // Then QUEUED and SENT with FCM's message name, and nothing after it (push has no delivery receipts)
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.SENT));
        DeliveryStatus sent = recordsOf(messageId).get(1);
        assertThat(sent.getProvider()).isEqualTo("fcm");
        assertThat(sent.getChannel()).isEqualTo(Channel.PUSH);
        assertThat(sent.getProviderMessageId()).startsWith("projects/" + FCM_PROJECT + "/messages/");

        // And FCM got the v1 request: path, bearer token, token, notification title/body/image, our correlation
        ReceivedSend send = fcm.sends().stream().filter(s -> sent.getProviderMessageId().equals(s.messageId()))
                .findFirst().orElseThrow();
        assertThat(send.path()).isEqualTo("/v1/projects/" + FCM_PROJECT + "/messages:send");
        assertThat(send.header("Authorization")).isEqualTo("Bearer " + FCM_TOKEN);
        JsonNode message = send.body().path("message");
        assertThat(send.fieldNames()).containsExactly("message");
        assertThat(message.path("token").asText()).isEqualTo(deviceToken);
        assertThat(message.at("/notification/title").asText()).isEqualTo("From your agent");
        assertThat(message.at("/notification/body").asText()).isEqualTo("Look at this");
        assertThat(message.at("/data/tenantId").asText()).isEqualTo(TENANT);
        assertThat(message.at("/data/messageId").asText()).isEqualTo(messageId);
        assertThat(message.at("/data/conversationId").asText()).isEqualTo(conversation);
        assertThat(message.at("/data/mediaId").asText()).isEqualTo("media-" + messageId);

        // And the image link lives PUSH_MEDIA_LINK_TTL (7 days) and downloads the media
        Matcher link = LINK.matcher(message.at("/notification/image").asText());
        assertThat(link.matches()).isTrue();
        assertThat(Long.parseLong(link.group(4))).isGreaterThan(Instant.now().plus(Duration.ofDays(7)).minusSeconds(120)
                .getEpochSecond());
        HttpResponse<byte[]> download = get(link.group(1));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(bytes);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> statesOf(messageId).size() == 2);
    }

    @Test
    void a_push_to_an_unregistered_token_ends_failed_with_the_reason_and_is_not_retried() {
        // Given an accepted image for a device token FCM no longer knows
        String messageId = UUID.randomUUID().toString();
        String deviceToken = "device-" + messageId + "-unregistered";

        // When it is published
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, "conv-" + messageId, AcceptedMedia.accepted(TENANT, Channel.PUSH,
                Direction.OUTBOUND, "conv-" + messageId, AcceptedMedia.message(messageId, deviceToken, MediaKind.IMAGE)));

        // Then QUEUED then FAILED with FCM's error code and message, after one request only
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.FAILED));
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.FAILED);
        DeliveryStatus failed = recordsOf(messageId).get(1);
        assertThat(failed.getReason()).isEqualTo("UNREGISTERED");
        assertThat(failed.getDetail()).isEqualTo("Requested entity was not found.");
        assertThat(failed.getProvider()).isEqualTo("fcm");
        assertThat(fcm.sends()).filteredOn(s -> deviceToken.equals(s.body().at("/message/token").asText()))
                .extracting(ReceivedSend::responseStatus).containsExactly(404);
    }

    @Test
    void a_push_fcm_answers_503_to_is_tried_again_and_sent() {
        // Given FCM answers the next send with 503 UNAVAILABLE
        String messageId = UUID.randomUUID().toString();
        String deviceToken = "device-" + messageId;
        fcm.failNext(Fault.unavailable());

        // When an image push is published
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, "conv-" + messageId, AcceptedMedia.accepted(TENANT, Channel.PUSH,
                Direction.OUTBOUND, "conv-" + messageId, AcceptedMedia.message(messageId, deviceToken, MediaKind.IMAGE)));

        // Then it is tried again in place and ends SENT: FCM saw a 503 and then the accepted request
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.SENT));
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.SENT);
        assertThat(fcm.sends()).filteredOn(s -> deviceToken.equals(s.body().at("/message/token").asText()))
                .extracting(ReceivedSend::responseStatus).containsExactly(503, 200);
    }

    // ---------------------------------------------------------------- helpers

    private static List<DeliveryStatus> recordsOf(String messageId) {
        return statusRecords().stream().map(ConsumerRecord::value).filter(s -> messageId.equals(s.getMessageId()))
                .toList();
    }

    private static List<MessageStatus> statesOf(String messageId) {
        return recordsOf(messageId).stream().map(DeliveryStatus::getStatus).toList();
    }

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
