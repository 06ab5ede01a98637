package io.mediaplatform.dispatch;

import io.mediaplatform.dispatch.resilience.resilience4j.ResilientSender;
import io.mediaplatform.dispatch.resilience.core.RateShare;
import io.mediaplatform.dispatch.connector.whatsapp.CallbackData;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.AvroSerializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.simulator.Fault;
import io.mediaplatform.simulator.ReceivedSend;
import io.mediaplatform.simulator.WhatsAppSimulator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No doubles, no losses across a restart: the dispatch application is stopped in the middle of a batch and a new
 * one started on the same broker (3 partitions), while the records the first one had already sent are published
 * once more (an upstream redelivery). Every message reaches the provider exactly once: the offsets committed with
 * the statuses in one transaction let the second instance resume where the first stopped, and its send ledger,
 * rebuilt from {@code message.status.v1} on partition assignment, makes it skip the redelivered records.
 */
class DispatchRestartTest {

    private static final String TOKEN = "restart-test-token";
    private static final int MESSAGES = 45;
    private static final int CONVERSATIONS = 6;

    private static final EmbeddedKafkaKraftBroker broker = TestSupport.broker(3);
    private static final List<DeliveryStatus> statuses = new CopyOnWriteArrayList<>();
    private static volatile boolean consuming = true;
    private static final WhatsAppSimulator simulator;
    private static final Thread statusReader;

    static {
        TopicProvisioner.createAll(broker.getBrokersAsString(), 3, (short) 1);
        simulator = WhatsAppSimulator.builder().accessToken(TOKEN).build().start();
        statusReader = Thread.ofPlatform().daemon().name("restart-status-reader").start(DispatchRestartTest::readStatuses);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        consuming = false;
        statusReader.join(Duration.ofSeconds(5));
        simulator.close();
        broker.destroy();
    }

