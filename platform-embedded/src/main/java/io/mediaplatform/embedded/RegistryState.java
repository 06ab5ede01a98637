package io.mediaplatform.embedded;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's in-memory view of the {@code _schemas} topic: global schema ids, subjects and their versions,
 * compatibility levels. Schemas are compared with {@link Schema#equals}, i.e. by their parsed form, so two texts
 * of the same schema (other whitespace, other field order of JSON attributes, other docs) are one schema.
 * Every method is atomic; callers serialise writes themselves (read, check, append to the log, apply).
 */
final class RegistryState {

    /** One version of a subject. */
    record Registered(String subject, int version, int id, Schema schema) {
    }

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, TreeMap<Integer, Integer>> idsBySubjectAndVersion = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int maxId;

    /** Applies a schema record of the log; {@code schema} null (tombstone or soft delete) removes the version. */
    synchronized void applySchema(String subject, int version, int id, Schema schema) {
        if (schema == null) {
            TreeMap<Integer, Integer> versions = idsBySubjectAndVersion.get(subject);
            if (versions != null) {
                versions.remove(version);
                if (versions.isEmpty()) {
                    idsBySubjectAndVersion.remove(subject);
                }
            }
            return;
        }
        schemasById.putIfAbsent(id, schema);
        idsBySchema.putIfAbsent(schema, id);
        idsBySubjectAndVersion.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, id);
        maxId = Math.max(maxId, id);
    }

    /** Applies a config record of the log; {@code subject} null is the global level, {@code level} null resets. */
    synchronized void applyConfig(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level == null ? CompatibilityLevel.BACKWARD : level;
        } else if (level == null) {
            subjectLevels.remove(subject);
        } else {
            subjectLevels.put(subject, level);
        }
    }

    /** The version of {@code subject} holding {@code schema}, if it is registered there. */
    synchronized Optional<Registered> find(String subject, Schema schema) {
        TreeMap<Integer, Integer> versions = idsBySubjectAndVersion.get(subject);
        if (versions == null) {
            return Optional.empty();
        }
        Integer id = idsBySchema.get(schema);
        if (id == null) {
            return Optional.empty();
        }
        return versions.entrySet().stream()
                .filter(e -> e.getValue().equals(id))
                .findFirst()
                .map(e -> new Registered(subject, e.getKey(), id, schemasById.get(id)));
    }

    synchronized boolean hasSubject(String subject) {
        return idsBySubjectAndVersion.containsKey(subject);
    }

    synchronized Optional<Schema> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** Every subject with at least one version, sorted. */
    synchronized List<String> subjects() {
        return List.copyOf(idsBySubjectAndVersion.keySet());
    }

    /** The versions of the subject, ascending; empty when the subject is unknown. */
    synchronized List<Integer> versions(String subject) {
        TreeMap<Integer, Integer> versions = idsBySubjectAndVersion.get(subject);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    /** That version of the subject; {@code version} -1 means the latest. */
    synchronized Optional<Registered> version(String subject, int version) {
        TreeMap<Integer, Integer> versions = idsBySubjectAndVersion.get(subject);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        int wanted = version == -1 ? versions.lastKey() : version;
        Integer id = versions.get(wanted);
        return id == null ? Optional.empty() : Optional.of(new Registered(subject, wanted, id, schemasById.get(id)));
    }

    /** The subject's schemas, newest first. */
    synchronized List<Schema> schemasNewestFirst(String subject) {
        TreeMap<Integer, Integer> versions = idsBySubjectAndVersion.get(subject);
        List<Schema> schemas = new ArrayList<>();
        if (versions != null) {
            versions.descendingMap().values().forEach(id -> schemas.add(schemasById.get(id)));
        }
        return schemas;
    }

    /** The id the schema has (under any subject), or the next free global id. */
    synchronized int idFor(Schema schema) {
        Integer id = idsBySchema.get(schema);
        return id != null ? id : maxId + 1;
    }

    /** The version number a new schema of the subject gets. */
    synchronized int nextVersion(String subject) {
        TreeMap<Integer, Integer> versions = idsBySubjectAndVersion.get(subject);
        return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** The subject's own level, or the global one. */
    synchronized CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }
}
