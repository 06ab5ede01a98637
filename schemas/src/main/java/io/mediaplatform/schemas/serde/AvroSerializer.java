package io.mediaplatform.schemas.serde;

import io.mediaplatform.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Writes generated Avro records in the Confluent wire format: magic byte 0, the 4-byte schema id from the
 * registry (subject {@code <topic>-value}), then Avro binary. Plain {@code byte[]} values pass through
 * unchanged, so the same serializer can republish raw records to a dead-letter topic.
 */
public class AvroSerializer implements Serializer<Object> {

    private SchemaRegistryClient registry;
    private boolean autoRegister = true;
    private boolean isKey;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SerdeConfig.client(configs);
        Object auto = configs.get(SerdeConfig.AUTO_REGISTER);
        this.autoRegister = auto == null || Boolean.parseBoolean(auto.toString());
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        if (data instanceof byte[] raw) {
            return raw;
        }
        if (!(data instanceof SpecificRecord record)) {
            throw new SerializationException("Not an Avro record: " + data.getClass().getName());
        }
        Schema schema = record.getSchema();
        String subject = topic + (isKey ? "-key" : "-value");
        try {
            int id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(SerdeConfig.MAGIC);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not serialize " + schema.getFullName() + " for " + topic + ": " + e.getMessage(), e);
        }
    }
}
