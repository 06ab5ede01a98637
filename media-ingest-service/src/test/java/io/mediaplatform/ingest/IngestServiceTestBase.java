package io.mediaplatform.ingest;

import io.mediaplatform.common.security.ApiKeyRegistry;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.AvroSerializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Runs the real service against a real KRaft broker, the embedded Schema Registry and the embedded S3 server;
 * one Spring context shared by every service test class (same configuration, so Spring caches it). Customers' media is
 * fetched through the real channel-dispatch-service ({@link TestDispatch}, one per JVM on the same broker), which holds
 * the provider simulators' credentials.
 */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + IngestApplication.CONFIG_NAME)
public abstract class IngestServiceTestBase {

    protected static final String TENANT_A = "acme";
    protected static final String TENANT_B = "globex";
    protected static final String KEY_A = "test-key-acme-" + UUID.randomUUID();
    protected static final String KEY_B = "test-key-globex-" + UUID.randomUUID();
    /** Tenant A's key with media:read only. */
    protected static final String KEY_A_READ_ONLY = "test-key-acme-ro-" + UUID.randomUUID();
    protected static final long MAX_UPLOAD = 1024 * 1024;
    /** A tenant whose media is kept one second (MEDIA_RETENTION_TENANTS), for the retention sweeper. */
    protected static final String TENANT_SHORT = "shortlived";
    protected static final String KEY_SHORT = "test-key-short-" + UUID.randomUUID();
    /** Total deadline of one fetch in tests (INGEST_FETCH_TOTAL_TIMEOUT). */
    protected static final Duration FETCH_TOTAL_TIMEOUT = Duration.ofSeconds(4);
    /** Largest customer media fetched in tests (INBOUND_MAX_SIZE). */
    protected static final long INBOUND_MAX_SIZE = 2L * 1024 * 1024;

    /** The one browser origin allowed to call the API cross-origin (INGEST_CORS_ALLOWED_ORIGINS): a console's. */
    protected static final String CONSOLE_ORIGIN = "http://console.example:8083";

    /** {@code LINK_SIGNING_KEY} of ingest and of the test's dispatch (ingest signs its inbound-media requests with it). */
    protected static final String LINK_SIGNING_KEY = "test-link-signing-key-shared-with-dispatch-0123";

    protected static final EmbeddedKafkaKraftBroker BROKER;

