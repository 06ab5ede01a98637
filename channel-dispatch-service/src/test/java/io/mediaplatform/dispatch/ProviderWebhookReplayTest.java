package io.mediaplatform.dispatch;

import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.dispatch.send.core.Correlation;
import io.mediaplatform.dispatch.whatsapp.CallbackData;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.simulator.NotifySimulator;
import io.mediaplatform.simulator.TwilioSimulator;
import io.mediaplatform.simulator.WhatsAppSimulator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replay defence of the provider status webhooks over real HTTP, with {@code message.status.v1} read from a real
 * broker: for WhatsApp ({@code X-Hub-Signature-256}), Twilio ({@code X-Twilio-Signature}) and the notification API
 * (Standard Webhooks), a rightly signed webhook publishes one status, and the very same request sent again is
 * answered like the first (so the provider does not retry) and publishes nothing more. The notification API's
 * signed timestamp is also held to the tolerance: a rightly signed but stale callback is a 401 problem.
 *
 * <p>"Publishes nothing" is checked without waiting on a timer: the broker has one partition and every webhook
 * publishes before it is answered, so once a later webhook's status is read, any status of the earlier requests
 * would have been read before it.
 */
@SpringBootTest(classes = DispatchApplication.class, properties = "spring.config.name=dispatch",
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ProviderWebhookReplayTest {

    private static final String APP_SECRET = "replay-test-app-secret";
    private static final String TWILIO_TOKEN = "replay-test-twilio-token";
    private static final String NOTIFY_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("replay-test-notify-secret-32-bytes".getBytes(StandardCharsets.UTF_8));
    private static final int PORT = TestSupport.freePort();
    private static final String BASE = "http://127.0.0.1:" + PORT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final EmbeddedKafkaKraftBroker broker = TestSupport.broker(1);
    private static final List<ConsumerRecord<String, DeliveryStatus>> statuses = new CopyOnWriteArrayList<>();
    private static volatile boolean consuming = true;
    private static final Thread statusReader;

    static {
        TopicProvisioner.createAll(broker.getBrokersAsString(), 1, (short) 1);
        statusReader = Thread.ofPlatform().daemon().name("replay-status-reader")
                .start(ProviderWebhookReplayTest::readStatuses);
    }

    /** Stops the broker when the context stops, after everything in it that talks to Kafka. */
    @TestConfiguration(proxyBeanMethods = false)
    static class BrokerShutdown {
        @Bean
        SmartLifecycle embeddedBrokerShutdown() {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    running = true;
                }

                @Override
                public void stop() {
                    running = false;
                    broker.destroy();
                }

                @Override
                public boolean isRunning() {
                    return running;
                }

                @Override
                public int getPhase() {
                    return Integer.MIN_VALUE;
                }
            };
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // Kafka and the registry only: no provider is sent to, the webhooks are posted by the test
        registry.add("spring.kafka.bootstrap-servers", broker::getBrokersAsString);
        registry.add("platform.kafka.schema-registry-url",
                () -> SharedTestInfra.schemaRegistry(broker.getBrokersAsString()).url());
        registry.add("server.port", () -> PORT);
        registry.add("dispatch.public-url", () -> BASE);
        registry.add("dispatch.whatsapp.app-secret", () -> APP_SECRET);
        registry.add("dispatch.twilio.auth-token", () -> TWILIO_TOKEN);
        registry.add("dispatch.notify.webhook-secret", () -> NOTIFY_SECRET);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        consuming = false;
        statusReader.join(Duration.ofSeconds(5));
    }

    // ---------------------------------------------------------------- WhatsApp

    @Test
    void a_whatsapp_webhook_replayed_with_its_valid_signature_is_answered_200_and_publishes_nothing() throws Exception {
        // Given a status webhook rightly signed by Meta
        String messageId = UUID.randomUUID().toString();
        byte[] delivered = whatsAppWebhook(messageId, "delivered", 1_700_000_000L);
        String signature = WhatsAppSimulator.signature(APP_SECRET, delivered);

        // When it is posted, and its status is on the topic
        assertThat(postWhatsApp(delivered, signature).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.DELIVERED));

        // And the very same request is posted again
        HttpResponse<String> replay = postWhatsApp(delivered, signature);

        // Then it is answered 200, so Meta would not retry it
        assertThat(replay.statusCode()).isEqualTo(200);

        // And when a later, different status of the message follows and is read
        byte[] read = whatsAppWebhook(messageId, "read", 1_700_000_060L);
        assertThat(postWhatsApp(read, WhatsAppSimulator.signature(APP_SECRET, read)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.READ));

        // Then the replay published nothing in between: one DELIVERED, then READ
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.DELIVERED, MessageStatus.READ);
    }

    // ---------------------------------------------------------------- Twilio

    @Test
    void a_twilio_callback_replayed_with_its_valid_signature_is_answered_like_the_first_and_publishes_nothing()
            throws Exception {
        // Given a status callback rightly signed by Twilio over our callback URL
        String messageId = UUID.randomUUID().toString();
        String url = BASE + "/v1/providers/twilio/status?t=tenant-a&m=" + messageId + "&c=conv-" + messageId
                + "&to=%2B15552220001&ch=MMS";
        Map<String, String> delivered = twilioParams(messageId, "delivered");
        String signature = TwilioSimulator.signature(TWILIO_TOKEN, url, delivered);

        // When it is posted, and its status is on the topic
        assertThat(postTwilio(url, delivered, signature).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.DELIVERED));

        // And the very same request is posted again
        HttpResponse<String> replay = postTwilio(url, delivered, signature);

        // Then it is answered 204 like the first, so Twilio would not retry it
        assertThat(replay.statusCode()).isEqualTo(204);

        // And when a later, different status of the message follows and is read
        Map<String, String> read = twilioParams(messageId, "read");
        assertThat(postTwilio(url, read, TwilioSimulator.signature(TWILIO_TOKEN, url, read)).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.READ));

        // Then the replay published nothing in between
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.DELIVERED, MessageStatus.READ);
        assertThat(recordsOf(messageId).getFirst().value().getProviderMessageId()).isEqualTo("SM" + messageId);
    }

    // ---------------------------------------------------------------- notification API

    @Test
    void a_notification_api_callback_replayed_with_its_valid_signature_is_answered_like_the_first_and_publishes_nothing()
            throws Exception {
        // Given a status callback rightly signed the Standard Webhooks way, now
        String messageId = UUID.randomUUID().toString();
        String url = notifyUrl(messageId);
        String delivered = notifyBody(messageId, "DELIVERED", 1_763_892_000_000L);
        String id = "msg_" + UUID.randomUUID();
        long signedAt = Instant.now().getEpochSecond();
        String signature = NotifySimulator.signature(NOTIFY_SECRET, id, signedAt, delivered);

        // When it is posted, and its status is on the topic
        assertThat(postNotify(url, id, signedAt, delivered, signature).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.DELIVERED));

        // And the very same request is posted again (within the timestamp tolerance)
        HttpResponse<String> replay = postNotify(url, id, signedAt, delivered, signature);

        // Then it is answered 204 like the first, so the provider would not retry it
        assertThat(replay.statusCode()).isEqualTo(204);

        // And when a later, different status of the message follows and is read
        String read = notifyBody(messageId, "READ", 1_763_892_060_000L);
        String readId = "msg_" + UUID.randomUUID();
        long readAt = Instant.now().getEpochSecond();
        assertThat(postNotify(url, readId, readAt, read, NotifySimulator.signature(NOTIFY_SECRET, readId, readAt, read))
                .statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.READ));

        // Then the replay published nothing in between
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.DELIVERED, MessageStatus.READ);
    }

    @Test
    void a_notification_api_callback_with_a_valid_signature_over_a_stale_timestamp_is_a_401_problem_and_publishes_nothing()
            throws Exception {
        // Given a callback rightly signed, but ten minutes ago (beyond the default tolerance of five)
        String stale = UUID.randomUUID().toString();
        String body = notifyBody(stale, "DELIVERED", 1_763_892_000_000L);
        String id = "msg_" + UUID.randomUUID();
        long signedAt = Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond();

        // When it is posted
        HttpResponse<String> response = postNotify(notifyUrl(stale), id, signedAt, body,
                NotifySimulator.signature(NOTIFY_SECRET, id, signedAt, body));

        // Then it is a 401 problem naming the timestamp
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains(StandardWebhooks.TIMESTAMP_HEADER);

        // And when a fresh callback of another message follows and is read
        String fresh = UUID.randomUUID().toString();
        String freshBody = notifyBody(fresh, "DELIVERED", 1_763_892_000_000L);
        String freshId = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        assertThat(postNotify(notifyUrl(fresh), freshId, now, freshBody,
                NotifySimulator.signature(NOTIFY_SECRET, freshId, now, freshBody)).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> !statesOf(fresh).isEmpty());

        // Then the stale one was never published
        assertThat(statesOf(stale)).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] whatsAppWebhook(String messageId, String status, long timestamp) {
        String opaque = CallbackData.encode(new Correlation("tenant-a", messageId, "conv-" + messageId, "+15551110003"));
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",
                 "phone_number_id":"109876543210"},"statuses":[{"id":"wamid.replay-%s","status":"%s",
                 "timestamp":"%d","recipient_id":"15551110003","biz_opaque_callback_data":"%s"}]}}]}]}"""
                .formatted(messageId, status, timestamp, opaque).getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> postWhatsApp(byte[] body, String signature) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/v1/providers/whatsapp/status"))
                .header("Content-Type", "application/json")
                .header(WhatsAppSimulator.SIGNATURE_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> twilioParams(String messageId, String status) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + messageId);
        params.put("MessageStatus", status);
        params.put("AccountSid", "AC00000000000000000000000000000009");
        params.put("From", "+15550002222");
        params.put("To", "+15552220001");
        return params;
    }

    private static HttpResponse<String> postTwilio(String url, Map<String, String> params, String signature)
            throws Exception {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSimulator.SIGNATURE_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String notifyUrl(String messageId) {
        return BASE + "/v1/providers/notify/status?t=tenant-a&m=" + messageId + "&c=conv-" + messageId
                + "&to=%2B15553330001&ch=RCS";
    }

    private static String notifyBody(String messageId, String status, long timestampMillis) {
        return "{\"transactionId\":\"tx-" + messageId + "\",\"status\":\"" + status + "\",\"timestamp\":"
                + timestampMillis + "}";
    }

    private static HttpResponse<String> postNotify(String url, String id, long timestamp, String body, String signature)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header(StandardWebhooks.ID_HEADER, id)
                .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(StandardWebhooks.SIGNATURE_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<ConsumerRecord<String, DeliveryStatus>> recordsOf(String messageId) {
        return statuses.stream().filter(r -> messageId.equals(r.value().getMessageId())).toList();
    }

    private static List<MessageStatus> statesOf(String messageId) {
        return recordsOf(messageId).stream().map(r -> r.value().getStatus()).toList();
    }

    /** Reads message.status.v1 from the beginning into {@link #statuses} until the class is done. */
    private static void readStatuses() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "replay-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, SharedTestInfra.schemaRegistry(broker.getBrokersAsString()).url());
        AvroDeserializer avro = new AvroDeserializer();
        avro.configure(config, false);
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(), avro)) {
            consumer.subscribe(List.of(Topics.MESSAGE_STATUS_NAME));
            while (consuming) {
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof DeliveryStatus status) {
                        statuses.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(),
                                record.key(), status));
                    }
                }
            }
        }
    }
}
