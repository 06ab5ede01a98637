package io.mediaplatform.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.schemas.registry.SchemaRegistryClient;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.AvroSerializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topic;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The schemas module's serde through the real registry, itself backed by a real broker. */
class AvroSerdeRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafkaKraftBroker broker;
    private static EmbeddedSchemaRegistry registry;
    private static AvroSerializer serializer;
    private static AvroDeserializer deserializer;

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
        broker.afterPropertiesSet();
        registry = new EmbeddedSchemaRegistry(broker.getBrokersAsString(), 0).start();
        serializer = new AvroSerializer();
        serializer.configure(serdeConfig(), false);
        deserializer = new AvroDeserializer();
        deserializer.configure(serdeConfig(), false);
    }

    @AfterAll
    static void stop() {
        registry.close();
        broker.destroy();
    }

    static Stream<Topic<?>> topics() {
        return Topics.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void readsBackEveryTopicsValueAsItWasWritten(Topic<?> topic) {
        // Given a realistic value of the topic's type
        SpecificRecord value = EventSamples.byType().get(topic.valueType());
        assertThat(value).as("sample for " + topic.valueType().getSimpleName()).isNotNull();

        // When it is serialized for the topic and deserialized again
        byte[] bytes = serializer.serialize(topic.name(), value);
        SpecificRecord read = deserializer.deserialize(topic.name(), bytes);

        // Then it is equal, of the generated class, and its schema is registered under the topic's value subject
        assertThat(read).isInstanceOf(topic.valueType()).isEqualTo(value);
        assertThat(bytes[0]).isEqualTo(SerdeConfig.MAGIC);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(new SchemaRegistryClient(registry.url(), null).lookup(topic.valueSubject(), value.getSchema())).isEqualTo(id);
    }

    @Test
    void deliversEveryTopicsValueThroughKafka() {
        // Given the platform's topics and a producer and consumer using the serde
        TopicProvisioner.createAll(broker.getBrokersAsString(), 3, (short) 1);
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();

        // When one value per topic is produced
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig())) {
            for (Topic<?> topic : Topics.ALL) {
                producer.send(new ProducerRecord<>(topic.name(), EventSamples.CONVERSATION,
                        EventSamples.byType().get(topic.valueType())));
            }
            producer.flush();
        }

        // Then the consumer reads each back as the generated class
        List<ConsumerRecord<String, SpecificRecord>> received = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(consumerConfig(),
                new StringDeserializer(), deserializer())) {
            consumer.subscribe(names);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                assertThat(received).hasSize(names.size());
            });
        }
        assertThat(received).allSatisfy(record -> assertThat(record.value())
                .isEqualTo(EventSamples.byType().get(Topics.byName(record.topic()).orElseThrow().valueType())));
    }

    @Test
    void refusesBytesThatAreNotTheWireFormat() {
        // Given bytes that are not magic byte + schema id + Avro
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);

        // When they are deserialized
        // Then a SerializationException says so (an ErrorHandlingDeserializer sends such records to the DLT)
        assertThatThrownBy(() -> deserializer.deserialize(Topics.MEDIA_RECEIVED_NAME, garbage))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("wire format");
    }

    @Test
    void refusesAnUnknownSchemaIdAndATruncatedBody() {
        // Given a wire-format header naming an id the registry never gave, and a valid record cut short
        byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();
        byte[] valid = serializer.serialize(Topics.MEDIA_RECEIVED_NAME, EventSamples.mediaReceived());
        byte[] truncated = Arrays.copyOf(valid, valid.length / 2);

        // When they are deserialized
        // Then both fail as SerializationException
        assertThatThrownBy(() -> deserializer.deserialize(Topics.MEDIA_RECEIVED_NAME, unknownId))
                .isInstanceOf(SerializationException.class).hasMessageContaining("987654");
        assertThatThrownBy(() -> deserializer.deserialize(Topics.MEDIA_RECEIVED_NAME, truncated))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void readsARecordWrittenWithAnOlderSchemaWithTheCurrentOne() throws Exception {
        // Given an older MediaReceived schema, before message and fetchFailure were added, registered for the topic
        Schema older = withoutFields(MediaReceived.getClassSchema(), "message", "fetchFailure");
        String topic = "media.received.older-writer.v1";
        int olderId = new SchemaRegistryClient(registry.url(), null).register(topic + "-value", older);

        // And a record an old producer wrote with it
        MediaReceived current = EventSamples.mediaReceived();
        byte[] bytes = wireFormat(olderId, older, asOlder(current, older));

        // When the current deserializer reads it
        SpecificRecord read = deserializer.deserialize(topic, bytes);

        // Then it is the current class with the new fields at their defaults
        MediaReceived expected = MediaReceived.newBuilder(current).setMessage(null).setFetchFailure(null).build();
        assertThat(read).isInstanceOf(MediaReceived.class).isEqualTo(expected);

        // And the current schema may follow the older one under BACKWARD compatibility
        assertThat(new SchemaRegistryClient(registry.url(), null).isCompatible(topic + "-value", MediaReceived.getClassSchema()))
                .isTrue();
    }

    private static Schema withoutFields(Schema schema, String... removed) throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
        ArrayNode fields = (ArrayNode) json.get("fields");
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (List.of(removed).contains(fields.get(i).get("name").asText())) {
                fields.remove(i);
            }
        }
        return new Schema.Parser().parse(json.toString());
    }

    /** The record as an old producer would have held it: a generic record of the older schema. */
    private static GenericRecord asOlder(MediaReceived current, Schema older) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<MediaReceived>(MediaReceived.getClassSchema()).write(current, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(MediaReceived.getClassSchema(), older)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static byte[] wireFormat(int id, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(SerdeConfig.MAGIC);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Map<String, Object> serdeConfig() {
        return Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
    }

    private static AvroDeserializer deserializer() {
        AvroDeserializer fresh = new AvroDeserializer();
        fresh.configure(serdeConfig(), false);
        return fresh;
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                SerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
    }

    private static Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "serde-round-trip",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }
}