    static {
        BROKER = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
        // the test's dispatch writes in Kafka transactions: their state log needs a replication factor of 1 here
        BROKER.brokerProperty("transaction.state.log.replication.factor", "1");
        BROKER.brokerProperty("transaction.state.log.min.isr", "1");
        BROKER.afterPropertiesSet();
        TopicProvisioner.createAll(BROKER.getBrokersAsString(), 3, (short) 1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            TestDispatch.stop();
            BROKER.destroy();
        }, "test-broker-shutdown"));
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        serviceProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    /** The settings of the shared service context, for a test that starts another instance beside it. */
    protected static Map<String, String> serviceProperties() {
        Map<String, String> properties = new LinkedHashMap<>(SharedTestInfra.springProperties(BROKER.getBrokersAsString()));
        properties.putAll(SharedTestInfra.databaseProperties());
        properties.put("platform.security.api-keys", TENANT_A + ":" + ApiKeyRegistry.sha256Hex(KEY_A) + ";"
                + TENANT_B + ":" + ApiKeyRegistry.sha256Hex(KEY_B) + ";"
                + TENANT_A + ":" + ApiKeyRegistry.sha256Hex(KEY_A_READ_ONLY) + ":media:read;"
                + TENANT_SHORT + ":" + ApiKeyRegistry.sha256Hex(KEY_SHORT));
        properties.put("ingest.max-upload-size", MAX_UPLOAD + "B");
        // Only the name "localhost" is allow-listed: every spelling of 127.0.0.1 must still be refused.
        properties.put("platform.outbound.allow-hosts", "localhost");
        properties.put("platform.kafka.retry-backoff", "50ms");
        properties.put("platform.outbound.connect-timeout", "1s");
        properties.put("platform.outbound.read-timeout", "2s");
        properties.put("ingest.fetch.total-timeout", FETCH_TOTAL_TIMEOUT.toMillis() + "ms");
        properties.put("ingest.retention.tenants", TENANT_SHORT + ":1s");
        properties.put("ingest.links.signing-key", LINK_SIGNING_KEY);
        properties.put("ingest.cors.allowed-origins", CONSOLE_ORIGIN + "/");
        // tenant B sends approved assets only (ASSETS_APPROVAL_TENANTS)
        properties.put("ingest.assets.approval-tenants", TENANT_B);
        // Inbound media: fetched through the real dispatch, whose provider credentials are the simulators' (WhatsApp,
        // Twilio, the notification API); ingest has none. Short backoff and hop.
        properties.put("ingest.inbound.dispatch-url", TestDispatch.url(BROKER.getBrokersAsString()));
        properties.put("ingest.inbound.fetch-backoff", "200ms");
        properties.put("ingest.inbound.retry-hop", "100ms");
        properties.put("ingest.inbound.max-size", INBOUND_MAX_SIZE + "B");
        return properties;
    }

    @LocalServerPort
    protected int port;

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    protected final JsonMapper json = JsonMapper.builder().build();

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    protected HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    protected HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<byte[]> get(String path, String apiKey) {
        return send(request(path, apiKey).GET().build());
    }

    protected HttpResponse<byte[]> postJson(String path, String apiKey, String body, String... headers) {
        HttpRequest.Builder builder = request(path, apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.build());
    }

    protected JsonNode json(HttpResponse<byte[]> response) {
        return json.readTree(response.body());
    }

    // ---- uploads ----

    /** One part of a multipart body: a text field when {@code fileName} and {@code contentType} are null. */
    protected record Part(String name, String fileName, String contentType, byte[] content) {
        public static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }

        public static Part file(String fileName, String contentType, byte[] content) {
            return new Part("file", fileName, contentType, content);
        }
    }

    protected HttpResponse<byte[]> uploadMultipart(String apiKey, Part... parts) {
        return send(multipartUpload(uri("/v1/media"), apiKey, parts).build());
    }

    /** A multipart upload to {@code target} (e.g. another instance's {@code /v1/media}). */
    protected static HttpRequest.Builder multipartUpload(URI target, String apiKey, Part... parts) {
        String boundary = "----test" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(part.name()).append('"');
            if (part.fileName() != null) {
                head.append("; filename=\"").append(part.fileName()).append('"');
            }
            head.append("\r\n");
            if (part.contentType() != null) {
                head.append("Content-Type: ").append(part.contentType()).append("\r\n");
            }
            head.append("\r\n");
            body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            body.writeBytes(part.content());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    /** Uploads {@code content} as a PNG of conversation {@code conversationId} on WhatsApp; answers the media id. */
    protected String uploadPng(String apiKey, String conversationId, byte[] content) {
        HttpResponse<byte[]> response = uploadMultipart(apiKey, Part.field("conversationId", conversationId),
                Part.field("channel", "whatsapp"), Part.file("photo.png", "image/png", content));
        if (response.statusCode() != 201) {
            throw new AssertionError("upload failed: " + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return json(response).get("mediaId").asString();
    }

    protected static byte[] pngBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(magic, 0, bytes, 0, Math.min(magic.length, size));
        return bytes;
    }

    protected static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- Kafka ----

    protected static String schemaRegistryUrl() {
        return SharedTestInfra.schemaRegistry(BROKER.getBrokersAsString()).url();
    }

    /** Reads {@code topic} from the beginning until a record matches, or fails after 30 s. */
    @SuppressWarnings("unchecked")
    protected static <V> ConsumerRecord<String, V> awaitRecord(String topic, Predicate<ConsumerRecord<String, V>> match) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                SerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plusSeconds(30);
            List<String> seen = new ArrayList<>();
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(250))) {
                    seen.add(String.valueOf(record.key()));
                    if (match.test((ConsumerRecord<String, V>) (ConsumerRecord<?, ?>) record)) {
                        return (ConsumerRecord<String, V>) (ConsumerRecord<?, ?>) record;
                    }
                }
            }
            throw new AssertionError("No matching record on " + topic + " within 30 s; keys seen: " + seen);
        }
    }

    /** Like {@link #awaitRecord} but the record's value type is checked. */
    protected static <V extends SpecificRecord> V awaitEvent(String topic, Class<V> type, Predicate<V> match) {
        ConsumerRecord<String, Object> record = awaitRecord(topic, r -> type.isInstance(r.value()) && match.test(type.cast(r.value())));
        return type.cast(record.value());
    }

    protected static void publish(String topic, String key, SpecificRecord value) {
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(avroProducerConfig())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes {@code values} under one key with one producer, in order, and waits until the broker has them. */
    protected static void publishAll(String topic, String key, List<? extends SpecificRecord> values) {
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(avroProducerConfig())) {
            values.forEach(value -> producer.send(new ProducerRecord<>(topic, key, value)));
            producer.flush();
        }
    }

    private static Map<String, Object> avroProducerConfig() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                SerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
    }

    private static KafkaConsumer<String, String> offsetReader;

    /** Sum of the end offsets of every partition of {@code topic}: grows by one per record written. */
    protected static synchronized long endOffsets(String topic) {
        if (offsetReader == null) {
            offsetReader = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString(),
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        }
        List<org.apache.kafka.common.TopicPartition> partitions = offsetReader.partitionsFor(topic).stream()
                .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
        return offsetReader.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    protected static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }
}
