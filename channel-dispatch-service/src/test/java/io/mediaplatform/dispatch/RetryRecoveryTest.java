package io.mediaplatform.dispatch;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mediaplatform.common.tracing.Traces;
import io.mediaplatform.dispatch.retry.kafka.SendRetries;
import io.mediaplatform.dispatch.send.core.Correlation;
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
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fast recovery from the retry topic: sends that failed through a provider outage wait there for a long round
 * (30 s, then 2 min), but when the provider is back they go out within seconds, not at their round, each once and
 * every conversation in the order accepted (3 partitions, several conversations sharing each). And a retried send
 * stays in its message's trace, with the message's ids in its log lines.
 */
class RetryRecoveryTest {

    private static final String TOKEN = "recovery-test-token";
    private static final int MESSAGES = 20;
    private static final int CONVERSATIONS = 7;

    private static final EmbeddedKafkaKraftBroker broker = TestSupport.broker(3);
    private static final List<Received> statuses = new CopyOnWriteArrayList<>();
    private static final List<ConsumerRecord<String, Object>> retried = new CopyOnWriteArrayList<>();
    private static volatile boolean consuming = true;
    private static final WhatsAppSimulator simulator;
    private static final Thread statusReader;

    private record Received(DeliveryStatus status, Instant at) {
    }

    static {
        TopicProvisioner.createAll(broker.getBrokersAsString(), 3, (short) 1);
        simulator = WhatsAppSimulator.builder().accessToken(TOKEN).build().start();
        statusReader = Thread.ofPlatform().daemon().name("recovery-status-reader").start(RetryRecoveryTest::readStatuses);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        consuming = false;
        statusReader.join(Duration.ofSeconds(5));
        simulator.close();
        broker.destroy();
    }

