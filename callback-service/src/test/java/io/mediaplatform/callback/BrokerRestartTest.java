package io.mediaplatform.callback;

import io.mediaplatform.common.security.ApiKeyRegistry;
import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.embedded.EmbeddedPostgresServer;
import io.mediaplatform.embedded.EmbeddedSchemaRegistry;
import io.mediaplatform.embedded.KafkaServerProcess;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.schemas.serde.AvroSerializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No status is lost across a broker restart (docs/ARCHITECTURE.md §6): a running callback-service on Apache Kafka's own
 * server ({@link KafkaServerProcess}, data on disk), stopped and started again on the same port and data directory,
 * with the Schema Registry on that broker's {@code _schemas} topic, a real PostgreSQL and a real webhook receiver.
 * Statuses published before the stop, while the broker is down (buffered by an idempotent {@code acks=all}
 * producer) and after the start are all recorded, and every client webhook for them is delivered once.
 *
 * <p>Not on {@link CallbackServiceTestBase}: that context's broker cannot be restarted. This class starts its own
 * broker, registry and service instance (on its own database) and stops them when done.
 */
class BrokerRestartTest {

    private static final String TENANT = "tenant-restart";
    private static final String KEY = "mpk_test_broker_restart";
    private static final String SECRET = StandardWebhooks.newSecret();
    private static final Duration AWAIT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");

