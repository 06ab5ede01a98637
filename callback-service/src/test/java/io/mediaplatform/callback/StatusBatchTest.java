package io.mediaplatform.callback;

import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status listeners take a whole poll at once (one transaction for its events): the histories and webhooks come
 * out as when each record was applied on its own, and a record that cannot be taken goes to the .dlt alone.
 */
class StatusBatchTest extends CallbackServiceTestBase {

    @Test
    void records_a_poll_of_many_messages_statuses_each_history_and_webhook_order_as_one_record_at_a_time_would() {
        // Given ten messages with a callback URL each, and their statuses waiting on the topics while the listeners pause
        List<String> ids = new ArrayList<>();
        Instant t0 = Instant.parse("2026-04-01T10:00:00Z");
        MessageListenerContainer received = listeners.getListenerContainer("callback-media-received");
        MessageListenerContainer statuses = listeners.getListenerContainer("callback-message-status");
        received.pause();
        statuses.pause();
        try {
            await().atMost(AWAIT).until(() -> received.isPauseRequested() && statuses.isPauseRequested());
            for (int m = 0; m < 10; m++) {
                String messageId = UUID.randomUUID().toString();
                ids.add(messageId);
                received(messageId, "ext-" + messageId, null, List.of(RECEIVER.url("/batch/" + messageId)), t0);
                status(messageId, MessageStatus.QUEUED, t0.plusSeconds(1), null, null);
                status(messageId, MessageStatus.SENT, t0.plusSeconds(2), "wamid." + m, null);
                DeliveryStatus read = statusEvent(messageId, MessageStatus.READ, t0.plusSeconds(4), null, null);
                publisher.sendAndWait(Topics.MESSAGE_STATUS, "conv-" + messageId, read);
                // the same event again: a duplicate in the same poll
                publisher.sendAndWait(Topics.MESSAGE_STATUS, "conv-" + messageId, read);
                // DELIVERED after READ: history only
                status(messageId, MessageStatus.DELIVERED, t0.plusSeconds(3), null, null);
                // READ again, another event: a status already in the history
                status(messageId, MessageStatus.READ, t0.plusSeconds(5), null, null);
            }
        } finally {
            // When the listeners go on, each taking what is waiting in one poll
            received.resume();
            statuses.resume();
        }

        // Then every message has its history in arrival order, READ current, the repeated READ left out
        for (String messageId : ids) {
            await().atMost(AWAIT).untilAsserted(() -> {
                JsonNode message = get(messageId, KEY).json();
                assertThat(message.path("status").asString()).isEqualTo("READ");
                assertThat(texts(message.path("history"), "status")).containsExactlyInAnyOrder(
                        "ACCEPTED", "QUEUED", "SENT", "READ", "DELIVERED");
            });
            // And its callback URL was told each recorded status once, in order: as they came, or, for those recorded
            // before ACCEPTED brought the URL, in the order of their timestamps when it came
            await().atMost(AWAIT).until(() -> RECEIVER.received("/batch/" + messageId).size() == 5);
            List<String> told = RECEIVER.received("/batch/" + messageId).stream()
                    .map(hook -> json.readTree(hook.body()).path("data").path("status").asString()).toList();
            assertThat(told).hasSize(5).containsExactlyInAnyOrder("ACCEPTED", "QUEUED", "SENT", "READ", "DELIVERED");
            assertThat(told.indexOf("QUEUED")).isLessThan(told.indexOf("SENT"));
            assertThat(told.indexOf("SENT")).isLessThan(told.indexOf("READ")).isLessThan(told.indexOf("DELIVERED"));
        }
    }

    @Test
    void dead_letters_only_the_undecodable_record_and_the_unknown_status_of_a_poll_and_records_the_others() {
        // Given a message, and in one poll: QUEUED, a status this service does not know, bytes that are no event, SENT
        String messageId = UUID.randomUUID().toString();
        String key = "conv-" + messageId;
        String path = "/poison/" + messageId;
        Instant t0 = Instant.parse("2026-04-02T10:00:00Z");
        received(messageId, null, null, List.of(RECEIVER.url(path)), t0);
        await().atMost(AWAIT).until(() -> "ACCEPTED".equals(get(messageId, KEY).json().path("status").asString()));
        MessageListenerContainer statuses = listeners.getListenerContainer("callback-message-status");
        statuses.pause();
        try {
            await().atMost(AWAIT).until(statuses::isPauseRequested);
            status(messageId, MessageStatus.QUEUED, t0.plusSeconds(1), null, null);
            status(messageId, MessageStatus.UNKNOWN, t0.plusSeconds(2), null, null);
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                raw.send(new ProducerRecord<>(Topics.MESSAGE_STATUS_NAME, key, "not an event".getBytes(StandardCharsets.UTF_8))).get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            status(messageId, MessageStatus.SENT, t0.plusSeconds(3), "wamid.poison", null);
        } finally {
            // When the listener goes on
            statuses.resume();
        }

        // Then QUEUED and SENT are recorded and told, in order
        await().atMost(AWAIT).untilAsserted(() -> assertThat(texts(get(messageId, KEY).json().path("history"), "status"))
                .containsExactly("ACCEPTED", "QUEUED", "SENT"));
        await().atMost(AWAIT).until(() -> RECEIVER.received(path).size() == 3);
        assertThat(RECEIVER.received(path).stream().map(hook -> json.readTree(hook.body()).path("data").path("status").asString()))
                .containsExactly("ACCEPTED", "QUEUED", "SENT");
        // And the two records that could not be taken are on message.status.v1.dlt
        try (KafkaConsumer<String, byte[]> dlt = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            dlt.subscribe(List.of(Topics.MESSAGE_STATUS.dlt()));
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(AWAIT).until(() -> {
                dlt.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        dead.add(record);
                    }
                });
                return dead.size() >= 2;
            });
            assertThat(dead).hasSize(2);
            assertThat(dead.stream().filter(record -> "not an event".equals(new String(record.value(), StandardCharsets.UTF_8))))
                    .hasSize(1);
        }
    }
}
