package io.mediaplatform.schemas.topics;

import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of docs/ARCHITECTURE.md §3 on the topic catalogue and its value schemas. */
class TopicsTest {

    private static final Pattern NAME = Pattern.compile("[a-z]+(-[a-z]+)*\\.[a-z]+(-[a-z]+)*\\.v[1-9][0-9]*");

    @Test
    void namesFollowDomainEventMajorVersion() {
        // Given the catalogue
        // When its names are checked
        // Then each is <domain>.<event>.v<major>, and no two are the same
        assertThat(Topics.ALL).extracting(Topic::name).allSatisfy(name -> assertThat(name).matches(NAME)).doesNotHaveDuplicates();
    }

    @Test
    void everyTopicHasADeadLetterTwin() {
        // Given the catalogue
        // When the names to create are listed
        List<String> toCreate = Topics.allNamesWithDlt();

        // Then each topic comes with its .dlt twin, which leads back to the topic
        assertThat(Topics.ALL).allSatisfy(topic -> {
            assertThat(topic.dlt()).isEqualTo(topic.name() + ".dlt");
            assertThat(toCreate).contains(topic.name(), topic.dlt());
            assertThat(Topics.byName(topic.dlt())).contains(topic);
        });
        assertThat(toCreate).hasSize(Topics.ALL.size() * 2);
    }

    @Test
    void onlyTheInboxSettingsTopicIsCompacted() {
        // Given the catalogue
        // When the compacted topics are picked
        // Then it is exactly the inbox media settings
        assertThat(Topics.ALL).filteredOn(Topic::compacted).containsExactly(Topics.INBOX_MEDIA_SETTINGS);
    }

    @Test
    void everyFieldOfEveryValueSchemaHasADoc() {
        // Given every field of every value schema, nested records included
        List<String> undocumented = new ArrayList<>();

        // When the docs are checked
        forEachField((path, field) -> {
            if (field.doc() == null || field.doc().isBlank()) {
                undocumented.add(path);
            }
        });

        // Then none is missing
        assertThat(undocumented).isEmpty();
    }

    @Test
    void everyOptionalFieldDefaultsToNull() {
        // Given every field whose type is a union with null
        List<String> wrong = new ArrayList<>();

        // When their defaults are checked
        forEachField((path, field) -> {
            Schema type = field.schema();
            boolean optional = type.getType() == Schema.Type.UNION
                    && type.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
            if (optional && !(field.hasDefaultValue() && field.defaultVal() == JsonProperties.NULL_VALUE)) {
                wrong.add(path);
            }
        });

        // Then each has default null (so adding such a field never breaks readers)
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyEnumHasADefaultSymbolForSymbolsAddedLater() {
        // Given every enum used by a value schema
        List<String> withoutDefault = new ArrayList<>();

        // When their defaults are checked
        forEachField((path, field) -> {
            for (Schema type : branches(field.schema())) {
                if (type.getType() == Schema.Type.ENUM && type.getEnumDefault() == null) {
                    withoutDefault.add(path + " (" + type.getFullName() + ")");
                }
            }
        });

        // Then each has one, so an older reader survives a new symbol
        assertThat(withoutDefault).isEmpty();
    }

    /** Calls {@code check} with a dotted path for every field reachable from every topic's value schema. */
    private static void forEachField(FieldCheck check) {
        for (Topic<?> topic : Topics.ALL) {
            Schema value = SpecificData.get().getSchema(topic.valueType());
            walk(value, value.getName(), new HashSet<>(), field -> check.accept(field.path, field.field));
        }
    }

    private static void walk(Schema schema, String path, Set<String> seen, Consumer<PathField> visit) {
        for (Schema type : branches(schema)) {
            if (type.getType() == Schema.Type.RECORD && seen.add(path + "|" + type.getFullName())) {
                for (Schema.Field field : type.getFields()) {
                    String fieldPath = path + "." + field.name();
                    visit.accept(new PathField(fieldPath, field));
                    walk(field.schema(), fieldPath, seen, visit);
                }
            }
        }
    }

    /** The schema itself, the branches of a union, the items of an array, the values of a map. */
    private static List<Schema> branches(Schema schema) {
        return switch (schema.getType()) {
            case UNION -> schema.getTypes().stream().flatMap(t -> branches(t).stream()).toList();
            case ARRAY -> branches(schema.getElementType());
            case MAP -> branches(schema.getValueType());
            default -> List.of(schema);
        };
    }

    private record PathField(String path, Schema.Field field) {
    }

    @FunctionalInterface
    private interface FieldCheck {
        void accept(String path, Schema.Field field);
    }
}
