package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.callback.webhook.WebhookEndpoints;
import io.mediaplatform.callback.webhook.core.EventFilter;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first demo tenant's webhook endpoint for customers' media ({@code message.received} only), at the webhook
 * inbox {@value LocalStack#INBOUND_INBOX}: created on the first start through callback's own endpoint store, its
 * secret kept in {@code <data>/inbound-webhook.json} (owner-only) so the inbox verifies its signatures after a restart
 * too.
 */
final class InboundWebhookEndpoint {

    private InboundWebhookEndpoint() {
    }

    /** Creates (or finds) the endpoint at {@code url} and has the inbox trust its secret. */
    static void register(ConfigurableApplicationContext callback, WebhookInbox inbox, String tenantId, String url,
                         Path data) throws IOException {
        WebhookEndpoints endpoints = callback.getBean(WebhookEndpoints.class);
        Path file = data.resolve("inbound-webhook.json");
        ObjectMapper json = new ObjectMapper();
        Optional<WebhookEndpoints.Endpoint> existing = endpoints.list(tenantId).stream().filter(e -> e.url().equals(url)).findFirst();
        String secret = null;
        if (existing.isPresent() && Files.isRegularFile(file)) {
            JsonNode saved = json.readTree(file.toFile());
            if (existing.get().id().equals(saved.path("id").asText())) {
                secret = saved.path("secret").asText();
            }
        }
        String id;
        if (secret != null) {
            id = existing.get().id();
        } else if (existing.isPresent()) {
            id = existing.get().id();
            secret = endpoints.rotate(tenantId, id, Instant.now(), Duration.ZERO).orElseThrow().secret();
        } else {
            WebhookEndpoints.Created created = endpoints.create(tenantId, url, EventFilter.parse(List.of("message.received")),
                    "local stack: customers' media", Instant.now());
            id = created.endpoint().id();
            secret = created.secret();
        }
        Files.writeString(file, json.writeValueAsString(Map.of("id", id, "secret", secret)) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        inbox.trust(tenantId, secret);
    }
}
