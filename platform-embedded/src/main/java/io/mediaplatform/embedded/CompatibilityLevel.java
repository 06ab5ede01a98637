package io.mediaplatform.embedded;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Schema Registry compatibility levels, decided by Avro's own {@link SchemaCompatibility}.
 * BACKWARD: the new schema reads data written with the old one. FORWARD: the old schema reads data
 * written with the new one. FULL: both. TRANSITIVE: against every earlier version, not only the latest.
 */
enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The level of that name (case-insensitive), or empty when there is none. */
    static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the check runs against every earlier version rather than the latest only. */
    boolean transitive() {
        return transitive;
    }

    /**
     * Why {@code candidate} may not follow {@code existing} at this level; empty when it may.
     *
     * @param candidate the schema being registered or tested
     * @param existing  the schemas to check against, newest first; only the first is used unless transitive
     */
    List<String> problems(Schema candidate, List<Schema> existing) {
        List<String> problems = new ArrayList<>();
        List<Schema> against = transitive ? existing : existing.stream().limit(1).toList();
        for (Schema previous : against) {
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous), "BACKWARD", problems);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate), "FORWARD", problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaPairCompatibility result, String direction, List<String> problems) {
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(direction + " " + incompatibility.getType() + " at '" + incompatibility.getLocation() + "': "
                    + incompatibility.getMessage());
        }
        if (result.getResult().getIncompatibilities().isEmpty()) {
            problems.add(direction + ": " + result.getDescription());
        }
    }
}
