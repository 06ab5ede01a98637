package io.mediaplatform.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaplatform.schemas.topics.Topic;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fails the build when a schema change breaks backward compatibility (docs/ARCHITECTURE.md §3): the value schema compiled into
 * this build must read every record written with the schemas of every earlier release. Released schemas are kept
 * under {@code src/test/resources/released/<version>/}; add a directory (a copy of {@code src/main/avro}) at each
 * release.
 */
class SchemaCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASELINE = "v0.1.0";
    /**
     * The newest release: a full copy of src/main/avro as it was released (v0.2.0 added inbound media; v0.3.0 the
     * message deletions, the SMS and PUSH channels, inbox media profiles, auto-fit renditions and channel fallback).
     */
    private static final String LATEST = "v0.3.0";

    @TestFactory
    Stream<DynamicTest> everyTopicValueReadsDataWrittenWithEveryReleasedSchema() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path release : releases()) {
            Map<String, Schema> released = parse(read(release));
            for (Topic<?> topic : Topics.ALL) {
                String name = release.getFileName() + ": " + topic.name() + " (" + topic.valueType().getSimpleName() + ")";
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    // Given the value schema of this build and the one of the release
                    Schema current = SpecificData.get().getSchema(topic.valueType());
                    Schema writer = released.get(current.getFullName());
                    if (writer == null) {
                        return; // a value type added after that release: nothing was ever written with it
                    }

                    // When the current schema reads what the released one wrote
                    List<String> problems = incompatibilities(current, writer);

                    // Then nothing is incompatible
                    if (!problems.isEmpty()) {
                        fail(topic.valueType().getSimpleName() + " is not backward compatible with release "
                                + release.getFileName() + " (give new fields a default, keep enum defaults, "
                                + "do not change types): " + String.join("; ", problems));
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void baselineHoldsEveryCurrentValueType() throws Exception {
        // Given the newest release's schemas
        Map<String, Schema> released = parse(read(releaseDir(LATEST)));

        // When the topic catalogue's value types are looked up there
        // Then each is present (each release is a full copy of src/main/avro)
        assertThat(Topics.ALL).allSatisfy(topic -> assertThat(released)
                .containsKey(SpecificData.get().getSchema(topic.valueType()).getFullName()));
    }

    @Test
    void catchesANewFieldWithoutDefault() throws Exception {
        // Given MediaReceived with a new required field
        Schema changed = changedBaseline("10_MediaReceived.avsc", schema -> {
            fields(schema).add(JSON.createObjectNode().put("name", "priority").put("type", "int").put("doc", "New."));
            return schema;
        }).get("io.mediaplatform.events.MediaReceived");

        // When it reads what the released schema wrote
        List<String> problems = incompatibilities(changed, baseline("io.mediaplatform.events.MediaReceived"));

        // Then the check reports the field
        assertThat(problems).singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("priority");
    }

    @Test
    void catchesARemovedEnumSymbolWhenTheEnumHasNoDefault() throws Exception {
        // Given Channel without EMAIL and without its default symbol
        Schema changed = changedBaseline("00_Channel.avsc", schema -> {
            ArrayNode symbols = (ArrayNode) schema.get("symbols");
            for (int i = symbols.size() - 1; i >= 0; i--) {
                if (symbols.get(i).asText().equals("EMAIL")) {
                    symbols.remove(i);
                }
            }
            schema.remove("default");
            return schema;
        }).get("io.mediaplatform.events.DeliveryStatus");

        // When DeliveryStatus with that Channel reads what the released schema wrote
        List<String> problems = incompatibilities(changed, baseline("io.mediaplatform.events.DeliveryStatus"));

        // Then the check reports the missing symbol on the channel field
        assertThat(problems).singleElement().asString()
                .contains("MISSING_ENUM_SYMBOLS").contains("EMAIL").contains("'channel'");
    }

    @Test
    void toleratesARemovedEnumSymbolWhenTheEnumHasADefault() throws Exception {
        // Given Channel without EMAIL but with its UNKNOWN default
        Schema changed = changedBaseline("00_Channel.avsc", schema -> {
            ArrayNode symbols = (ArrayNode) schema.get("symbols");
            for (int i = symbols.size() - 1; i >= 0; i--) {
                if (symbols.get(i).asText().equals("EMAIL")) {
                    symbols.remove(i);
                }
            }
            return schema;
        }).get("io.mediaplatform.events.DeliveryStatus");

        // When it reads what the released schema wrote
        // Then it is compatible: an unknown symbol reads as UNKNOWN
        assertThat(incompatibilities(changed, baseline("io.mediaplatform.events.DeliveryStatus"))).isEmpty();
    }

    @Test
    void catchesAChangedFieldType() throws Exception {
        // Given MediaRef whose size became an int
        Schema changed = changedBaseline("02_MediaRef.avsc", schema -> {
            for (var field : fields(schema)) {
                if (field.get("name").asText().equals("size")) {
                    ((ObjectNode) field).put("type", "int");
                }
            }
            return schema;
        }).get("io.mediaplatform.events.MediaAccepted");

        // When MediaAccepted with that MediaRef reads what the released schema wrote
        List<String> problems = incompatibilities(changed, baseline("io.mediaplatform.events.MediaAccepted"));

        // Then the check reports the nested field
        assertThat(problems).singleElement().asString().contains("TYPE_MISMATCH").contains("'media.size'");
    }

    @Test
    void toleratesANewOptionalFieldWithANullDefault() throws Exception {
        // Given MediaReceived with a new optional field defaulting to null
        Schema changed = changedBaseline("10_MediaReceived.avsc", schema -> {
            ObjectNode field = JSON.createObjectNode().put("name", "note").put("doc", "New.");
            field.putArray("type").add("null").add("string");
            field.putNull("default");
            fields(schema).add(field);
            return schema;
        }).get("io.mediaplatform.events.MediaReceived");

        // When it reads what the released schema wrote
        // Then it is compatible
        assertThat(incompatibilities(changed, baseline("io.mediaplatform.events.MediaReceived"))).isEmpty();
    }

    // ---------------------------------------------------------------- the check

    /** Why {@code reader} cannot read what {@code writer} wrote, each naming the field by its path; empty when it can. */
    static List<String> incompatibilities(Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        List<String> problems = new ArrayList<>();
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(incompatibility.getType() + " at field '" + fieldPath(reader, incompatibility.getLocation())
                    + "': " + incompatibility.getMessage());
        }
        return problems;
    }

    /** Turns Avro's location ({@code /fields/4/type/fields/7/type}) into field names ({@code media.size}). */
    private static String fieldPath(Schema reader, String location) {
        List<String> names = new ArrayList<>();
        Schema current = reader;
        String[] segments = location.split("/");
        try {
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.equals("fields") && i + 1 < segments.length) {
                    Schema.Field field = current.getFields().get(Integer.parseInt(segments[++i]));
                    names.add(field.name());
                    current = field.schema();
                } else if (segment.equals("items")) {
                    current = current.getElementType();
                } else if (segment.equals("values")) {
                    current = current.getValueType();
                } else if (segment.matches("\\d+") && current.getType() == Schema.Type.UNION) {
                    current = current.getTypes().get(Integer.parseInt(segment));
                }
            }
        } catch (RuntimeException e) {
            return location;
        }
        return names.isEmpty() ? location : String.join(".", names);
    }

    // ---------------------------------------------------------------- released schemas

    private static List<Path> releases() throws IOException, URISyntaxException {
        URL root = SchemaCompatibilityTest.class.getClassLoader().getResource("released");
        assertThat(root).as("released schemas on the test classpath").isNotNull();
        try (Stream<Path> dirs = Files.list(Path.of(root.toURI()))) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static Path releaseDir(String version) throws IOException, URISyntaxException {
        return releases().stream().filter(p -> p.getFileName().toString().equals(version)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no released schemas for " + version));
    }

    /** The .avsc texts of a release by file name, in name order (00_ enums, 01_, 02_ shared records, 10_ values). */
    private static Map<String, String> read(Path release) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(release)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                texts.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return texts;
    }

    /** Parses the texts in order with one parser, so later files may name types of earlier ones; by full name. */
    private static Map<String, Schema> parse(Map<String, String> texts) {
        Schema.Parser parser = new Schema.Parser();
        texts.values().forEach(parser::parse);
        return parser.getTypes();
    }

    private static Schema baseline(String fullName) throws Exception {
        return parse(read(releaseDir(BASELINE))).get(fullName);
    }

    /** The baseline with one file's JSON changed: a stand-in for an edit of src/main/avro. */
    private static Map<String, Schema> changedBaseline(String file, UnaryOperator<ObjectNode> change) throws Exception {
        Map<String, String> texts = read(releaseDir(BASELINE));
        assertThat(texts).containsKey(file);
        texts.put(file, change.apply((ObjectNode) JSON.readTree(texts.get(file))).toString());
        return parse(texts);
    }

    private static ArrayNode fields(ObjectNode recordSchema) {
        return (ArrayNode) recordSchema.get("fields");
    }
}
