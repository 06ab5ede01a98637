package io.mediaplatform.dispatch;

import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.dispatch.send.core.Correlation;
import io.mediaplatform.dispatch.connector.whatsapp.CallbackData;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.InboundAttachment;
import io.mediaplatform.events.InboundMessage;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.kafka.support.KafkaHeaders;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Customers' media messages on the provider webhooks, over real HTTP into the running service and out of a real
 * broker: WhatsApp {@code messages[]} (next to statuses too), Twilio incoming MMS and WhatsApp-through-Twilio forms,
 * and notification-API {@code message.received} callbacks, each behind its provider's signature on the same URL as
 * its status webhook, become one {@code InboundMessage} on {@code message.inbound.v1} with the contract's fields and
 * deterministic ids; a bad signature publishes nothing; an unrouted business address is answered like a routed one and
 * its message is dead-lettered with reason NO_ROUTE.
 */
class InboundWebhookTest extends ProviderWebhookTestBase {

    private static final String CUSTOMER_WA_ID = "15557654321";
    private static final String CUSTOMER = "+15557654321";
    private static final Duration WAIT = Duration.ofSeconds(30);

    // ---------------------------------------------------------------- WhatsApp

    @Test
    void a_signed_whatsapp_image_becomes_one_inbound_message_with_the_contract_fields_and_deterministic_ids()
            throws Exception {
        // Given a customer's image, in a webhook rightly signed by Meta
        String wamid = wamid();
        byte[] webhook = whatsAppMessages(PHONE_NUMBER_ID, imageMessage(wamid, 1_764_590_400L));
        Instant before = Instant.now();

        // When it is posted to the status webhook URL
        HttpResponse<String> response = postSignedWhatsApp(webhook);

        // Then it is answered 200 once the message is on message.inbound.v1
        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> !inboundOf(wamid).isEmpty());
        ConsumerRecord<String, InboundMessage> record = inboundOf(wamid).getFirst();
        InboundMessage message = record.value();