    private static Path kafkaDir;
    private static KafkaServerProcess kafka;
    private static EmbeddedSchemaRegistry registry;
    private static ConfigurableApplicationContext service;
    private static KafkaProducer<String, Object> producer;
    private static WebhookReceiver receiver;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startBrokerRegistryAndService() throws IOException, SQLException {
        kafkaDir = Files.createTempDirectory("callback-broker-restart-");
        kafka = new KafkaServerProcess(kafkaDir, 0, 0).start();
        TopicProvisioner.createAll(kafka.bootstrapServers(), 1, (short) 1);
        registry = new EmbeddedSchemaRegistry(kafka.bootstrapServers(), 0).start();
        receiver = new WebhookReceiver();

        EmbeddedPostgresServer postgres = SharedTestInfra.postgres();
        String database = "callback_broker_restart_" + UUID.randomUUID().toString().replace("-", "");
        try (var connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        service = CallbackApplication.builder().run(
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--platform.kafka.schema-registry-url=" + registry.url(),
                "--spring.datasource.url=jdbc:postgresql://localhost:" + postgres.port() + "/" + database,
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.kafka.consumer.group-id=callback-broker-restart",
                "--server.port=0",
                "--platform.security.api-keys=" + TENANT + ":" + ApiKeyRegistry.sha256Hex(KEY) + ":messages:read",
                "--platform.outbound.allow-hosts=127.0.0.1",
                "--callback.webhooks.secrets=" + TENANT + ":" + SECRET,
                "--callback.webhooks.retry-schedule=0s,200ms,200ms",
                "--callback.webhooks.poll-interval=50ms");

        // An upstream producer as dispatch and ingest have them: acks=all, idempotent, and patient enough to keep
        // what it is given while the broker is down. It keeps the metadata it has (no re-bootstrap, which would
        // forget the topics and make send() block for metadata instead of buffering) until the broker is back.
        producer = new KafkaProducer<>(Map.of(
                CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none",
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                SerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
    }

    @AfterAll
    static void stopAll() throws IOException {
        // The service and the clients first, while the broker still answers, so none waits on a dead broker
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (service != null) {
            service.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (kafkaDir != null) {
            try (Stream<Path> paths = Files.walk(kafkaDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void records_and_tells_the_client_every_status_published_before_during_and_after_a_broker_restart() throws Exception {
        // Given a message accepted and QUEUED while the broker runs, both recorded and told to the client
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        sends.add(accepted(first, 0));
        awaitAcknowledged(sends);
        await().atMost(AWAIT).untilAsserted(() -> assertThat(history(first)).containsExactly("ACCEPTED"));
        sends.add(status(first, MessageStatus.QUEUED, 1));
        awaitAcknowledged(sends);
        await().atMost(AWAIT).untilAsserted(() -> assertThat(history(first)).containsExactly("ACCEPTED", "QUEUED"));
        await().atMost(AWAIT).untilAsserted(() -> assertThat(told(first)).containsExactly("ACCEPTED", "QUEUED"));

        // When the broker stops, and statuses are published while it is down: SENT and DELIVERED of the first
        // message, and a second message accepted and QUEUED (the producer keeps them in its buffer)
        String bootstrapServers = kafka.bootstrapServers();
        kafka.close();
        assertThat(kafka.isAlive()).isFalse();
        List<Future<RecordMetadata>> buffered = new ArrayList<>();
        buffered.add(status(first, MessageStatus.SENT, 2));
        buffered.add(status(first, MessageStatus.DELIVERED, 3));
        buffered.add(accepted(second, 10));
        buffered.add(status(second, MessageStatus.QUEUED, 11));
        assertThat(buffered).noneMatch(Future::isDone);
        // (the service still answers from its database meanwhile)
        assertThat(history(first)).containsExactly("ACCEPTED", "QUEUED");

        // And the broker starts again on the same port and data directory, and more statuses follow
        kafka.restart();
        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapServers);
        awaitAcknowledged(buffered);
        List<Future<RecordMetadata>> after = new ArrayList<>();
        after.add(status(first, MessageStatus.READ, 4));
        after.add(status(second, MessageStatus.SENT, 12));
        after.add(status(second, MessageStatus.FAILED, 13));
        awaitAcknowledged(after);

        // Then the running service recorded every status of both messages, complete and in order
        await().atMost(AWAIT).untilAsserted(() -> {
            assertThat(history(first)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ");
            assertThat(history(second)).containsExactly("ACCEPTED", "QUEUED", "SENT", "FAILED");
        });
        assertThat(message(first).path("status").asString()).isEqualTo("READ");
        assertThat(message(second).path("status").asString()).isEqualTo("FAILED");
        assertThat(message(second).path("reason").asString()).isEqualTo("RECIPIENT_UNREACHABLE");

        // And the client was told of each status exactly once, signed, with the transition it made
        await().atMost(AWAIT).untilAsserted(() -> {
            assertThat(deliveryStates(first)).hasSize(5).containsOnly("DELIVERED");
            assertThat(deliveryStates(second)).hasSize(4).containsOnly("DELIVERED");
        });
        assertThat(told(first)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ");
        assertThat(told(second)).containsExactly("ACCEPTED", "QUEUED", "SENT", "FAILED");
        assertThat(transitions(first)).containsExactly(
                "-> ACCEPTED", "ACCEPTED -> QUEUED", "QUEUED -> SENT", "SENT -> DELIVERED", "DELIVERED -> READ");
        // (the second message's ACCEPTED and QUEUED came on two topics at once: either may be recorded first)
        assertThat(transitions(second).getLast()).isEqualTo("SENT -> FAILED");
        for (String messageId : List.of(first, second)) {
            List<WebhookReceiver.Received> hooks = receiver.received(path(messageId));
            assertThat(hooks).allSatisfy(hook -> assertThat(StandardWebhooks.verify(SECRET, hook.headers().get("webhook-id"),
                    hook.headers().get("webhook-timestamp"), hook.body(), hook.headers().get("webhook-signature"),
                    Instant.now(), Duration.ofMinutes(5))).isTrue());
            assertThat(hooks).extracting(hook -> hook.headers().get("webhook-id")).doesNotHaveDuplicates();
        }
    }

    // --- publishing -------------------------------------------------------------------------------------------

    private Future<RecordMetadata> accepted(String messageId, int second) {
        MediaReceived event = MediaReceived.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(T0.plusSeconds(second)).setTenantId(TENANT).setMedia(TestEvents.media(messageId))
                .setMessage(TestEvents.outbound(messageId, "ext-" + messageId, null,
                        List.of(receiver.url(path(messageId)))))
                .build();
        return producer.send(new ProducerRecord<>(Topics.MEDIA_RECEIVED_NAME, "conv-" + messageId, event));
    }

    private Future<RecordMetadata> status(String messageId, MessageStatus status, int second) {
        DeliveryStatus event = TestEvents.statusEvent(TENANT, messageId, status, T0.plusSeconds(second), "wamid." + messageId,
                status == MessageStatus.FAILED ? "recipient_unreachable" : null);
        return producer.send(new ProducerRecord<>(Topics.MESSAGE_STATUS_NAME, "conv-" + messageId, event));
    }

    private static void awaitAcknowledged(List<Future<RecordMetadata>> sends) throws InterruptedException {
        await().atMost(AWAIT).until(() -> sends.stream().allMatch(Future::isDone));
        for (Future<RecordMetadata> send : sends) {
            try {
                assertThat(send.get().offset()).isNotNegative();
            } catch (ExecutionException e) {
                throw new AssertionError("the broker did not take a record: " + e.getCause(), e.getCause());
            }
        }
    }

    // --- reading what the service did -------------------------------------------------------------------------

    private static String path(String messageId) {
        return "/broker-restart/" + messageId;
    }

    private JsonNode message(String messageId) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + service.getEnvironment().getProperty("local.server.port") + "/v1/messages/" + messageId))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? json.readTree(response.body()) : json.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> history(String messageId) {
        return TestEvents.texts(message(messageId).path("history"), "status");
    }

    /** The webhook bodies the receiver got for the message, in the order of the statuses' times. */
    private List<JsonNode> hooks(String messageId) {
        return receiver.received(path(messageId)).stream().map(hook -> json.readTree(hook.body()).path("data"))
                .sorted(Comparator.comparing(data -> Instant.parse(data.path("at").asString())))
                .toList();
    }

    private List<String> told(String messageId) {
        return hooks(messageId).stream().map(data -> data.path("status").asString()).toList();
    }

    private List<String> transitions(String messageId) {
        return hooks(messageId).stream().map(data -> (data.path("previousStatus").isMissingNode() ? ""
                : data.path("previousStatus").asString() + " ") + "-> " + data.path("currentStatus").asString()).toList();
    }

    private static List<String> deliveryStates(String messageId) {
        return service.getBean(JdbcClient.class).sql("SELECT status FROM webhook_deliveries WHERE message_id = ?")
                .params(messageId).query(String.class).list();
    }
}