    @Test
    void a_restart_in_the_middle_of_a_batch_with_redelivered_records_sends_every_message_exactly_once() {
        // Given a running dispatch and a provider answering each send after 200 ms
        ConfigurableApplicationContext first = startDispatch();
        for (int i = 0; i < MESSAGES + 10; i++) {
            simulator.failNext(Fault.slow(Duration.ofMillis(200)));
        }
        Map<String, MediaAccepted> records = new LinkedHashMap<>();
        for (int i = 0; i < MESSAGES; i++) {
            String id = "restart-" + i + "-" + UUID.randomUUID();
            records.put(id, accepted(id, "conv-restart-" + (i % CONVERSATIONS)));
        }

        // When a batch is accepted and the service is closed after about a third of it went out
        try (KafkaProducer<String, Object> producer = producer()) {
            records.values().forEach(r -> producer.send(new ProducerRecord<>(Topics.MEDIA_ACCEPTED_NAME,
                    r.getMedia().getConversationId(), r)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acceptedSends().keySet().stream().filter(records::containsKey).count() >= MESSAGES / 3);
        first.close();
        int sentBeforeRestart = (int) acceptedSends().keySet().stream().filter(records::containsKey).count();
        assertThat(sentBeforeRestart).isLessThan(MESSAGES);

        // And the records it had already sent are published once more (an upstream redelivery)
        await().atMost(Duration.ofSeconds(30)).until(() -> sentStatuses().keySet().stream()
                .filter(records::containsKey).count() >= sentBeforeRestart);
        Set<String> alreadySent = sentStatuses().keySet().stream().filter(records::containsKey)
                .collect(Collectors.toSet());
        try (KafkaProducer<String, Object> producer = producer()) {
            alreadySent.forEach(id -> producer.send(new ProducerRecord<>(Topics.MEDIA_ACCEPTED_NAME,
                    records.get(id).getMedia().getConversationId(), accepted(id, records.get(id).getMedia().getConversationId()))));
        }

        // And a new instance is started on the same broker
        ConfigurableApplicationContext second = startDispatch();
        try {
            // Then every message ends SENT
            await().atMost(Duration.ofSeconds(120)).until(() -> sentStatuses().keySet().containsAll(records.keySet()));
            // And let the second instance go through the redelivered records too
            String marker = "restart-marker-" + UUID.randomUUID();
            try (KafkaProducer<String, Object> producer = producer()) {
                for (int c = 0; c < CONVERSATIONS; c++) {
                    producer.send(new ProducerRecord<>(Topics.MEDIA_ACCEPTED_NAME, "conv-restart-" + c,
                            accepted(marker + "-" + c, "conv-restart-" + c)));
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> sentStatuses().keySet().stream()
                    .filter(id -> id.startsWith(marker)).count() == CONVERSATIONS);

            // Then the provider took each message exactly once: no double, no loss
            Map<String, Long> sends = acceptedSends();
            assertThat(sends.keySet()).containsAll(records.keySet());
            assertThat(records.keySet()).allSatisfy(id -> assertThat(sends.get(id)).as("sends of %s", id).isEqualTo(1L));
            // And exactly one SENT was published per message
            assertThat(records.keySet()).allSatisfy(id -> assertThat(sentStatuses().get(id)).isEqualTo(1L));
            assertThat(alreadySent).isNotEmpty();
        } finally {
            second.close();
        }
    }

    @Test
    void a_restart_while_a_message_waits_for_its_next_round_keeps_its_schedule_and_its_conversation_order() {
        // Given a dispatch with one later round 3 s after the first, and a provider failing the next send
        simulator.clearFaults();
        String[] retryArgs = {"--DISPATCH_RETRY_DELAYS=3s", "--DISPATCH_RETRY_MAX_ATTEMPTS=1"};
        ConfigurableApplicationContext first = startDispatch(retryArgs);
        simulator.failNext(Fault.serverError());
        String conversation = "conv-waiting-" + UUID.randomUUID();
        List<String> ids = List.of(conversation + "-1", conversation + "-2", conversation + "-3");

        // When the first two media of a conversation are accepted: the first fails, the second queues behind it
        try (KafkaProducer<String, Object> producer = producer()) {
            ids.subList(0, 2).forEach(id -> producer.send(new ProducerRecord<>(Topics.MEDIA_ACCEPTED_NAME,
                    conversation, accepted(id, conversation))));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> statuses.stream()
                .anyMatch(s -> ids.get(1).equals(s.getMessageId()) && s.getStatus() == MessageStatus.QUEUED));
        // And the service is closed before the next round is due, then a new instance starts
        first.close();
        assertThat(acceptedSends()).doesNotContainKeys(ids.get(0), ids.get(1));
        ConfigurableApplicationContext second = startDispatch(retryArgs);
        try {
            // And a third medium of the conversation is accepted by the new instance
            try (KafkaProducer<String, Object> producer = producer()) {
                producer.send(new ProducerRecord<>(Topics.MEDIA_ACCEPTED_NAME, conversation,
                        accepted(ids.get(2), conversation)));
            }

            // Then all three end SENT once, and the provider took them in the order accepted
            await().atMost(Duration.ofSeconds(60)).until(() -> sentStatuses().keySet().containsAll(ids));
            assertThat(ids).allSatisfy(id -> assertThat(sentStatuses().get(id)).isEqualTo(1L));
            List<String> providerOrder = simulator.sends().stream().filter(ReceivedSend::accepted)
                    .map(s -> CallbackData.decode(s.body().path("biz_opaque_callback_data").asText()).orElseThrow()
                            .messageId())
                    .filter(ids::contains).toList();
            assertThat(providerOrder).containsExactlyElementsOf(ids);
        } finally {
            second.close();
        }
    }

    @Test
    void two_instances_share_each_senders_rate_limit_and_one_left_alone_has_it_whole() {
        // Given one instance, alone in the consumer group: the whole WhatsApp limit (80/s) for each sender
        ConfigurableApplicationContext first = startDispatch();
        RateShare firstShare = first.getBean(ResilientSender.class).rateShare();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> firstShare.limit(80) == 80 && firstShare.version() > 0);

            // When a second instance joins and the partitions are shared out again
            ConfigurableApplicationContext second = startDispatch();
            RateShare secondShare = second.getBean(ResilientSender.class).rateShare();
            try {
                // Then together they allow at most the limit, each a part of it (2 + 1 of 3 partitions: 53 + 26)
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(firstShare.limit(80) + secondShare.limit(80)).isLessThanOrEqualTo(80);
                    assertThat(firstShare.limit(80)).isPositive().isLessThan(80);
                    assertThat(secondShare.limit(80)).isPositive().isLessThan(80);
                });
            } finally {
                second.close();
            }

            // And once the second has left, the first has the whole limit again
            await().atMost(Duration.ofSeconds(60)).until(() -> firstShare.limit(80) == 80);
        } finally {
            first.close();
        }
    }

    private static ConfigurableApplicationContext startDispatch(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--KAFKA_BOOTSTRAP_SERVERS=" + broker.getBrokersAsString(),
                "--SCHEMA_REGISTRY_URL=" + SharedTestInfra.schemaRegistry(broker.getBrokersAsString()).url(),
                "--DISPATCH_PORT=0",
                "--WHATSAPP_BASE_URL=" + simulator.url(),
                "--WHATSAPP_PHONE_NUMBER_ID=109876543210",
                "--WHATSAPP_ACCESS_TOKEN=" + TOKEN,
                "--INGEST_PUBLIC_URL=http://127.0.0.1:9",
                "--DISPATCH_RETRY_BACKOFF=50ms",
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(extra));
        return DispatchApplication.builder().run(args.toArray(String[]::new));
    }

    /** Accepted sends at the provider, counted by our message id. */
    private static Map<String, Long> acceptedSends() {
        return simulator.sends().stream().filter(ReceivedSend::accepted)
                .map(s -> CallbackData.decode(s.body().path("biz_opaque_callback_data").asText()).orElseThrow().messageId())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** SENT statuses published by dispatch, counted by message id. */
    private static Map<String, Long> sentStatuses() {
        return statuses.stream().filter(s -> s.getStatus() == MessageStatus.SENT && s.getProviderStatus() == null)
                .collect(Collectors.groupingBy(DeliveryStatus::getMessageId, Collectors.counting()));
    }

    private static MediaAccepted accepted(String messageId, String conversation) {
        MediaRef media = MediaRef.newBuilder().setMediaId("media-" + messageId).setConversationId(conversation)
                .setChannel(Channel.WHATSAPP).setDirection(Direction.OUTBOUND).setSize(10).setSha256("00".repeat(32))
                .setStorage(StorageLocation.newBuilder().setBucket("media").setKey("t/" + messageId).build()).build();
        OutboundMessage message = OutboundMessage.newBuilder().setMessageId(messageId).setFrom("+15550001111")
                .setTo("+15551118001").setKind(MediaKind.IMAGE).build();
        return MediaAccepted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTenantId("tenant-r").setReceivedEventId(UUID.randomUUID().toString()).setMedia(media)
                .setDetectedContentType("image/jpeg").setKind(MediaKind.IMAGE).setMessage(message).build();
    }

    private static Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, SharedTestInfra.schemaRegistry(broker.getBrokersAsString()).url());
        return config;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static KafkaProducer<String, Object> producer() {
        Map<String, Object> config = serdeConfig();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerializer serializer = new AvroSerializer();
        serializer.configure(config, false);
        return new KafkaProducer<>(config, new StringSerializer(), (Serializer) serializer);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void readStatuses() {
        Map<String, Object> config = serdeConfig();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroDeserializer deserializer = new AvroDeserializer();
        deserializer.configure(config, false);
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                (Deserializer) deserializer)) {
            consumer.subscribe(List.of(Topics.MESSAGE_STATUS_NAME));
            while (consuming) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof DeliveryStatus status) {
                        statuses.add(status);
                    }
                }
            }
        }
    }
}
