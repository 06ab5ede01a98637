package io.mediaplatform.ingest.messages;

import com.sun.net.httpserver.HttpServer;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.ingest.IngestServiceTestBase;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/messages} and the {@code message.send-requested.v1} round trip to {@code media.received.v1}. */
class MessagesApiTest extends IngestServiceTestBase {

    private static final byte[] REMOTE_PDF = "%PDF-1.4\n% a tiny document served by a test server\n%%EOF\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static HttpServer mediaServer;

    @BeforeAll
    static void startMediaServer() throws IOException {
        mediaServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mediaServer.createContext("/files/report.pdf", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/pdf");
            exchange.sendResponseHeaders(200, REMOTE_PDF.length);
            exchange.getResponseBody().write(REMOTE_PDF);
            exchange.close();
        });
        mediaServer.createContext("/files/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        mediaServer.start();
    }

    @AfterAll
    static void stopMediaServer() {
        mediaServer.stop(0);
    }

    private static String mediaServerUrl(String path) {
        return "http://localhost:" + mediaServer.getAddress().getPort() + path;
    }

    @Test
    void a_message_with_stored_media_is_accepted_and_reaches_media_received_with_the_message() {
        // Given stored media
        byte[] png = pngBytes(3_000);
        String mediaId = uploadPng(KEY_A, "conv-msg", png);

        // When a message with it is sent
        HttpResponse<byte[]> response = postJson("/v1/messages", KEY_A, """
                {"channel": "whatsapp", "from": "+15550001", "to": "+15559999", "kind": "image",
                 "media": {"id": "%s"}, "caption": "Look", "externalId": "ext-1", "clientId": "agent-7",
                 "callbacks": ["https://93.184.215.14/status"]}""".formatted(mediaId));

        // Then it is accepted
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = json(response);
        String messageId = body.get("messageId").asString();
        assertThat(body.get("meta").get("explain").asString()).isEqualTo("Message accepted for processing.");
        assertThat(UUID.fromString(body.get("meta").get("transactionId").asString())).isNotNull();
        assertThat(body.get("meta").get("timestamp").asString()).isNotBlank();

        // And after the send-requested round trip, media.received carries the media and the message
        ConsumerRecord<String, MediaReceived> record = awaitRecord(Topics.MEDIA_RECEIVED_NAME,
                r -> r.value() instanceof MediaReceived e && e.getMessage() != null
                        && e.getMessage().getMessageId().equals(messageId));
        MediaReceived event = record.value();
        assertThat(record.key()).isEqualTo("WHATSAPP:+15559999");
        assertThat(event.getMedia().getMediaId()).isEqualTo(mediaId);
        assertThat(event.getMedia().getConversationId()).isEqualTo("WHATSAPP:+15559999");
        assertThat(event.getMedia().getDirection()).isEqualTo(Direction.OUTBOUND);
        assertThat(event.getMedia().getSha256()).isEqualTo(sha256(png));
        assertThat(event.getMedia().getStorage().getKey()).isEqualTo("tenants/acme/media/" + mediaId);
        OutboundMessage message = event.getMessage();
        assertThat(message.getKind()).isEqualTo(MediaKind.IMAGE);
        assertThat(message.getCaption()).isEqualTo("Look");
        assertThat(message.getTo()).isEqualTo("+15559999");
        assertThat(message.getExternalId()).isEqualTo("ext-1");
        assertThat(message.getCallbackUrls()).containsExactly("https://93.184.215.14/status");
    }

    @Test
    void media_given_by_url_is_fetched_stored_and_announced_and_an_unfetchable_url_is_announced_as_a_fetch_failure() {
        // When two messages name media by URL: one the server has, one it redirects
        String fetched = json(postJson("/v1/messages", KEY_A, """
                {"channel": "EMAIL", "from": "desk@example.com", "to": "c@example.com", "kind": "document",
                 "media": {"url": "%s"}, "conversationId": "conv-url"}""".formatted(mediaServerUrl("/files/report.pdf"))))
                .get("messageId").asString();
        String redirected = json(postJson("/v1/messages", KEY_A, """
                {"channel": "EMAIL", "from": "desk@example.com", "to": "c@example.com", "kind": "document",
                 "media": {"url": "%s"}, "conversationId": "conv-url"}""".formatted(mediaServerUrl("/files/redirect"))))
                .get("messageId").asString();

        // Then the first is stored with the served bytes' hash
        MediaReceived ok = awaitEvent(Topics.MEDIA_RECEIVED_NAME, MediaReceived.class,
                e -> e.getMessage() != null && e.getMessage().getMessageId().equals(fetched));
        assertThat(ok.getFetchFailure()).isNull();
        assertThat(ok.getMedia().getSha256()).isEqualTo(sha256(REMOTE_PDF));
        assertThat(ok.getMedia().getDeclaredFileName()).isEqualTo("report.pdf");
        assertThat(ok.getMedia().getDeclaredContentType()).isEqualTo("application/pdf");
        assertThat(ok.getMedia().getConversationId()).isEqualTo("conv-url");
        HttpResponse<byte[]> content = get("/v1/media/" + ok.getMedia().getMediaId() + "/content", KEY_A);
        assertThat(content.body()).isEqualTo(REMOTE_PDF);

        // And the redirect is not followed: the event says why, with no storage
        MediaReceived failed = awaitEvent(Topics.MEDIA_RECEIVED_NAME, MediaReceived.class,
                e -> e.getMessage() != null && e.getMessage().getMessageId().equals(redirected));
        assertThat(failed.getMedia().getStorage()).isNull();
        assertThat(failed.getMedia().getSize()).isZero();
        assertThat(failed.getMedia().getSha256()).isEmpty();
        assertThat(failed.getFetchFailure()).contains("302");
    }

