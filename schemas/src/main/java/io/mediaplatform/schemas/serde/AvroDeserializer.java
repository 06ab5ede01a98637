package io.mediaplatform.schemas.serde;

import io.mediaplatform.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the Confluent wire format into the generated Avro class named by the writer schema, resolving the
 * writer schema (from the registry, by id) against the reader schema compiled into this build, so a
 * consumer reads records written by older and newer producers alike. Anything that is not the wire format
 * throws {@link SerializationException}; wrap this in Spring Kafka's ErrorHandlingDeserializer so such a
 * record goes to the dead-letter topic instead of blocking the partition.
 */
public class AvroDeserializer implements Deserializer<SpecificRecord> {

    private SchemaRegistryClient registry;
    private final Map<Integer, SpecificDatumReader<SpecificRecord>> readers = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SerdeConfig.client(configs);
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < 5 || data[0] != SerdeConfig.MAGIC) {
            throw new SerializationException("Record on " + topic + " is not in the Schema Registry wire format (magic byte 0 + schema id)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        buffer.get();
        int id = buffer.getInt();
        try {
            SpecificDatumReader<SpecificRecord> reader = readers.computeIfAbsent(id, this::readerFor);
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null);
            return reader.read(null, decoder);
        } catch (RuntimeException | java.io.IOException e) {
            throw new SerializationException("Could not read record with schema id " + id + " on " + topic + ": " + e.getMessage(), e);
        }
    }

    private SpecificDatumReader<SpecificRecord> readerFor(int id) {
        Schema writer = registry.schemaById(id);
        Class<?> type = SpecificData.get().getClass(writer);
        if (type == null) {
            throw new SerializationException("No generated class for " + writer.getFullName() + " (schema id " + id + ")");
        }
        Schema reader = SpecificData.get().getSchema(type);
        return new SpecificDatumReader<>(writer, reader);
    }
}
