package io.mediaplatform.callback;

import io.mediaplatform.callback.deletion.MessageDeletions;
import io.mediaplatform.callback.deletion.core.ContactErasure;
import io.mediaplatform.callback.deletion.core.MessageRetention;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.events.DeletionReason;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MessageDeleted;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code DELETE /v1/messages/{id}}, {@code DELETE /v1/contacts/{channel}/{address}} and the message retention sweep:
 * the messages leave every query, their stored webhook payloads go, and {@code message.deleted.v1} tells ingest
 * which media to delete (ARCHITECTURE §10).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageDeletionTest extends CallbackServiceTestBase {

    @Autowired
    MessageDeletions deletions;

    private KafkaConsumer<String, Object> consumer;
    private final List<MessageDeleted> told = new CopyOnWriteArrayList<>();

    @BeforeAll
    void readTheDeletionTopic() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "deletion-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                SerdeConfig.SCHEMA_REGISTRY_URL, SharedTestInfra.schemaRegistry(BROKER.getBrokersAsString()).url()));
        consumer.subscribe(List.of(Topics.MESSAGE_DELETED_NAME));
    }

    @AfterAll
    void close() {
        consumer.close();
    }

    @Test
    void deleting_a_message_removes_it_with_its_history_and_webhook_payloads_and_tells_ingest_to_delete_its_media() {
        // Given a message with a status, told to a callback URL
        String id = UUID.randomUUID().toString();
        String path = "/deletion/" + id;
        Instant t0 = Instant.now().minusSeconds(30);
        received(id, "ext-" + id, null, List.of(RECEIVER.url(path)), t0);
        status(id, MessageStatus.SENT, t0.plusSeconds(1), null, null);
        await().atMost(AWAIT).until(() -> RECEIVER.received(path).size() == 2);
        assertThat(rows("webhook_deliveries", id)).isEqualTo(2);

        // When the tenant deletes it
        Response deleted = exchange("DELETE", "/v1/messages/" + id, KEY, null);

        // Then the answer tells its media goes, and the message is gone from GET, the search and the tables
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("mediaId").asString()).isEqualTo("media-" + id);
        assertThat(deleted.json().path("mediaDeleted").asBoolean()).isTrue();
        assertThat(deleted.json().path("mediaKept").asBoolean()).isFalse();
        assertThat(deleted.json().path("webhookPayloadsDeleted").asInt()).isEqualTo(2);
        assertThat(get(id, KEY).status()).isEqualTo(404);
        assertThat(search("externalId=ext-" + id, KEY).json().path("items")).isEmpty();
        assertThat(rows("webhook_deliveries", id)).isZero();
        assertThat(rows("status_history", id)).isZero();
        // And message.deleted.v1 asks for its media to be deleted
        MessageDeleted event = awaitTold(id);
        assertThat(event.getTenantId()).isEqualTo(TENANT);
        assertThat(event.getMediaId()).isEqualTo("media-" + id);
        assertThat(event.getMediaStillReferenced()).isFalse();
        assertThat(event.getReason()).isEqualTo(DeletionReason.MESSAGE_DELETED);
        assertThat(event.getDirection()).isEqualTo(Direction.OUTBOUND);

        // When a late status arrives for it, and it is deleted again
        double ignoredBefore = ignoredDelivered();
        status(id, MessageStatus.DELIVERED, t0.plusSeconds(2), null, null);
        await().atMost(AWAIT).until(() -> ignoredDelivered() > ignoredBefore);

        // Then it does not come back, and a second deletion is a 404
        assertThat(get(id, KEY).status()).isEqualTo(404);
        assertThat(exchange("DELETE", "/v1/messages/" + id, KEY, null).status()).isEqualTo(404);
    }

    @Test
    void a_media_shared_by_two_messages_is_kept_when_one_is_deleted_and_goes_with_the_last() {
        // Given two messages sending one uploaded media
        String shared = "media-shared-" + UUID.randomUUID();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        receivedWithMedia(first, shared, "+15550000001");
        receivedWithMedia(second, shared, "+15550000002");
        await().atMost(AWAIT).until(() -> get(first, KEY).status() == 200 && get(second, KEY).status() == 200);

        // When the first is deleted
        Response one = exchange("DELETE", "/v1/messages/" + first, KEY, null);

        // Then its media is kept, because the second still names it
        assertThat(one.json().path("mediaDeleted").asBoolean()).isFalse();
        assertThat(one.json().path("mediaKept").asBoolean()).isTrue();
        assertThat(awaitTold(first).getMediaStillReferenced()).isTrue();

        // When the second is deleted too
        Response two = exchange("DELETE", "/v1/messages/" + second, KEY, null);

        // Then the media goes with it
        assertThat(two.json().path("mediaDeleted").asBoolean()).isTrue();
        assertThat(awaitTold(second).getMediaStillReferenced()).isFalse();
        assertThat(awaitTold(second).getMediaId()).isEqualTo(shared);
    }

    @Test
    void erasing_a_contact_deletes_its_messages_both_ways_and_no_other_contacts_and_keeps_an_audit_line_without_the_address() {
        // Given a customer with a message sent to them and one they sent, a media they share with another customer's
        // message, and that other customer's message
        String customer = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
        String other = "+1666" + (1_000_000 + (int) (Math.random() * 8_999_999));
        String toCustomer = UUID.randomUUID().toString();
        String fromCustomer = UUID.randomUUID().toString();
        String toOther = UUID.randomUUID().toString();
        String sharedWithOther = UUID.randomUUID().toString();
        String shared = "media-campaign-" + UUID.randomUUID();
        receivedWithMedia(toCustomer, "media-" + toCustomer, customer);
        receivedWithMedia(sharedWithOther, shared, customer);
        receivedWithMedia(toOther, shared, other);
        String inboundMedia = UUID.randomUUID().toString();
        publisher.sendAndWait(Topics.MEDIA_ACCEPTED, "WHATSAPP:" + customer, inboundFrom(fromCustomer, inboundMedia, customer));
        await().atMost(AWAIT).until(() -> List.of(toCustomer, fromCustomer, toOther, sharedWithOther).stream()
                .allMatch(id -> get(id, KEY).status() == 200));

        // When the tenant erases the customer on WhatsApp (channel in any case)
        Response erased = exchange("DELETE", "/v1/contacts/whatsapp/" + customer, KEY, null);

        // Then it is accepted with a summary of what went
        assertThat(erased.status()).isEqualTo(202);
        assertThat(erased.json().path("channel").asString()).isEqualTo("WHATSAPP");
        assertThat(erased.json().path("messagesDeleted").asInt()).isEqualTo(3);
        assertThat(erased.json().path("mediaDeleted").asInt()).isEqualTo(2);
        assertThat(erased.json().path("mediaKept").asInt()).isEqualTo(1);
        // And the customer's messages, both ways, are gone; the other customer's is not
        assertThat(get(toCustomer, KEY).status()).isEqualTo(404);
        assertThat(get(fromCustomer, KEY).status()).isEqualTo(404);
        assertThat(get(sharedWithOther, KEY).status()).isEqualTo(404);
        assertThat(get(toOther, KEY).status()).isEqualTo(200);
        // And ingest is told to delete the customer's own media (their inbound file included), not the shared one
        assertThat(awaitTold(toCustomer).getMediaStillReferenced()).isFalse();
        assertThat(awaitTold(fromCustomer).getMediaId()).isEqualTo(inboundMedia);
        assertThat(awaitTold(fromCustomer).getMediaStillReferenced()).isFalse();
        assertThat(awaitTold(fromCustomer).getReason()).isEqualTo(DeletionReason.CONTACT_ERASURE);
        assertThat(awaitTold(sharedWithOther).getMediaStillReferenced()).isTrue();
        // And the audit line says it happened, with a salted hash that matches the address, and no address in clear
        Map<String, Object> audit = jdbc.sql("SELECT * FROM contact_erasures WHERE id = :id")
                .param("id", UUID.fromString(erased.json().path("erasureId").asString())).query().singleRow();
        assertThat(audit.get("tenant_id")).isEqualTo(TENANT);
        assertThat(audit.get("channel")).isEqualTo("WHATSAPP");
        assertThat(audit.get("messages_deleted")).isEqualTo(3);
        assertThat(audit.values()).allSatisfy(value -> assertThat(String.valueOf(value))
                .doesNotContain(customer).doesNotContain(customer.substring(1)));
        assertThat(audit.get("address_hash")).isEqualTo(
                ContactErasure.of("WHATSAPP", customer).addressHash((String) audit.get("address_salt")));

        // When the erasure is asked for again
        Response again = exchange("DELETE", "/v1/contacts/WHATSAPP/" + customer, KEY, null);

        // Then it is accepted and finds nothing more
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().path("messagesDeleted").asInt()).isZero();
        assertThat(get(toOther, KEY).status()).isEqualTo(200);
    }

    @Test
    void erasing_a_contact_takes_its_address_out_of_the_audit_trail_outbound_statuses_and_rejections_included()
            throws Exception {
        // Given files an agent sent to the customer (one READ, one REJECTED as malware, one FAILED with the number
        // in the provider's words), a file the customer sent, and a file sent to another customer
        String customer = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
        String other = "+1666" + (1_000_000 + (int) (Math.random() * 8_999_999));
        String read = UUID.randomUUID().toString();
        String malware = UUID.randomUUID().toString();
        String failed = UUID.randomUUID().toString();
        String fromCustomer = UUID.randomUUID().toString();
        String toOther = UUID.randomUUID().toString();
        Instant t0 = Instant.now().minusSeconds(30);
        sentByAgent(read, customer, t0);
        statusTo(read, customer, MessageStatus.SENT, t0.plusSeconds(1), null);
        statusTo(read, customer, MessageStatus.READ, t0.plusSeconds(2), null);
        MediaRejected rejected = MediaRejected.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(t0)
                .setTenantId(TENANT).setReceivedEventId(UUID.randomUUID().toString()).setMedia(media(malware))
                .setReason(RejectionReason.MALWARE).setReasonMessage("Malware found: Eicar-Test-Signature; the media was quarantined")
                .setMessage(agentMessage(malware, customer)).build();
        publisher.sendAndWait(Topics.MEDIA_REJECTED, "conv-" + malware, rejected);
        sentByAgent(failed, customer, t0);
        statusTo(failed, customer, MessageStatus.FAILED, t0.plusSeconds(1),
                "Recipient " + customer.substring(1) + " is not a WhatsApp user");
        publisher.sendAndWait(Topics.MEDIA_ACCEPTED, "WHATSAPP:" + customer,
                inboundFrom(fromCustomer, "media-" + fromCustomer, customer));
        sentByAgent(toOther, other, t0);
        await().atMost(AWAIT).untilAsserted(() -> {
            assertThat(outcomes(call("/v1/audit?to=" + encoded(customer), KEY).json().path("items")))
                    .containsExactlyInAnyOrder("READ", "REJECTED", "FAILED");
            assertThat(call("/v1/audit?mediaId=media-" + fromCustomer, KEY).json().path("items")).hasSize(1);
            assertThat(call("/v1/audit?mediaId=media-" + toOther, KEY).json().path("items")).hasSize(1);
            assertThat(List.of(read, malware, failed, fromCustomer)).allMatch(id -> get(id, KEY).status() == 200);
        });

        // When the tenant erases the customer on WhatsApp
        Response erased = exchange("DELETE", "/v1/contacts/whatsapp/" + customer, KEY, null);

        // Then the audit trail finds nothing for the address, as JSON or as CSV
        assertThat(erased.status()).isEqualTo(202);
        assertThat(erased.json().path("messagesDeleted").asInt()).isEqualTo(4);
        assertThat(call("/v1/audit?to=" + encoded(customer), KEY).json().path("items")).isEmpty();
        assertThat(csv("to=" + encoded(customer)).split("\r\n")).hasSize(1);
        // And no entry of the tenant carries the number, with or without its +, in any column
        assertThat(csv("limit=1000")).doesNotContain(customer.substring(1)).contains(toOther);
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM audit_trail WHERE tenant_id = :t
                          AND concat_ws('|', sender, recipient, actor, reason_message) LIKE :digits""")
                .param("t", TENANT).param("digits", "%" + customer.substring(1) + "%").query(Long.class).single())
                .isZero();
        // And the entries stay, as the record of what was shared, without the address
        JsonNode sent = call("/v1/audit?mediaId=media-" + read, KEY).json().path("items").get(0);
        assertThat(sent.path("actor").asString()).isEqualTo("agent:alice");
        assertThat(sent.path("from").asString()).isEqualTo("+15550100001");
        assertThat(sent.path("to").isNull() || sent.path("to").isMissingNode()).isTrue();
        assertThat(sent.path("outcome").asString()).isEqualTo("READ");
        JsonNode refused = call("/v1/audit?mediaId=media-" + malware, KEY).json().path("items").get(0);
        assertThat(refused.path("reason").asString()).isEqualTo("MALWARE");
        assertThat(call("/v1/audit?mediaId=media-" + failed, KEY).json().path("items").get(0).path("reasonMessage")
                .asString()).isEqualTo("Recipient [erased] is not a WhatsApp user");
        // And the other customer's entry keeps its address
        assertThat(call("/v1/audit?mediaId=media-" + toOther, KEY).json().path("items").get(0).path("to").asString())
                .isEqualTo(other);

        // When a late status of an erased message arrives, naming the customer
        double ignoredBefore = ignoredDelivered();
        statusTo(read, customer, MessageStatus.DELIVERED, t0.plusSeconds(3), null);
        await().atMost(AWAIT).until(() -> ignoredDelivered() > ignoredBefore);

        // Then it does not write the address back
        assertThat(call("/v1/audit?to=" + encoded(customer), KEY).json().path("items")).isEmpty();
        assertThat(call("/v1/audit?mediaId=media-" + read, KEY).json().path("items").get(0).path("outcome").asString())
                .isEqualTo("READ");
    }

    @Test
    void the_retention_sweep_deletes_messages_past_their_age_like_a_deletion_and_leaves_younger_ones() {
        // Given a message recorded in 2001 and one recorded now
        String old = UUID.randomUUID().toString();
        String young = UUID.randomUUID().toString();
        receivedWithMedia(old, "media-" + old, "+15550000003");
        receivedWithMedia(young, "media-" + young, "+15550000003");
        await().atMost(AWAIT).until(() -> get(old, KEY).status() == 200 && get(young, KEY).status() == 200);
        jdbc.sql("UPDATE messages SET created_at = '2001-01-01T00:00:00Z' WHERE tenant_id = :t AND message_id = :id")
                .param("t", TENANT).param("id", old).update();

        // When the sweep runs with a retention of 20 years
        int swept = deletions.sweep(new MessageRetention(Duration.ofDays(365 * 20)), Instant.now());

        // Then the old message is deleted, reason RETENTION, its media with it; the young one stays
        assertThat(swept).isEqualTo(1);
        assertThat(get(old, KEY).status()).isEqualTo(404);
        assertThat(get(young, KEY).status()).isEqualTo(200);
        assertThat(awaitTold(old).getReason()).isEqualTo(DeletionReason.RETENTION);
        assertThat(awaitTold(old).getMediaStillReferenced()).isFalse();
        // And with retention off nothing is swept
        assertThat(deletions.sweep(new MessageRetention(Duration.ZERO), Instant.now().plus(36_500, ChronoUnit.DAYS))).isZero();
        assertThat(get(young, KEY).status()).isEqualTo(200);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** An agent's message to {@code to} with media {@code media-<id>}, from the business number. */
    private void sentByAgent(String messageId, String to, Instant at) {
        MediaReceived event = MediaReceived.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setTenantId(TENANT).setMedia(media(messageId)).setMessage(agentMessage(messageId, to)).build();
        publisher.sendAndWait(Topics.MEDIA_RECEIVED, "conv-" + messageId, event);
    }

    private static io.mediaplatform.events.OutboundMessage agentMessage(String messageId, String to) {
        return io.mediaplatform.events.OutboundMessage.newBuilder(outbound(messageId, null, null, List.of()))
                .setTo(to).setFrom("+15550100001").setSentBy("agent:alice").build();
    }

    /** A status of the message naming its recipient, with the provider's words. */
    private void statusTo(String messageId, String to, MessageStatus status, Instant at, String detail) {
        DeliveryStatus event = DeliveryStatus.newBuilder(statusEvent(messageId, status, at, "wamid." + messageId,
                null)).setTo(to).setDetail(detail).build();
        publisher.sendAndWait(Topics.MESSAGE_STATUS, "conv-" + messageId, event);
    }

    private static List<String> outcomes(JsonNode items) {
        return texts(items, "outcome");
    }

    private static String encoded(String address) {
        return java.net.URLEncoder.encode(address, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The audit trail's CSV export for that query. */
    private String csv(String query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/v1/audit?" + query + "&format=csv"))
                .header("Authorization", "Bearer " + KEY).GET().build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> export = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(export.statusCode()).isEqualTo(200);
            return export.body();
        }
    }

    private long rows(String table, String messageId) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE tenant_id = :t AND message_id = :id")
                .param("t", TENANT).param("id", messageId).query(Long.class).single();
    }

    private double ignoredDelivered() {
        var counter = meters.find("callback.status.events").tags("status", "DELIVERED", "outcome", "duplicate").counter();
        return counter == null ? 0 : counter.count();
    }

    /** An outbound message to {@code to} with media {@code mediaId} (ACCEPTED from media.received). */
    private void receivedWithMedia(String messageId, String mediaId, String to) {
        MediaReceived event = MediaReceived.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTenantId(TENANT).setMedia(io.mediaplatform.events.MediaRef.newBuilder(media(messageId)).setMediaId(mediaId).build())
                .setMessage(io.mediaplatform.events.OutboundMessage.newBuilder(outbound(messageId, null, null, List.of()))
                        .setTo(to).build())
                .build();
        publisher.sendAndWait(Topics.MEDIA_RECEIVED, "conv-" + messageId, event);
    }

    /** A customer's accepted inbound image from {@code from}. */
    private static MediaAccepted inboundFrom(String messageId, String mediaId, String from) {
        return MediaAccepted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTenantId(TENANT).setReceivedEventId(UUID.randomUUID().toString())
                .setMedia(TestEvents.inboundMedia(mediaId, "WHATSAPP:" + from, true))
                .setDetectedContentType("image/jpeg").setKind(MediaKind.IMAGE)
                .setMessage(TestEvents.inboundMessage(messageId, from))
                .setInbound(TestEvents.inboundDetails("wamid." + UUID.randomUUID(), Instant.now())).build();
    }

    /** The message.deleted.v1 event of that message (read from the topic until it comes). */
    private MessageDeleted awaitTold(String messageId) {
        await().atMost(AWAIT).until(() -> {
            synchronized (consumer) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value() instanceof MessageDeleted deleted) {
                        told.add(deleted);
                    }
                });
            }
            return told.stream().anyMatch(e -> e.getMessageId().equals(messageId));
        });
        List<MessageDeleted> matching = new ArrayList<>(told.stream().filter(e -> e.getMessageId().equals(messageId)).toList());
        assertThat(matching).hasSize(1);
        return matching.getFirst();
    }
}
