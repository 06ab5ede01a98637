package io.mediaplatform.schemas.topics;

import org.apache.avro.specific.SpecificRecord;

/**
 * One Kafka topic of the platform: its name, the Avro value type it carries, and whether it is compacted.
 * Keys are always strings (the conversation key, or tenantId/inboxId for settings).
 *
 * @param name      topic name, {@code <domain>.<event>.v<major>}
 * @param valueType generated Avro class of the value
 * @param compacted true for a compacted (latest value per key) topic
 * @param writer    the one component allowed to write the topic
 */
public record Topic<V extends SpecificRecord>(String name, Class<V> valueType, boolean compacted, String writer) {

    /** Suffix of every topic's dead-letter twin. */
    public static final String DLT_SUFFIX = ".dlt";

    /** Name of the dead-letter twin, where records that cannot be processed go with the reason in headers. */
    public String dlt() {
        return name + DLT_SUFFIX;
    }

    /** Schema Registry subject of the value (TopicNameStrategy). */
    public String valueSubject() {
        return name + "-value";
    }
}