    @Test
    void invalid_messages_are_400_problems_naming_the_field_and_unknown_media_is_404() {
        // When requests break rules
        HttpResponse<byte[]> noTo = postJson("/v1/messages", KEY_A, """
                {"channel": "MMS", "from": "+1", "kind": "image", "media": {"url": "https://93.184.215.14/a.png"}}""");
        HttpResponse<byte[]> badKind = postJson("/v1/messages", KEY_A, """
                {"channel": "MMS", "from": "+1", "to": "+2", "kind": "hologram", "media": {"url": "https://93.184.215.14/a.png"}}""");
        HttpResponse<byte[]> both = postJson("/v1/messages", KEY_A, """
                {"channel": "MMS", "from": "+1", "to": "+2", "kind": "image", "media": {"id": "x", "url": "https://93.184.215.14/a.png"}}""");
        HttpResponse<byte[]> metadataCallback = postJson("/v1/messages", KEY_A, """
                {"channel": "MMS", "from": "+1", "to": "+2", "kind": "image", "media": {"url": "https://93.184.215.14/a.png"},
                 "callbacks": ["http://169.254.169.254/latest/meta-data"]}""");
        HttpResponse<byte[]> unknownMedia = postJson("/v1/messages", KEY_A, """
                {"channel": "MMS", "from": "+1", "to": "+2", "kind": "image", "media": {"id": "%s"}}""".formatted(UUID.randomUUID()));
        HttpResponse<byte[]> notJson = postJson("/v1/messages", KEY_A, "{not json");

        // Then each is a problem
        assertThat(fieldOf(noTo, 400)).isEqualTo("to");
        assertThat(fieldOf(badKind, 400)).isEqualTo("kind");
        assertThat(fieldOf(both, 400)).isEqualTo("media");
        assertThat(fieldOf(metadataCallback, 400)).isEqualTo("callbacks[0]");
        assertThat(fieldOf(unknownMedia, 404)).isEqualTo("media.id");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(header(notJson, "Content-Type").orElseThrow()).startsWith("application/problem+json");
    }

    @Test
    void explain_says_what_happens_to_a_message_beyond_a_plain_send() {
        // Given stored media
        String mediaId = uploadPng(KEY_A, "conv-explain", pngBytes(1_000));

        // When a message with fallback channels is sent, and one whose media is given by URL
        HttpResponse<byte[]> withFallback = postJson("/v1/messages", KEY_A, """
                {"channel": "PUSH", "from": "demo-app", "to": "device-1", "kind": "image", "media": {"id": "%s"},
                 "fallback": ["MMS", "SMS"]}""".formatted(mediaId));
        HttpResponse<byte[]> byUrl = postJson("/v1/messages", KEY_A, """
                {"channel": "MMS", "from": "+1", "to": "+15550003333", "kind": "image",
                 "media": {"url": "https://93.184.215.14/a.png"}}""");

        // Then each answer's explain says so in words
        assertThat(json(withFallback).get("meta").get("explain").asString()).isEqualTo("Message accepted for processing."
                + " If it ends FAILED or REJECTED on PUSH it is sent again on MMS, then SMS.");
        assertThat(json(byUrl).get("meta").get("explain").asString())
                .isEqualTo("Message accepted for processing. Its media is fetched from the URL and stored first.");
    }

