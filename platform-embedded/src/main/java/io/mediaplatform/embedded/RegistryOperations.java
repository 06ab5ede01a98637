package io.mediaplatform.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What each schema registry endpoint does to the state: register, look up, list and read versions, read by id, get
 * and set compatibility levels, test compatibility; every change appended to the topic before it is applied.
 */
final class RegistryOperations {

    private static final Logger log = LoggerFactory.getLogger(RegistryOperations.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryState state;
    private final SchemaLog schemaLog;
    /** Serialises every change: check, append to the topic, apply. */
    private final Object writeLock = new Object();

    RegistryOperations(RegistryState state, SchemaLog schemaLog) {
        this.state = state;
        this.schemaLog = schemaLog;
    }

    JsonNode register(String subject, Schema schema) {
        synchronized (writeLock) {
            Optional<RegistryState.Registered> existing = state.find(subject, schema);
            if (existing.isPresent()) {
                return JSON.createObjectNode().put("id", existing.get().id());
            }
            CompatibilityLevel level = state.effectiveLevel(subject);
            List<String> problems = level.problems(schema, state.schemasNewestFirst(subject));
            if (!problems.isEmpty()) {
                throw new RegistryError(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                        + subject + "\" (" + level + "), details: " + problems);
            }
            int id = state.idFor(schema);
            int version = state.nextVersion(subject);
            ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                    .put("schema", schema.toString()).put("deleted", false);
            schemaLog.append(SchemaRecords.schemaKey(subject, version), value.toString());
            state.applySchema(subject, version, id, schema);
            log.info("Registered {} version {} as id {}", subject, version, id);
            return JSON.createObjectNode().put("id", id);
        }
    }

    JsonNode lookup(String subject, Schema schema) {
        if (!state.hasSubject(subject)) {
            throw RegistryRequests.subjectNotFound(subject);
        }
        return describe(state.find(subject, schema)
                .orElseThrow(() -> new RegistryError(404, 40403, "Schema not found under subject '" + subject + "'")));
    }

    JsonNode versions(String subject) {
        List<Integer> versions = state.versions(subject);
        if (versions.isEmpty()) {
            throw RegistryRequests.subjectNotFound(subject);
        }
        return JSON.valueToTree(versions);
    }

    RegistryState.Registered version(String subject, String versionText) {
        int version = RegistryRequests.parseVersion(versionText);
        if (!state.hasSubject(subject)) {
            throw RegistryRequests.subjectNotFound(subject);
        }
        return state.version(subject, version)
                .orElseThrow(() -> new RegistryError(404, 40402, "Version " + versionText + " not found for subject '" + subject + "'"));
    }

    JsonNode schemaById(String idText) {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            throw new RegistryError(404, 40403, "Schema " + idText + " not found");
        }
        Schema schema = state.schemaById(id).orElseThrow(() -> new RegistryError(404, 40403, "Schema " + id + " not found"));
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    JsonNode getLevel(String subject, boolean defaultToGlobal) {
        if (subject == null) {
            return JSON.createObjectNode().put("compatibilityLevel", state.globalLevel().name());
        }
        CompatibilityLevel level = state.subjectLevel(subject)
                .or(() -> defaultToGlobal ? Optional.of(state.globalLevel()) : Optional.empty())
                .orElseThrow(() -> new RegistryError(404, 40408,
                        "Subject '" + subject + "' does not have subject-level compatibility configured"));
        return JSON.createObjectNode().put("compatibilityLevel", level.name());
    }

    JsonNode setLevel(String subject, JsonNode body) {
        String requested = body.path("compatibility").asText(null);
        CompatibilityLevel level = CompatibilityLevel.parse(requested)
                .orElseThrow(() -> new RegistryError(422, 42203, "Invalid compatibility level: " + requested
                        + "; valid values are " + Arrays.toString(CompatibilityLevel.values())));
        synchronized (writeLock) {
            schemaLog.append(SchemaRecords.configKey(subject), JSON.createObjectNode().put("compatibilityLevel", level.name()).toString());
            state.applyConfig(subject, level);
        }
        return JSON.createObjectNode().put("compatibility", level.name());
    }

    JsonNode testCompatibility(String subject, String versionText, Schema schema, boolean verbose) {
        int version = RegistryRequests.parseVersion(versionText);
        CompatibilityLevel level = state.effectiveLevel(subject);
        List<Schema> against;
        if (version == -1) {
            against = state.schemasNewestFirst(subject);
            if (!level.transitive() && !against.isEmpty()) {
                against = against.subList(0, 1);
            }
        } else {
            against = List.of(version(subject, versionText).schema());
        }
        List<String> problems = new ArrayList<>();
        for (Schema previous : against) {
            problems.addAll(level.problems(schema, List.of(previous)));
        }
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (verbose) {
            ArrayNode messages = answer.putArray("messages");
            problems.forEach(messages::add);
        }
        return answer;
    }

    static JsonNode describe(RegistryState.Registered registered) {
        return JSON.createObjectNode().put("subject", registered.subject()).put("version", registered.version())
                .put("id", registered.id()).put("schema", registered.schema().toString());
    }
}
