package io.mediaplatform.callback;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.security.ApiKeyRegistry;
import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.embedded.EmbeddedPostgresServer;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.schemas.topics.Topics;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every callback-service test with the running service shares, so that Spring builds one context for all of
 * them: a real KRaft broker, the embedded Schema Registry, a real PostgreSQL and a real webhook receiver on
 * loopback; API keys for tenant-a (all it needs, and read-only) and tenant-b; a short retry schedule.
 */
@SpringBootTest(classes = CallbackApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + CallbackApplication.CONFIG_NAME)
abstract class CallbackServiceTestBase {

    static final String TENANT = "tenant-a";
    static final String OTHER_TENANT = "tenant-b";
    static final String KEY = "mpk_test_tenant_a";
    static final String READ_ONLY_KEY = "mpk_test_tenant_a_read_only";
    static final String OTHER_KEY = "mpk_test_tenant_b";
    static final String SECRET = StandardWebhooks.newSecret();
    static final Duration AWAIT = Duration.ofSeconds(60);
    static final String ENCRYPTION_KEY = java.util.Base64.getEncoder().encodeToString(randomBytes(32));

    static final EmbeddedKafkaKraftBroker BROKER = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
    static final WebhookReceiver RECEIVER;

    static {
        BROKER.afterPropertiesSet();
        TopicProvisioner.createAll(BROKER.getBrokersAsString(), 1, (short) 1);
        RECEIVER = new WebhookReceiver();
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedTestInfra.springProperties(BROKER.getBrokersAsString()).forEach((k, v) -> registry.add(k, () -> v));
        EmbeddedPostgresServer postgres = SharedTestInfra.postgres();
        registry.add("spring.datasource.url", postgres::jdbcUrl);
        registry.add("spring.datasource.username", postgres::username);
        registry.add("spring.datasource.password", postgres::password);
        registry.add("platform.security.api-keys", () -> TENANT + ":" + ApiKeyRegistry.sha256Hex(KEY) + ":messages:read,webhooks:admin,messages:delete;"
                + TENANT + ":" + ApiKeyRegistry.sha256Hex(READ_ONLY_KEY) + ":messages:read;"
                + OTHER_TENANT + ":" + ApiKeyRegistry.sha256Hex(OTHER_KEY));
        registry.add("platform.outbound.allow-hosts", () -> "127.0.0.1");
        registry.add("callback.webhooks.secrets", () -> TENANT + ":" + SECRET + ";" + OTHER_TENANT + ":" + StandardWebhooks.newSecret());
        registry.add("callback.webhooks.retry-schedule", () -> "0s,200ms,200ms");
        registry.add("callback.webhooks.poll-interval", () -> "50ms");
        registry.add("callback.webhooks.encryption-key", () -> ENCRYPTION_KEY);
    }

    @Autowired
    EventPublisher publisher;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    // --- helpers ---------------------------------------------------------------------------------------------

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    record Response(int status, JsonNode json) {
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    Response get(String messageId, String key) {
        return call(base() + "/v1/messages/" + messageId, key);
    }

    Response search(String query, String key) {
        return call(base() + "/v1/messages" + (query.isEmpty() ? "" : "?" + query), key);
    }

    Response call(String url, String key) {
        return exchange("GET", url, key, null);
    }

    /** Any request; {@code url} may be a path of this service; the JSON is a missing node when there is no body. */
    Response exchange(String method, String url, String key, String jsonBody) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.startsWith("/") ? base() + url : url))
                    .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            if (jsonBody != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body().isBlank()
                    ? tools.jackson.databind.node.MissingNode.getInstance() : json.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers a tenant-a webhook endpoint on the receiver at {@code path}; {@code eventsJson} null gives no filter. */
    JsonNode createEndpoint(String path, String eventsJson) {
        Response created = exchange("POST", "/v1/webhooks", KEY, "{\"url\":\"" + RECEIVER.url(path) + "\""
                + (eventsJson == null ? "" : ",\"events\":" + eventsJson) + "}");
        assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
        return created.json();
    }

    /** Deletes tenant-a's webhook endpoints: they are tenant-wide, so that no other test's message is told to them. */
    void deleteAllEndpoints() {
        exchange("GET", "/v1/webhooks", KEY, null).json().path("items")
                .forEach(endpoint -> exchange("DELETE", "/v1/webhooks/" + endpoint.path("id").asString(), KEY, null));
    }

    /** Whether the received webhook's Standard Webhooks signature verifies with {@code secret}. */
    static boolean verifies(WebhookReceiver.Received hook, String secret) {
        return StandardWebhooks.verify(secret, hook.headers().get("webhook-id"), hook.headers().get("webhook-timestamp"),
                hook.body(), hook.headers().get("webhook-signature"), Instant.now(), Duration.ofMinutes(5));
    }

    static List<String> texts(JsonNode array, String field) {
        return TestEvents.texts(array, field);
    }

    static MediaRef media(String messageId) {
        return TestEvents.media(messageId);
    }

    static OutboundMessage outbound(String messageId, String externalId, String clientId, List<String> callbacks) {
        return TestEvents.outbound(messageId, externalId, clientId, callbacks);
    }

    void received(String messageId, String externalId, String clientId, List<String> callbacks, Instant at) {
        MediaReceived event = MediaReceived.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setTenantId(TENANT).setMedia(media(messageId)).setMessage(outbound(messageId, externalId, clientId, callbacks))
                .build();
        publisher.sendAndWait(Topics.MEDIA_RECEIVED, "conv-" + messageId, event);
    }

    static DeliveryStatus statusEvent(String messageId, MessageStatus status, Instant at, String providerMessageId,
                                      String reason) {
        return TestEvents.statusEvent(TENANT, messageId, status, at, providerMessageId, reason);
    }

    void status(String messageId, MessageStatus status, Instant at, String providerMessageId, String reason) {
        publisher.sendAndWait(Topics.MESSAGE_STATUS, "conv-" + messageId, statusEvent(messageId, status, at, providerMessageId, reason));
    }
}