    @Test
    void callbacks_may_come_as_one_string_separated_by_commas() {
        // Given stored media
        String mediaId = uploadPng(KEY_A, "conv-callback-string", pngBytes(1_000));

        // When a notification-API client sends its callbacks as one comma-separated string
        HttpResponse<byte[]> response = postJson("/v1/messages", KEY_A, """
                {"channel": "WHATSAPP", "from": "+15550001", "to": "+15559998", "kind": "image", "media": {"id": "%s"},
                 "callbacks": "https://93.184.215.14/status, https://93.184.215.14/audit,"}""".formatted(mediaId));

        // Then the message carries both URLs, as if they had been a list
        assertThat(response.statusCode()).isEqualTo(202);
        String messageId = json(response).get("messageId").asString();
        ConsumerRecord<String, MediaReceived> record = awaitRecord(Topics.MEDIA_RECEIVED_NAME, r -> r.value()
                instanceof MediaReceived e && e.getMessage() != null && e.getMessage().getMessageId().equals(messageId));
        MediaReceived event = record.value();
        assertThat(event.getMessage().getCallbackUrls())
                .containsExactly("https://93.184.215.14/status", "https://93.184.215.14/audit");
    }

    @Test
    void the_transaction_id_names_the_request_in_the_answer_its_header_its_command_and_its_problems() {
        // Given stored media
        String mediaId = uploadPng(KEY_A, "conv-transaction", pngBytes(1_000));
        String body = """
                {"channel": "WHATSAPP", "from": "+15550001", "to": "+15559997", "kind": "image", "media": {"id": "%s"}}"""
                .formatted(mediaId);

        // When a message is sent, once plainly and once inside a W3C trace
        HttpResponse<byte[]> plain = postJson("/v1/messages", KEY_A, body);
        HttpResponse<byte[]> traced = postJson("/v1/messages", KEY_A, body,
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        // Then the answer's transactionId is repeated in the Transaction-Id header and is the command's event id
        String transactionId = json(plain).get("meta").get("transactionId").asString();
        assertThat(header(plain, "Transaction-Id")).contains(transactionId);
        String messageId = json(plain).get("messageId").asString();
        ConsumerRecord<String, SendMediaMessage> sent = awaitRecord(Topics.SEND_REQUESTED_NAME, r -> r.value()
                instanceof SendMediaMessage c && c.getMessage().getMessageId().equals(messageId));
        SendMediaMessage command = sent.value();
        assertThat(command.getEventId()).isEqualTo(transactionId);
        // And inside a trace it is the trace id
        assertThat(json(traced).get("meta").get("transactionId").asString()).isEqualTo("4bf92f35-77b3-4da6-a3ce-929d0e0e4736");

        // And a refused request carries its own, in the problem and the header
        HttpResponse<byte[]> bad = postJson("/v1/messages", KEY_A, """
                {"channel": "WHATSAPP", "from": "+1", "kind": "image", "media": {"id": "%s"}}""".formatted(mediaId));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("transactionId").asString()).isEqualTo(header(bad, "Transaction-Id").orElseThrow());
    }

