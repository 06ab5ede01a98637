package io.mediaplatform.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The schema registry's records on its topic in Confluent's key and value format: a record read back applied to the
 * state, and the keys of new ones.
 */
final class SchemaRecords {

    private static final Logger log = LoggerFactory.getLogger(SchemaRecords.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaRecords() {
    }

    /** Applies one record read back from the topic to the state; an unreadable one is skipped. */
    static void apply(RegistryState state, String key, String value) {
        try {
            JsonNode k = JSON.readTree(key);
            switch (k.path("keytype").asText()) {
                case "SCHEMA" -> {
                    String subject = k.path("subject").asText();
                    int version = k.path("version").asInt();
                    JsonNode v = value == null ? null : JSON.readTree(value);
                    if (v == null || v.path("deleted").asBoolean(false)) {
                        state.applySchema(subject, version, 0, null);
                    } else {
                        state.applySchema(subject, version, v.path("id").asInt(),
                                new Schema.Parser().parse(v.path("schema").asText()));
                    }
                }
                case "CONFIG" -> {
                    JsonNode subject = k.get("subject");
                    CompatibilityLevel level = value == null ? null
                            : CompatibilityLevel.parse(JSON.readTree(value).path("compatibilityLevel").asText()).orElse(null);
                    state.applyConfig(subject == null || subject.isNull() ? null : subject.asText(), level);
                }
                default -> {
                    // NOOP, DELETE_SUBJECT and other Confluent key types carry nothing this registry uses
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Skipping unreadable record in {}: key {}: {}", EmbeddedSchemaRegistry.TOPIC, key, e.toString());
        }
    }

    /** The key of a schema version's record. */
    static String schemaKey(String subject, int version) {
        return JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version)
                .put("magic", 1).toString();
    }

    /** The key of a compatibility setting's record (a null subject: the global one). */
    static String configKey(String subject) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        return key.put("magic", 0).toString();
    }
}