        // And the record carries the contract's fields, keyed by the conversation id
        assertThat(record.key()).isEqualTo("WHATSAPP:" + CUSTOMER);
        assertThat(message.getEventId()).isNotBlank();
        assertThat(message.getOccurredAt()).isEqualTo(Instant.ofEpochSecond(1_764_590_400L));
        assertThat(message.getReceivedAt()).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(message.getTenantId()).isEqualTo(TENANT);
        assertThat(message.getInboxId()).isEqualTo(INBOX);
        assertThat(message.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(message.getProvider()).isEqualTo("whatsapp");
        assertThat(message.getProviderMessageId()).isEqualTo(wamid);
        assertThat(message.getFrom()).isEqualTo(CUSTOMER);
        assertThat(message.getTo()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(message.getConversationId()).isEqualTo("WHATSAPP:" + CUSTOMER);
        assertThat(message.getText()).isNull();
        assertThat(message.getFetch()).isNull();
        assertThat(message.getAttachments()).hasSize(1);
        InboundAttachment image = message.getAttachments().getFirst();
        assertThat(image.getIndex()).isZero();
        assertThat(image.getKind()).isEqualTo(MediaKind.IMAGE);
        assertThat(image.getVoice()).isFalse();
        assertThat(image.getProviderMediaId()).isEqualTo("media-" + wamid);
        assertThat(image.getUrl()).isNull();
        assertThat(image.getContentType()).isEqualTo("image/jpeg");
        assertThat(image.getSha256()).isEqualTo("n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=");
        assertThat(image.getCaption()).isEqualTo("Broken lid");
        assertThat(image.getFileName()).isNull();

        // And its ids are the contract's deterministic ones
        assertThat(image.getMessageId()).isEqualTo(contractId("inbound-message", "whatsapp", wamid, 0));
        assertThat(image.getMediaId()).isEqualTo(contractId("inbound-media", "whatsapp", wamid, 0));

        // When Meta delivers the very same webhook again, and a later message follows and is read
        assertThat(postSignedWhatsApp(webhook).statusCode()).isEqualTo(200);
        String later = wamid();
        assertThat(postSignedWhatsApp(whatsAppMessages(PHONE_NUMBER_ID, imageMessage(later, 1_764_590_460L)))
                .statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> !inboundOf(later).isEmpty());

        // Then the re-delivery made no second message: the one message keeps the same ids
        assertThat(inboundOf(wamid)).hasSize(1);
        assertThat(inboundOf(wamid).getFirst().value().getAttachments().getFirst().getMessageId())
                .isEqualTo(image.getMessageId());
    }

    static Stream<Arguments> whatsAppMedia() {
        return Stream.of(
                Arguments.of("a voice note", "audio", """
                        {"mime_type":"audio/ogg; codecs=opus","sha256":"c2hh","id":"%s","voice":true}""",
                        MediaKind.AUDIO, true, "audio/ogg; codecs=opus", null, null),
                Arguments.of("an audio file", "audio", """
                        {"mime_type":"audio/mpeg","sha256":"c2hh","id":"%s","voice":false}""",
                        MediaKind.AUDIO, false, "audio/mpeg", null, null),
                Arguments.of("a video", "video", """
                        {"caption":"Unboxing","mime_type":"video/mp4","sha256":"c2hh","id":"%s"}""",
                        MediaKind.VIDEO, false, "video/mp4", "Unboxing", null),
                Arguments.of("a document with its file name", "document", """
                        {"caption":"My invoice","filename":"invoice-42.pdf","mime_type":"application/pdf",
                         "sha256":"c2hh","id":"%s"}""",
                        MediaKind.DOCUMENT, false, "application/pdf", "My invoice", "invoice-42.pdf"),
                Arguments.of("a sticker", "sticker", """
                        {"mime_type":"image/webp","sha256":"c2hh","id":"%s","animated":false}""",
                        MediaKind.STICKER, false, "image/webp", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("whatsAppMedia")
    void a_signed_whatsapp_media_message_becomes_one_inbound_message_of_its_kind(
            String what, String type, String media, MediaKind kind, boolean voice, String contentType, String caption,
            String fileName) throws Exception {
        // Given a customer's media message of that type, signed by Meta
        String wamid = wamid();
        String message = """
                {"from":"%s","id":"%s","timestamp":"1764590400","type":"%s","%s":%s}"""
                .formatted(CUSTOMER_WA_ID, wamid, type, type, media.formatted("media-" + wamid));

        // When it is posted
        HttpResponse<String> response = postSignedWhatsApp(whatsAppMessages(PHONE_NUMBER_ID, message));

        // Then it is answered 200 and one inbound message with one attachment of that kind is on the topic
        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> !inboundOf(wamid).isEmpty());
        assertThat(inboundOf(wamid)).hasSize(1);
        InboundMessage inbound = inboundOf(wamid).getFirst().value();
        assertThat(inbound.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(inbound.getFrom()).isEqualTo(CUSTOMER);
        assertThat(inbound.getAttachments()).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo(kind);
            assertThat(a.getVoice()).isEqualTo(voice);
            assertThat(a.getContentType()).isEqualTo(contentType);
            assertThat(a.getCaption()).isEqualTo(caption);
            assertThat(a.getFileName()).isEqualTo(fileName);
            assertThat(a.getProviderMediaId()).isEqualTo("media-" + wamid);
            assertThat(a.getMessageId()).isEqualTo(contractId("inbound-message", "whatsapp", wamid, 0));
            assertThat(a.getMediaId()).isEqualTo(contractId("inbound-media", "whatsapp", wamid, 0));
        });
    }

    @Test
    void a_whatsapp_webhook_with_statuses_and_messages_publishes_both_and_skips_the_text_message() throws Exception {
        // Given one signed webhook with a status of a message we sent, a customer's text and a customer's image
        String sentMessageId = UUID.randomUUID().toString();
        String opaque = CallbackData.encode(new Correlation("tenant-a", sentMessageId, "conv-" + sentMessageId,
                "+15551110003"));
        String text = wamid();
        String image = wamid();
        byte[] webhook = """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001",
                 "phone_number_id":"%s"},"contacts":[{"profile":{"name":"Customer"},"wa_id":"%s"}],
                 "statuses":[{"id":"wamid.out-%s","status":"delivered","timestamp":"1764590400",
                  "recipient_id":"15551110003","biz_opaque_callback_data":"%s"}],
                 "messages":[{"from":"%s","id":"%s","timestamp":"1764590401","type":"text","text":{"body":"Hello"}},
                  %s]}}]}]}"""
                .formatted(PHONE_NUMBER_ID, CUSTOMER_WA_ID, sentMessageId, opaque, CUSTOMER_WA_ID, text,
                        imageMessage(image, 1_764_590_402L)).getBytes(StandardCharsets.UTF_8);

        // When it is posted
        HttpResponse<String> response = postSignedWhatsApp(webhook);

        // Then it is answered 200, the status is on message.status.v1 and the image on message.inbound.v1
        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> statusRecords().stream()
                .anyMatch(r -> sentMessageId.equals(r.value().getMessageId())
                        && r.value().getStatus() == MessageStatus.DELIVERED));
        await().atMost(WAIT).until(() -> !inboundOf(image).isEmpty());

        // And the text message, published before the image if at all, made nothing
        assertThat(inboundOf(text)).isEmpty();
        assertThat(deadLettersOf(text)).isEmpty();
        assertThat(inboundOf(image)).hasSize(1);
    }

    @Test
    void a_whatsapp_message_with_a_bad_signature_is_a_401_problem_and_publishes_nothing() throws Exception {
        // Given a customer's image whose webhook is signed with the wrong secret
        String forged = wamid();
        byte[] webhook = whatsAppMessages(PHONE_NUMBER_ID, imageMessage(forged, 1_764_590_400L));

        // When it is posted with that signature, and without any
        HttpResponse<String> wrong = postWhatsApp(webhook,
                io.mediaplatform.simulator.WhatsAppSimulator.signature("not-the-app-secret", webhook));
        HttpResponse<String> missing = postWhatsApp(webhook, null);

        // Then both are 401 problems
        for (HttpResponse<String> response : List.of(wrong, missing)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }

        // And a Twilio and a notification-API message with bad signatures are 401 problems too
        Map<String, String> form = twilioForm(twilioSid(), "+15557654321", TWILIO_NUMBER, "", 1);
        assertThat(postTwilio(TWILIO_URL, form, "bm90LWEtc2lnbmF0dXJl").statusCode()).isEqualTo(401);
        String forgedNotify = "ntf_in_" + UUID.randomUUID();
        String notify = notifyMessage(forgedNotify, "RCS", NOTIFY_SENDER);
        long now = Instant.now().getEpochSecond();
        assertThat(postNotify(NOTIFY_URL, "msg_1", now, notify, "v1,bm90LWEtc2lnbmF0dXJl").statusCode())
                .isEqualTo(401);

        // And when a rightly signed message follows and is read, none of them was published
        String genuine = wamid();
        assertThat(postSignedWhatsApp(whatsAppMessages(PHONE_NUMBER_ID, imageMessage(genuine, 1_764_590_400L)))
                .statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> !inboundOf(genuine).isEmpty());
        assertThat(inboundOf(forged)).isEmpty();
        assertThat(inboundOf(form.get("MessageSid"))).isEmpty();
        assertThat(inboundOf(forgedNotify)).isEmpty();
    }

    @Test
    void a_whatsapp_message_to_an_unrouted_phone_number_id_is_answered_200_and_dead_lettered_with_reason_no_route()
            throws Exception {
        // Given a customer's image to a phone number id that INBOUND_ROUTES does not name
        String wamid = wamid();
        byte[] webhook = whatsAppMessages("999999999999999", imageMessage(wamid, 1_764_590_400L));

        // When it is posted
        HttpResponse<String> response = postSignedWhatsApp(webhook);

        // Then it is answered 200 (Meta must not retry it forever)
        assertThat(response.statusCode()).isEqualTo(200);

        // And the message is on message.inbound.v1.dlt with the reason in the platform's dead-letter headers
        await().atMost(WAIT).until(() -> !deadLettersOf(wamid).isEmpty());
        ConsumerRecord<String, InboundMessage> dead = deadLettersOf(wamid).getFirst();
        assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo("NO_ROUTE");
        assertThat(header(dead, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(Topics.MESSAGE_INBOUND_NAME);
        assertThat(header(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).startsWith("NO_ROUTE: ")
                .contains("whatsapp:999999999999999");
        assertThat(dead.key()).isEqualTo("WHATSAPP:" + CUSTOMER);
        assertThat(dead.value().getTo()).isEqualTo("999999999999999");
        assertThat(dead.value().getTenantId()).isEmpty();
        assertThat(dead.value().getInboxId()).isNull();
        assertThat(dead.value().getAttachments()).singleElement()
                .satisfies(a -> assertThat(a.getProviderMediaId()).isEqualTo("media-" + wamid));

        // And when a routed message follows and is read, the unrouted one was not on message.inbound.v1
        String routed = wamid();
        assertThat(postSignedWhatsApp(whatsAppMessages(PHONE_NUMBER_ID, imageMessage(routed, 1_764_590_400L)))
                .statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> !inboundOf(routed).isEmpty());
        assertThat(inboundOf(wamid)).isEmpty();
        assertThat(deadLettersOf(wamid)).hasSize(1);
    }

    // ---------------------------------------------------------------- Twilio

    @Test
    void a_signed_twilio_mms_with_two_media_becomes_one_inbound_message_with_two_attachments() throws Exception {
        // Given an incoming MMS with a photo and a PDF and a text, signed by Twilio over the status callback URL
        String sid = twilioSid();
        Map<String, String> form = twilioForm(sid, "+15557654321", TWILIO_NUMBER, "Here are both", 2);
        form.put("MediaContentType0", "image/jpeg");
        form.put("MediaContentType1", "application/pdf");

        // When it is posted
        HttpResponse<String> response = postSignedTwilio(TWILIO_URL, form);

        // Then it is answered 204 once one message with both media is on message.inbound.v1
        assertThat(response.statusCode()).isEqualTo(204);
        await().atMost(WAIT).until(() -> !inboundOf(sid).isEmpty());
        ConsumerRecord<String, InboundMessage> record = inboundOf(sid).getFirst();
        InboundMessage message = record.value();
        assertThat(record.key()).isEqualTo("MMS:+15557654321");
        assertThat(message.getChannel()).isEqualTo(Channel.MMS);
        assertThat(message.getProvider()).isEqualTo("twilio");
        assertThat(message.getFrom()).isEqualTo("+15557654321");
        assertThat(message.getTo()).isEqualTo(TWILIO_NUMBER);
        assertThat(message.getConversationId()).isEqualTo("MMS:+15557654321");
        assertThat(message.getTenantId()).isEqualTo(TENANT);
        assertThat(message.getInboxId()).isEqualTo(INBOX);
        assertThat(message.getText()).isEqualTo("Here are both");
        assertThat(message.getAttachments()).hasSize(2);
        InboundAttachment photo = message.getAttachments().get(0);
        InboundAttachment pdf = message.getAttachments().get(1);
        assertThat(photo.getIndex()).isZero();
        assertThat(photo.getUrl()).isEqualTo(form.get("MediaUrl0"));
        assertThat(photo.getContentType()).isEqualTo("image/jpeg");
        assertThat(photo.getKind()).isEqualTo(MediaKind.IMAGE);
        assertThat(photo.getCaption()).isEqualTo("Here are both");
        assertThat(pdf.getIndex()).isEqualTo(1);
        assertThat(pdf.getUrl()).isEqualTo(form.get("MediaUrl1"));
        assertThat(pdf.getContentType()).isEqualTo("application/pdf");
        assertThat(pdf.getKind()).isEqualTo(MediaKind.DOCUMENT);
        assertThat(pdf.getCaption()).isNull();
        assertThat(List.of(photo.getMessageId(), pdf.getMessageId())).containsExactly(
                contractId("inbound-message", "twilio", sid, 0), contractId("inbound-message", "twilio", sid, 1));
        assertThat(List.of(photo.getMediaId(), pdf.getMediaId())).containsExactly(
                contractId("inbound-media", "twilio", sid, 0), contractId("inbound-media", "twilio", sid, 1));
    }

    @Test
    void a_signed_whatsapp_message_through_twilio_is_on_channel_whatsapp_without_the_prefix() throws Exception {
        // Given an incoming WhatsApp message with a video through Twilio (whatsapp: addresses)
        String sid = twilioSid();
        Map<String, String> form = twilioForm(sid, "whatsapp:+15557654321", "whatsapp:" + TWILIO_NUMBER, "", 1);
        form.put("MediaContentType0", "video/mp4");

        // When it is posted
        HttpResponse<String> response = postSignedTwilio(TWILIO_URL, form);

        // Then it is a WHATSAPP message between the bare numbers, routed by the Twilio number
        assertThat(response.statusCode()).isEqualTo(204);
        await().atMost(WAIT).until(() -> !inboundOf(sid).isEmpty());
        InboundMessage message = inboundOf(sid).getFirst().value();
        assertThat(message.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(message.getFrom()).isEqualTo("+15557654321");
        assertThat(message.getTo()).isEqualTo(TWILIO_NUMBER);
        assertThat(message.getConversationId()).isEqualTo("WHATSAPP:+15557654321");
        assertThat(message.getTenantId()).isEqualTo(TENANT);
        assertThat(message.getText()).isNull();
        assertThat(message.getAttachments()).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo(MediaKind.VIDEO);
            assertThat(a.getCaption()).isNull();
        });
    }

    @Test
    void a_signed_twilio_text_only_message_is_answered_204_and_publishes_nothing() throws Exception {
        // Given an incoming SMS without media (NumMedia=0)
        String textOnly = "SM" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> form = twilioForm(textOnly, "+15557654321", TWILIO_NUMBER, "Just text", 0);

        // When it is posted
        HttpResponse<String> response = postSignedTwilio(TWILIO_URL, form);

        // Then it is answered 204, and once a later media message is read, the text-only one made nothing
        assertThat(response.statusCode()).isEqualTo(204);
        String later = twilioSid();
        assertThat(postSignedTwilio(TWILIO_URL, twilioForm(later, "+15557654321", TWILIO_NUMBER, "", 1))
                .statusCode()).isEqualTo(204);
        await().atMost(WAIT).until(() -> !inboundOf(later).isEmpty());
        assertThat(inboundOf(textOnly)).isEmpty();
        assertThat(deadLettersOf(textOnly)).isEmpty();
    }

    // ---------------------------------------------------------------- notification API

    @Test
    void a_signed_notification_api_inbound_image_becomes_one_inbound_message() throws Exception {
        // Given a customer's RCS image, called back the Standard Webhooks way to the status URL without query
        String id = "ntf_in_" + UUID.randomUUID();
        String body = notifyMessage(id, "RCS", NOTIFY_SENDER);

        // When it is posted
        HttpResponse<String> response = postSignedNotify(NOTIFY_URL, body);

        // Then it is answered 204 once the message is on message.inbound.v1 with the contract's fields
        assertThat(response.statusCode()).isEqualTo(204);
        await().atMost(WAIT).until(() -> !inboundOf(id).isEmpty());
        ConsumerRecord<String, InboundMessage> record = inboundOf(id).getFirst();
        InboundMessage message = record.value();
        assertThat(record.key()).isEqualTo("RCS:+15557654321");
        assertThat(message.getChannel()).isEqualTo(Channel.RCS);
        assertThat(message.getProvider()).isEqualTo("notify");
        assertThat(message.getFrom()).isEqualTo("+15557654321");
        assertThat(message.getTo()).isEqualTo(NOTIFY_SENDER);
        assertThat(message.getConversationId()).isEqualTo("RCS:+15557654321");
        assertThat(message.getTenantId()).isEqualTo(TENANT);
        assertThat(message.getInboxId()).isEqualTo(INBOX);
        assertThat(message.getOccurredAt()).isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(message.getText()).isNull();
        assertThat(message.getAttachments()).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo(MediaKind.IMAGE);
            assertThat(a.getUrl()).isEqualTo("http://127.0.0.1:9/notify/media/" + id);
            assertThat(a.getContentType()).isEqualTo("image/jpeg");
            assertThat(a.getSha256()).isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
            assertThat(a.getCaption()).isEqualTo("The dent");
            assertThat(a.getFileName()).isNull();
            assertThat(a.getProviderMediaId()).isNull();
            assertThat(a.getMessageId()).isEqualTo(contractId("inbound-message", "notify", id, 0));
            assertThat(a.getMediaId()).isEqualTo(contractId("inbound-media", "notify", id, 0));
        });
    }

    // ---------------------------------------------------------------- helpers

    /** The contract's id: {@code UUID.nameUUIDFromBytes("<prefix>|<tenant>|<provider>|<id>|<index>")}. */
    private static String contractId(String prefix, String provider, String providerMessageId, int index) {
        return UUID.nameUUIDFromBytes((prefix + "|" + TENANT + "|" + provider + "|" + providerMessageId + "|" + index)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String wamid() {
        return "wamid.in-" + UUID.randomUUID();
    }

    private static String twilioSid() {
        return "MM" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String imageMessage(String wamid, long timestamp) {
        return """
                {"from":"%s","id":"%s","timestamp":"%d","type":"image","image":{"caption":"Broken lid",
                 "mime_type":"image/jpeg","sha256":"n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=","id":"media-%s"}}"""
                .formatted(CUSTOMER_WA_ID, wamid, timestamp, wamid);
    }

    private static byte[] whatsAppMessages(String phoneNumberId, String... messages) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001",
                 "phone_number_id":"%s"},"contacts":[{"profile":{"name":"Customer"},"wa_id":"%s"}],
                 "messages":[%s]}}]}]}"""
                .formatted(phoneNumberId, CUSTOMER_WA_ID, String.join(",", messages)).getBytes(StandardCharsets.UTF_8);
    }

    /** An incoming-message form as Twilio posts it, with {@code media} media URLs (content type image/jpeg). */
    private static Map<String, String> twilioForm(String sid, String from, String to, String body, int media) {
        Map<String, String> form = new LinkedHashMap<>();
        String account = "AC00000000000000000000000000000009";
        form.put("MessageSid", sid);
        form.put("SmsMessageSid", sid);
        form.put("AccountSid", account);
        form.put("From", from);
        form.put("To", to);
        form.put("Body", body);
        form.put("NumMedia", Integer.toString(media));
        for (int i = 0; i < media; i++) {
            form.put("MediaUrl" + i, "https://api.twilio.com/2010-04-01/Accounts/" + account + "/Messages/" + sid
                    + "/Media/ME" + i + UUID.randomUUID().toString().replace("-", ""));
            form.put("MediaContentType" + i, "image/jpeg");
        }
        form.put("SmsStatus", "received");
        form.put("ApiVersion", "2010-04-01");
        return form;
    }

    private static String notifyMessage(String id, String channel, String to) {
        return """
                {"type":"message.received","messageId":"%s","channel":"%s","from":"+15557654321","to":"%s",
                 "timestamp":"2026-12-01T12:00:00Z","text":null,"attachments":[{"type":"image",
                 "url":"http://127.0.0.1:9/notify/media/%s","contentType":"image/jpeg","size":1234,
                 "sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","fileName":null,
                 "caption":"The dent"}]}""".formatted(id, channel, to, id);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