    @Test
    void an_idempotency_key_replays_the_first_answer_and_refuses_another_body() {
        // Given a request sent with an Idempotency-Key
        String key = "idem-" + UUID.randomUUID();
        String body = """
                {"channel": "RCS", "from": "brand", "to": "+15551234", "kind": "image", "media": {"url": "https://93.184.215.14/a.png"}}""";
        HttpResponse<byte[]> first = postJson("/v1/messages", KEY_A, body, "Idempotency-Key", key);

        // When the same request is sent again, another body with the same key, and the same key by another tenant
        HttpResponse<byte[]> replay = postJson("/v1/messages", KEY_A, body, "Idempotency-Key", key);
        HttpResponse<byte[]> conflict = postJson("/v1/messages", KEY_A, body.replace("+15551234", "+15550000"),
                "Idempotency-Key", key);
        HttpResponse<byte[]> otherTenant = postJson("/v1/messages", KEY_B, body, "Idempotency-Key", key);

        // Then the replay is the first answer, the other body is a 422, and tenants do not share keys
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(json(replay).get("messageId").asString()).isEqualTo(json(first).get("messageId").asString());
        assertThat(header(replay, "Idempotent-Replayed")).contains("true");
        assertThat(conflict.statusCode()).isEqualTo(422);
        assertThat(header(conflict, "Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(json(otherTenant).get("messageId").asString()).isNotEqualTo(json(first).get("messageId").asString());
    }

    @Test
    void a_command_for_unknown_media_or_without_media_goes_to_the_dead_letter_topic_and_its_message_is_rejected() {
        // Given commands that can never be processed
        String unknownMedia = UUID.randomUUID().toString();
        String noMedia = UUID.randomUUID().toString();
        publish(Topics.SEND_REQUESTED_NAME, "conv-poison", command(unknownMedia, UUID.randomUUID().toString(), null));
        publish(Topics.SEND_REQUESTED_NAME, "conv-poison", command(noMedia, null, null));

        // Then both land on the .dlt with the reason
        for (String messageId : List.of(unknownMedia, noMedia)) {
            ConsumerRecord<String, Object> dead = awaitRecord(Topics.SEND_REQUESTED.dlt(),
                    r -> r.value() instanceof SendMediaMessage c && c.getMessage().getMessageId().equals(messageId));
            assertThat(new String(dead.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8))
                    .containsAnyOf("UNKNOWN_MEDIA", "INVALID_COMMAND");
        }
        // And each message is handed to validation as media that could not be had, so its sender hears of it
        ConsumerRecord<String, Object> unknown = awaitRecord(Topics.MEDIA_RECEIVED_NAME,
                r -> r.value() instanceof MediaReceived m && m.getMessage() != null && m.getMessage().getMessageId().equals(unknownMedia));
        assertThat(((MediaReceived) unknown.value()).getFetchFailure()).startsWith("UNKNOWN_MEDIA: no media");
        assertThat(((MediaReceived) unknown.value()).getMedia().getStorage()).isNull();
        ConsumerRecord<String, Object> none = awaitRecord(Topics.MEDIA_RECEIVED_NAME,
                r -> r.value() instanceof MediaReceived m && m.getMessage() != null && m.getMessage().getMessageId().equals(noMedia));
        assertThat(((MediaReceived) none.value()).getFetchFailure()).startsWith("INVALID_COMMAND: ");
    }

    @Test
    void a_burst_of_commands_is_resolved_in_order_once_each_and_only_its_bad_records_go_to_the_dead_letter_topic() {
        // Given stored media, and commands of one conversation (one partition) published back to back: ten good
        // ones, a command without a tenant, a command for unknown media, ten more good ones
        String conversation = "conv-burst-" + UUID.randomUUID();
        String mediaId = uploadPng(KEY_A, conversation, pngBytes(2_000));
        List<String> good = new ArrayList<>();
        String unknownMedia = UUID.randomUUID().toString();
        String noTenant = UUID.randomUUID().toString();
        List<SendMediaMessage> first = new ArrayList<>();
        List<SendMediaMessage> second = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String messageId = UUID.randomUUID().toString();
            good.add(messageId);
            (i < 10 ? first : second).add(command(conversation, messageId, mediaId, null));
        }

        // When they are published
        publishAll(Topics.SEND_REQUESTED_NAME, conversation, first);
        SendMediaMessage withoutTenant = command(conversation, noTenant, mediaId, null);
        withoutTenant.setTenantId("");
        publishAll(Topics.SEND_REQUESTED_NAME, conversation,
                List.of(withoutTenant, command(conversation, unknownMedia, UUID.randomUUID().toString(), null)));
        publishAll(Topics.SEND_REQUESTED_NAME, conversation, second);

        // Then both bad commands land on the .dlt with their reasons
        ConsumerRecord<String, Object> invalid = awaitRecord(Topics.SEND_REQUESTED.dlt(),
                r -> r.value() instanceof SendMediaMessage c && c.getMessage().getMessageId().equals(noTenant));
        assertThat(new String(invalid.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8))
                .contains("INVALID_COMMAND");
        ConsumerRecord<String, Object> dead = awaitRecord(Topics.SEND_REQUESTED.dlt(),
                r -> r.value() instanceof SendMediaMessage c && c.getMessage().getMessageId().equals(unknownMedia));
        assertThat(new String(dead.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8))
                .contains("UNKNOWN_MEDIA");
        // And media.received carries every good command once, in the order sent, with the unknown media's
        // announcement (no tenant: none) between the first ten and the rest
        List<String> expected = new ArrayList<>(good.subList(0, 10));
        expected.add(unknownMedia);
        expected.addAll(good.subList(10, 20));
        List<String> announced = messageIdsOn(Topics.MEDIA_RECEIVED_NAME, conversation, expected.size());
        assertThat(announced).containsExactlyElementsOf(expected);
    }

    /** The message ids of {@code topic}'s records under {@code key}, in log order, once {@code count} are there. */
    private static List<String> messageIdsOn(String topic, String key, int count) {
        List<String> ids = new ArrayList<>();
        awaitRecord(topic, r -> {
            if (key.equals(r.key()) && r.value() instanceof MediaReceived m && m.getMessage() != null) {
                ids.add(m.getMessage().getMessageId());
            }
            return ids.size() >= count;
        });
        return ids;
    }

    private static SendMediaMessage command(String messageId, String mediaId, String mediaUrl) {
        return command("conv-poison", messageId, mediaId, mediaUrl);
    }

    private static SendMediaMessage command(String conversation, String messageId, String mediaId, String mediaUrl) {
        return SendMediaMessage.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setTenantId(TENANT_A)
                .setChannel(Channel.WHATSAPP).setConversationId(conversation)
                .setMessage(OutboundMessage.newBuilder().setMessageId(messageId).setTo("+1").setKind(MediaKind.IMAGE).build())
                .setMediaId(mediaId).setMediaUrl(mediaUrl).build();
    }

    private String fieldOf(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(header(response, "Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode field = json(response).get("field");
        return field == null ? null : field.asString();
    }
}
