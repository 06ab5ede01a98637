package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the running stack is (endpoints, keys, tenants, antivirus), as written to {@code <data>/local-stack.json}. */
final class StackDescription {

    private final Map<String, Object> description = new LinkedHashMap<>();

    /** Adds one entry (e.g. {@code antivirus}, {@code inboundWebhook}). */
    void put(String key, Object value) {
        description.put(key, value);
    }

    /** Adds the endpoints, keys and tenants of the started stack. */
    void describe(ServiceSettings.Urls urls, StackPorts ports, StackInfrastructure infra, String simulatorUrl,
                  LocalSecrets secrets, Path dataDir) {
        description.put("ingest", urls.ingest());
        description.put("dispatch", urls.dispatch());
        description.put("callback", urls.callback());
        description.put("console", urls.callback() + "/console");
        description.put("validation", "http://127.0.0.1:" + ports.validation());
        description.put("schemaRegistry", infra.registryUrl);
        description.put("kafka", Map.of("bootstrapServers", infra.kafkaBootstrap));
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("endpoint", infra.s3Endpoint);
        s3.put("bucket", infra.s3Bucket);
        s3.put("accessKey", infra.s3AccessKey);
        s3.put("secretKey", infra.s3SecretKey);
        description.put("s3", s3);
        Map<String, String> simulators = new LinkedHashMap<>();
        simulators.put("whatsapp", simulatorUrl);
        simulators.put("twilio", simulatorUrl);
        simulators.put("notify", simulatorUrl);
        simulators.put("fcm", simulatorUrl);
        simulators.put("email", simulatorUrl);
        simulators.put("smtp", "127.0.0.1:" + ports.smtp());
        simulators.put("webhookInbox", simulatorUrl + WebhookInbox.PATH + "<name>");
        description.put("simulators", simulators);
        List<Map<String, String>> tenants = secrets.tenants().stream()
                .map(t -> Map.of("id", t.id(), "apiKey", t.apiKey(), "webhookSecret", t.webhookSecret())).toList();
        description.put("tenants", tenants);
        description.put("dataDir", dataDir.toString());
    }

    /** Writes {@code <data>/local-stack.json}. */
    void write(Path data) throws IOException {
        Files.writeString(data.resolve("local-stack.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(description) + "\n");
    }

    /** The entries, in the order they were added. */
    Map<String, Object> asMap() {
        return description;
    }

    String get(String key) {
        return (String) description.get(key);
    }

    /** The e-mail sink's SMTP {@code host:port}. */
    String smtp() {
        @SuppressWarnings("unchecked")
        Map<String, String> simulators = (Map<String, String>) description.get("simulators");
        return simulators.get("smtp");
    }

    String simulatorUrl() {
        @SuppressWarnings("unchecked")
        Map<String, String> simulators = (Map<String, String>) description.get("simulators");
        return simulators.get("whatsapp");
    }
}