    @Test
    void sends_waiting_for_a_long_round_go_out_within_seconds_of_the_provider_coming_back_once_each_in_order()
            throws InterruptedException {
        // Given a dispatch whose later rounds come 30 s and 2 min after a failure, probing every second, with a
        // circuit that stays open 2 s; and WhatsApp answering every call with 500
        ConfigurableApplicationContext dispatch = startDispatch("--DISPATCH_RETRY_DELAYS=30s,2m",
                "--DISPATCH_RETRY_PROBE_INTERVAL=1s", "--DISPATCH_CIRCUIT_OPEN_WAIT=2s");
        try {
            simulator.failNext(Stream.generate(Fault::serverError).limit(100_000).toArray(Fault[]::new));
            Map<String, List<String>> conversations = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                String conversation = "conv-recovery-" + (i % CONVERSATIONS) + "-" + RUN;
                String id = "recovery-" + i + "-" + UUID.randomUUID();
                conversations.computeIfAbsent(conversation, c -> new ArrayList<>()).add(id);
                ids.add(id);
            }

            // When 20 media of 7 conversations are accepted during the outage
            try (KafkaProducer<String, Object> producer = producer()) {
                for (int i = 0; i < MESSAGES; i++) {
                    String conversation = "conv-recovery-" + (i % CONVERSATIONS) + "-" + RUN;
                    producer.send(new ProducerRecord<>(Topics.MEDIA_ACCEPTED_NAME, conversation,
                            accepted(ids.get(i), conversation)));
                }
            }
            // And every one of them waits on the retry topic, the first of each conversation for round 1 (30 s)
            await().atMost(Duration.ofSeconds(90)).until(() -> ids.stream().allMatch(id -> retriedIds().contains(id)));
            assertThat(conversations.values().stream().map(List::getFirst)).allSatisfy(first ->
                    assertThat(roundOf(first)).isEqualTo(1));
            // And the outage lasts a few seconds more (probes during it fail and keep their round)
            Thread.sleep(5_000);
            assertThat(sent().keySet()).doesNotContainAnyElementsOf(ids);

            // When WhatsApp is back
            simulator.clearFaults();
            Instant recovered = Instant.now();

            // Then every waiting send is SENT within seconds of the recovery, long before its round
            await().atMost(Duration.ofSeconds(10)).until(() -> sent().keySet().containsAll(ids));
            Instant lastSent = statuses.stream().filter(r -> r.status().getStatus() == MessageStatus.SENT
                            && r.status().getProviderStatus() == null && ids.contains(r.status().getMessageId()))
                    .map(Received::at).max(Instant::compareTo).orElseThrow();
            System.out.printf("RetryRecoveryTest: %d sends waiting on the retry topic all SENT %d ms after the provider "
                    + "was back%n", ids.size(), Duration.between(recovered, lastSent).toMillis());

            // And each exactly once: one accepted call at the provider, one SENT status, nothing FAILED
            Map<String, Long> accepted = acceptedSends();
            assertThat(ids).allSatisfy(id -> assertThat(accepted.get(id)).as("provider sends of %s", id).isEqualTo(1L));
            assertThat(ids).allSatisfy(id -> assertThat(sent().get(id)).as("SENT of %s", id).isEqualTo(1L));
            assertThat(statuses).noneMatch(r -> r.status().getStatus() == MessageStatus.FAILED
                    && ids.contains(r.status().getMessageId()));
            // And every conversation reached the provider in the order accepted
            List<String> providerOrder = simulator.sends().stream().filter(ReceivedSend::accepted)
                    .map(s -> CallbackData.decode(s.body().path("biz_opaque_callback_data").asText()).orElseThrow()
                            .messageId())
                    .filter(ids::contains).toList();
            conversations.forEach((conversation, inOrder) -> assertThat(providerOrder.stream()
                    .filter(inOrder::contains).toList()).as(conversation).containsExactlyElementsOf(inOrder));
        } finally {
            simulator.clearFaults();
            dispatch.close();
        }
    }

    @Test
    void a_retried_send_continues_the_trace_of_its_message_and_logs_with_the_message_ids() {
        // Given a dispatch that tries a send once in place and retries it after 1 s; and WhatsApp answering the next
        // call with 500
        ConfigurableApplicationContext dispatch = startDispatch("--DISPATCH_RETRY_DELAYS=1s",
                "--DISPATCH_RETRY_MAX_ATTEMPTS=1");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger retryLogs = (Logger) LoggerFactory.getLogger(SendRetries.class.getPackageName());
        retryLogs.addAppender(logs);
        try {
            simulator.failNext(Fault.serverError());
            String id = "traced-" + UUID.randomUUID();
            String conversation = "conv-traced-" + RUN;
            String traceId = UUID.randomUUID().toString().replace("-", "");
            String traceparent = "00-" + traceId + "-" + traceId.substring(0, 16) + "-01";

            // When a media accepted in that trace (its record's traceparent) is sent
            try (KafkaProducer<String, Object> producer = producer()) {
                ProducerRecord<String, Object> record = new ProducerRecord<>(Topics.MEDIA_ACCEPTED_NAME, conversation,
                        accepted(id, conversation));
                record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }

            // Then it fails, waits on the retry topic with the trace in its headers, and is SENT by the retry worker
            await().atMost(Duration.ofSeconds(60)).until(() -> sent().containsKey(id));
            assertThat(retried).filteredOn(r -> id.equals(((MediaAccepted) r.value()).getMessage().getMessageId()))
                    .isNotEmpty().allSatisfy(r -> assertThat(new String(r.headers().lastHeader("traceparent").value(),
                            StandardCharsets.UTF_8)).contains(traceId));
            // And both provider requests, the failed first and the retried one, carry the message's trace id
            List<ReceivedSend> calls = simulator.sends().stream().filter(s -> id.equals(CallbackData.decode(
                    s.body().path("biz_opaque_callback_data").asText()).map(Correlation::messageId).orElse(null)))
                    .toList();
            assertThat(calls).anyMatch(ReceivedSend::accepted).anyMatch(call -> !call.accepted())
                    .allSatisfy(call -> assertThat(call.header("traceparent")).contains(traceId));
            // And the retry worker's line about the send carries the message's ids and the trace id as fields
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(List.copyOf(logs.list))
                    .filteredOn(event -> event.getFormattedMessage().contains(id)
                            && event.getFormattedMessage().contains("sent in round"))
                    .singleElement().satisfies(event -> assertThat(event.getMDCPropertyMap())
                            .containsEntry("messageId", id)
                            .containsEntry("tenantId", "tenant-r")
                            .containsEntry("mediaId", "media-" + id)
                            .containsEntry("transactionId", Traces.asUuid(traceId))));
        } finally {
            retryLogs.detachAppender(logs);
            simulator.clearFaults();
            dispatch.close();
        }
    }

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

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

    /** The message ids forwarded to the retry topic. */
    private static List<String> retriedIds() {
        return retried.stream().map(r -> ((MediaAccepted) r.value()).getMessage().getMessageId()).toList();
    }

    /** The round the first retry record of a message waits for. */
    private static int roundOf(String id) {
        return retried.stream().filter(r -> id.equals(((MediaAccepted) r.value()).getMessage().getMessageId()))
                .findFirst().map(r -> Integer.parseInt(new String(r.headers().lastHeader(SendRetries.ROUND_HEADER)
                        .value(), StandardCharsets.UTF_8))).orElseThrow();
    }

    /** Accepted sends at the provider, counted by our message id. */
    private static Map<String, Long> acceptedSends() {
        return simulator.sends().stream().filter(ReceivedSend::accepted)
                .map(s -> CallbackData.decode(s.body().path("biz_opaque_callback_data").asText()).orElseThrow().messageId())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** SENT statuses published by dispatch, counted by message id. */
    private static Map<String, Long> sent() {
        return statuses.stream().map(Received::status)
                .filter(s -> s.getStatus() == MessageStatus.SENT && s.getProviderStatus() == null)
                .collect(Collectors.groupingBy(DeliveryStatus::getMessageId, Collectors.counting()));
    }

    private static MediaAccepted accepted(String messageId, String conversation) {
        MediaRef media = MediaRef.newBuilder().setMediaId("media-" + messageId).setConversationId(conversation)
                .setChannel(Channel.WHATSAPP).setDirection(Direction.OUTBOUND).setSize(10).setSha256("00".repeat(32))
                .setStorage(StorageLocation.newBuilder().setBucket("media").setKey("t/" + messageId).build()).build();
        OutboundMessage message = OutboundMessage.newBuilder().setMessageId(messageId).setFrom("+15550001111")
                .setTo("+15551118002").setKind(MediaKind.IMAGE).build();
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
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "recovery-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroDeserializer deserializer = new AvroDeserializer();
        deserializer.configure(config, false);
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                (Deserializer) deserializer)) {
            consumer.subscribe(List.of(Topics.MESSAGE_STATUS_NAME, Topics.SEND_RETRY_NAME));
            while (consuming) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof DeliveryStatus status) {
                        statuses.add(new Received(status, Instant.now()));
                    } else if (record.value() instanceof MediaAccepted && Topics.SEND_RETRY_NAME.equals(record.topic())) {
                        retried.add(record);
                    }
                }
            }
        }
    }
}
