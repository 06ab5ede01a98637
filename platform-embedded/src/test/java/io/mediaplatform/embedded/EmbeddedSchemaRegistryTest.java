package io.mediaplatform.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.schemas.registry.CatalogueSchemas;
import io.mediaplatform.schemas.registry.SchemaRegistryClient;
import io.mediaplatform.schemas.registry.SchemaRegistryException;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedSchemaRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedKafkaKraftBroker broker;

    private EmbeddedSchemaRegistry registry;
    private SchemaRegistryClient client;
    private String subject;

    @BeforeAll
    static void startKafka() {
        broker = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopKafka() {
        broker.destroy();
    }

    @BeforeEach
    void startRegistry(TestInfo test) {
        registry = new EmbeddedSchemaRegistry(broker.getBrokersAsString(), 0).start();
        client = new SchemaRegistryClient(registry.url(), null);
        subject = test.getTestMethod().orElseThrow().getName() + "-value";
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void registersASchemaAndFindsItByIdAndBySubject() {
        // Given a schema
        Schema schema = MediaReceived.getClassSchema();

        // When it is registered
        int id = client.register(subject, schema);

        // Then the registry hands it out by id and finds it under the subject
        assertThat(new SchemaRegistryClient(registry.url(), null).schemaById(id)).isEqualTo(schema);
        assertThat(new SchemaRegistryClient(registry.url(), null).lookup(subject, schema)).isEqualTo(id);
    }

    @Test
    void handsOutTheSchemaItselfByIdForToolsThatReadARawSchema() throws Exception {
        // Given a registered schema
        Schema schema = MediaReceived.getClassSchema();
        int id = client.register(subject, schema);

        // When the schema alone is asked for, as avro-tools wants it in a file
        JsonNode raw = get("/schemas/ids/" + id + "/schema");

        // Then the answer is the schema itself, not wrapped
        assertThat(new Schema.Parser().parse(raw.toString())).isEqualTo(schema);
    }

    @Test
    void provisioningRegistersEveryCatalogueValueSchemaSoAProducerWithoutAutoRegisterFindsIt() {
        // Given the topic catalogue
        // When provisioning registers its schemas, twice (every start does)
        Map<String, Integer> first = CatalogueSchemas.registerAll(client);
        Map<String, Integer> again = CatalogueSchemas.registerAll(new SchemaRegistryClient(registry.url(), null));

        // Then every topic's value schema is found under its subject by a fresh client, with the same ids
        assertThat(again).isEqualTo(first);
        assertThat(Topics.ALL).allSatisfy(topic -> assertThat(new SchemaRegistryClient(registry.url(), null)
                .lookup(topic.valueSubject(), SpecificData.get().getSchema(topic.valueType())))
                .isEqualTo(first.get(topic.valueSubject())));
    }

    @Test
    void givesTheSameIdWhenTheSameSchemaIsRegisteredAgainInOtherText() throws Exception {
        // Given a registered schema
        Schema schema = record("Order", "id");
        int id = client.register(subject, schema);

        // When the same schema is registered again as pretty-printed text, by another client
        JsonNode answer = post("/subjects/" + subject + "/versions", schemaBody(schema.toString(true)));

        // Then it keeps its id and the subject still has one version
        assertThat(answer.get("id").asInt()).isEqualTo(id);
        assertThat(get("/subjects/" + subject + "/versions")).hasSize(1);
    }

    @Test
    void sharesOneGlobalIdForTheSameSchemaUnderTwoSubjects() {
        // Given a schema registered under one subject
        Schema schema = record("Shared", "id");
        int first = client.register(subject, schema);

        // When it is registered under another subject
        int second = client.register(subject + "-other", schema);

        // Then both subjects use the same global id
        assertThat(second).isEqualTo(first);
    }

    @Test
    void refusesABackwardIncompatibleSchemaWithConflict() {
        // Given a subject with a schema, under the default BACKWARD level
        client.register(subject, record("Payment", "id"));

        // When a new version adds a field without default (old data could not be read)
        Schema incompatible = record("Payment", "id", "amount");

        // Then the registry answers 409 and the check endpoint agrees
        assertThat(client.isCompatible(subject, incompatible)).isFalse();
        assertThatThrownBy(() -> client.register(subject, incompatible))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("error_code\":409");
    }

    @Test
    void acceptsABackwardCompatibleSchemaAsTheNextVersion() throws Exception {
        // Given a subject with a schema
        int first = client.register(subject, record("Invoice", "id"));

        // When a new version adds an optional field with a default
        Schema evolved = SchemaBuilder.record("Invoice").namespace("test").fields()
                .requiredString("id").optionalString("note").endRecord();
        int second = client.register(subject, evolved);

        // Then it becomes version 2 with a new id, and latest points at it
        assertThat(second).isNotEqualTo(first);
        JsonNode latest = get("/subjects/" + subject + "/versions/latest");
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(second);
        assertThat(new Schema.Parser().parse(latest.get("schema").asText())).isEqualTo(evolved);
    }

    @Test
    void letsAnIncompatibleSchemaInWhenTheSubjectLevelIsNone() throws Exception {
        // Given a subject whose compatibility level is NONE
        client.register(subject, record("Loose", "id"));
        client.setCompatibility(subject, "NONE");

        // When an incompatible schema is registered
        int id = client.register(subject, record("Loose", "id", "extra"));

        // Then it is accepted and the subject reports its own level
        assertThat(id).isPositive();
        assertThat(get("/config/" + subject).get("compatibilityLevel").asText()).isEqualTo("NONE");
        assertThat(get("/config").get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void keepsIdsSubjectsAndLevelsAcrossARestart() {
        // Given registered schemas and a subject level
        int first = client.register(subject, record("Durable", "id"));
        int second = client.register(subject + "-b", record("Other", "id"));
        client.setCompatibility(subject, "FULL");

        // When the registry restarts on the same topic
        registry.close();
        registry = new EmbeddedSchemaRegistry(broker.getBrokersAsString(), 0).start();
        SchemaRegistryClient fresh = new SchemaRegistryClient(registry.url(), null);

        // Then ids, subjects and levels are what they were, and the next id does not reuse an old one
        assertThat(fresh.schemaById(first)).isEqualTo(record("Durable", "id"));
        assertThat(fresh.lookup(subject + "-b", record("Other", "id"))).isEqualTo(second);
        assertThat(fresh.register(subject, record("Durable", "id"))).isEqualTo(first);
        assertThat(fresh.register(subject + "-c", record("Brand", "new"))).isGreaterThan(Math.max(first, second));
        assertThatThrownBy(() -> fresh.register(subject, record("Durable", "id", "required")))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void storesItsStateInACompactedSchemasTopic() {
        // Given a started registry

        // When the _schemas topic is described
        String policy = broker.doWithAdminFunction(admin -> {
            try {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, EmbeddedSchemaRegistry.TOPIC);
                ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                        .get(TopicConfig.CLEANUP_POLICY_CONFIG);
                return entry.value();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // Then it is compacted
        assertThat(policy).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    @Test
    void answersNotFoundWithConfluentErrorCodes() throws Exception {
        // Given a subject with one schema
        client.register(subject, record("Known", "id"));

        // When unknown things are asked for
        HttpResponse<String> unknownId = send("GET", "/schemas/ids/999999", null);
        HttpResponse<String> unknownSubject = send("POST", "/subjects/no-such-subject", schemaBody(record("Known", "id").toString()));
        HttpResponse<String> unknownSchema = send("POST", "/subjects/" + subject, schemaBody(record("Unknown", "id").toString()));
        HttpResponse<String> unknownVersion = send("GET", "/subjects/" + subject + "/versions/7", null);

        // Then each is a 404 with the registry's error code, as JSON of the registry media type
        assertThat(unknownId.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknownId.body()).get("error_code").asInt()).isEqualTo(40403);
        assertThat(unknownId.headers().firstValue("Content-Type")).hasValue(SchemaRegistryClient.CONTENT_TYPE);
        assertThat(JSON.readTree(unknownSubject.body()).get("error_code").asInt()).isEqualTo(40401);
        assertThat(JSON.readTree(unknownSchema.body()).get("error_code").asInt()).isEqualTo(40403);
        assertThat(JSON.readTree(unknownVersion.body()).get("error_code").asInt()).isEqualTo(40402);
    }

    @Test
    void refusesInvalidSchemasAndLevelsAsUnprocessable() throws Exception {
        // Given a running registry

        // When a broken schema and an unknown level are sent
        HttpResponse<String> badSchema = send("POST", "/subjects/" + subject + "/versions", schemaBody("{\"type\":\"recrod\"}"));
        HttpResponse<String> badLevel = send("PUT", "/config/" + subject, "{\"compatibility\":\"SIDEWAYS\"}");

        // Then both are 422 with their error codes
        assertThat(badSchema.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(badSchema.body()).get("error_code").asInt()).isEqualTo(42201);
        assertThat(badLevel.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(badLevel.body()).get("error_code").asInt()).isEqualTo(42203);
    }

    @Test
    void listsSubjectsAndVersions() throws Exception {
        // Given two versions of a subject
        client.register(subject, record("Listed", "id"));
        client.register(subject, SchemaBuilder.record("Listed").namespace("test").fields()
                .requiredString("id").optionalString("more").endRecord());

        // When subjects and versions are listed
        JsonNode subjects = get("/subjects");
        JsonNode versions = get("/subjects/" + subject + "/versions");

        // Then the subject is there with versions 1 and 2
        assertThat(subjects).extracting(JsonNode::asText).contains(subject);
        assertThat(versions).extracting(JsonNode::asInt).containsExactly(1, 2);
        assertThat(get("/subjects/" + subject + "/versions/1").get("version").asInt()).isEqualTo(1);
    }

    @Test
    void givesOneIdToConcurrentRegistrationsOfTheSameSchema() throws Exception {
        // Given eight clients
        Schema schema = record("Raced", "id");
        List<Callable<Integer>> registrations = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            registrations.add(() -> new SchemaRegistryClient(registry.url(), null).register(subject, schema));
        }

        // When they register the same schema at once
        List<Integer> ids = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Integer> id : pool.invokeAll(registrations)) {
                ids.add(id.get());
            }
        }

        // Then they all get the same id and the subject has one version
        assertThat(Set.copyOf(ids)).hasSize(1);
        assertThat(get("/subjects/" + subject + "/versions")).hasSize(1);
    }

    private static Schema record(String name, String... requiredStringFields) {
        var fields = SchemaBuilder.record(name).namespace("test").fields();
        for (String field : requiredStringFields) {
            fields = fields.requiredString(field);
        }
        return fields.endRecord();
    }

    private static String schemaBody(String schemaText) {
        return JSON.createObjectNode().put("schema", schemaText).toString();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = send("POST", path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
