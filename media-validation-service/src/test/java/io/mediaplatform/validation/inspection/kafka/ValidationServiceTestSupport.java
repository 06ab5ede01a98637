package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topic;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.ValidationApplication;
import io.mediaplatform.validation.antivirus.clamd.ClamdProcess;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One Spring context for every service test of the module (same properties, so Spring caches it): a real
 * KRaft broker, the embedded Schema Registry and S3 server, and, when {@code /usr/sbin/clamd} is installed, a
 * real clamd with an EICAR-only database. The answers on media.accepted.v1, media.rejected.v1 and
 * media.received.v1.dlt are read back by a read_committed consumer (what downstream services see).
 */
@SpringBootTest(classes = ValidationApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=" + ValidationApplication.CONFIG_NAME,
                "validation.antivirus.retry-backoff=300ms", "platform.kafka.retry-backoff=100ms",
                "validation.upstream-buckets=" + ValidationServiceTestSupport.UPSTREAM_BUCKET,
                // the tests' tenant converts images only, so the audio and video rules they test (an H.265 MP4
                // rejected for WhatsApp) stand as written; tenant-av takes the service's default (all with ffmpeg)
                "validation.auto-fit.tenants=" + ValidationServiceTestSupport.TENANT + "=images"})
abstract class ValidationServiceTestSupport {

    /** The tenant of the media the tests publish. */
    static final String TENANT = "tenant-a";
    /** A tenant with the service's auto-fit default (all where ffmpeg runs). */
    static final String AV_TENANT = "tenant-av";
    /** A bucket an upstream system keeps media in, which this service is allowed to read. */
    static final String UPSTREAM_BUCKET = "upstream-media";
    static final EmbeddedKafkaKraftBroker BROKER = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
    static final ClamdProcess CLAMD;
    static final List<ConsumerRecord<String, byte[]>> OUTPUT = new CopyOnWriteArrayList<>();
    static final KafkaConsumer<String, byte[]> OUTPUT_CONSUMER;
    private static AvroDeserializer avro;

    static {
        // one broker: the transaction log must live with one replica (as in the local stack's Kafka server)
        BROKER.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1", "transaction.state.log.num.partitions", "3"));
        BROKER.afterPropertiesSet();
        TopicProvisioner.createAll(BROKER.getBrokersAsString(), 3, (short) 1);
        CLAMD = ClamdProcess.installed() ? ClamdProcess.start() : null;
        OUTPUT_CONSUMER = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.MEDIA_ACCEPTED_NAME, Topics.MEDIA_REJECTED_NAME, Topics.MEDIA_RECEIVED.dlt())) {
            OUTPUT_CONSUMER.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        OUTPUT_CONSUMER.assign(partitions);
        OUTPUT_CONSUMER.seekToBeginning(partitions);
        StartupRaceFixture.publishBeforeTheServiceStarts(BROKER.getBrokersAsString());
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedTestInfra.springProperties(BROKER.getBrokersAsString()).forEach((key, value) -> registry.add(key, () -> value));
        if (CLAMD != null) {
            registry.add("validation.antivirus.host", () -> "127.0.0.1");
            registry.add("validation.antivirus.port", CLAMD::port);
        }
    }

    @Autowired
    EventPublisher publisher;
    @Autowired
    KafkaTemplate<Object, Object> template;
    @Autowired
    ObjectStorage storage;
    @Value("${platform.kafka.schema-registry-url}")
    String registryUrl;

    /** Publishes like an upstream producer would; this service's producer is transactional, so in a transaction. */
    <V extends SpecificRecord> void publish(Topic<V> topic, String key, V value) {
        template.executeInTransaction(operations -> {
            publisher.sendAndWait(topic, key, value);
            return null;
        });
    }

    StoredObject store(String file, String contentType) {
        return storeBytes(MediaFiles.bytes(file), contentType);
    }

    StoredObject storeBytes(byte[] bytes, String contentType) {
        return storage.put("tenant-a/" + UUID.randomUUID(), new ByteArrayInputStream(bytes), contentType, Map.of(), 64L << 20);
    }

    static OutboundMessage message(MediaKind kind, String caption, String fileName) {
        return OutboundMessage.newBuilder().setMessageId(UUID.randomUUID().toString()).setFrom("+15550001")
                .setTo("+15550002").setKind(kind).setCaption(caption).setFileName(fileName).build();
    }

    static MediaReceived received(StoredObject stored, Direction direction, String fileName, String contentType,
                                  String fetchFailure, OutboundMessage message) {
        MediaRef media = MediaRef.newBuilder()
                .setMediaId(UUID.randomUUID().toString())
                .setConversationId("conv-" + UUID.randomUUID())
                .setChannel(Channel.WHATSAPP)
                .setDirection(direction)
                .setDeclaredFileName(fileName)
                .setDeclaredContentType(contentType)
                .setSize(stored == null ? 0 : stored.size())
                .setSha256(stored == null ? "" : stored.sha256())
                .setStorage(stored == null ? null : new StorageLocation(stored.bucket(), stored.key(), stored.etag()))
                .build();
        return MediaReceived.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId(TENANT)
                .setMedia(media)
                .setMessage(message)
                .setFetchFailure(fetchFailure)
                .build();
    }

    /** Waits for the answer to that event on that topic and checks it is the only answer on any topic. */
    ConsumerRecord<String, byte[]> awaitAnswer(String topic, MediaReceived received) {
        Predicate<ConsumerRecord<String, byte[]>> answers = r -> r.topic().equals(topic)
                && receivedEventId(decode(r)).equals(received.getEventId());
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
            drain();
            return OUTPUT.stream().filter(r -> !r.topic().endsWith(".dlt")).anyMatch(answers);
        });
        List<ConsumerRecord<String, byte[]>> answersOnAnyTopic = answersTo(received.getEventId());
        assertThat(answersOnAnyTopic).as("exactly one answer").hasSize(1);
        return answersOnAnyTopic.getFirst();
    }

    /** Every answer (accepted or rejected) read so far to that received event. */
    List<ConsumerRecord<String, byte[]>> answersTo(String receivedEventId) {
        return OUTPUT.stream()
                .filter(r -> !r.topic().endsWith(".dlt"))
                .filter(r -> receivedEventId(decode(r)).equals(receivedEventId)).toList();
    }

    static String receivedEventId(SpecificRecord event) {
        return switch (event) {
            case MediaAccepted accepted -> accepted.getReceivedEventId();
            case MediaRejected rejected -> rejected.getReceivedEventId();
            default -> "";
        };
    }

    SpecificRecord decode(ConsumerRecord<String, byte[]> record) {
        synchronized (ValidationServiceTestSupport.class) {
            if (avro == null) {
                avro = new AvroDeserializer();
                avro.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
            }
        }
        return avro.deserialize(record.topic(), record.value());
    }

    static void drain() {
        synchronized (OUTPUT_CONSUMER) {
            OUTPUT_CONSUMER.poll(Duration.ofMillis(200)).forEach(OUTPUT::add);
        }
    }
}
