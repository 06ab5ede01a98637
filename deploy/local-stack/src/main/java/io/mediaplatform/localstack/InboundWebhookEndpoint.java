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
import java.util.regex.Pattern;

/**
 * The first demo tenant's webhook endpoint for customers' media ({@code message.received} only), at the webhook
 * inbox {@value LocalStack#INBOUND_INBOX}: created on the first start through callback's own endpoint store, its
 * secret kept in {@code <data>/inbound-webhook.json} (owner-only) so the inbox verifies its signatures after a restart
 * too.
 *
 * <p>Each start leaves exactly one such endpoint, at this run's simulator URL. A start on another simulator port
 * ({@code --ports=random}) finds the earlier runs' endpoints at the dead port: callback has no way to change an
 * endpoint's URL, so they are deleted (which disables their pending deliveries) and a new one is created with a new
 * secret, which only the inbox needs (it is not one of the keys {@code local-stack.json} shows). Only endpoints at this
 * inbox on {@code 127.0.0.1} are touched; the tenant's other endpoints are left alone.
 */
final class InboundWebhookEndpoint {

    /** An endpoint at the local stack's {@value LocalStack#INBOUND_INBOX} inbox, on any port of this machine. */
    private static final Pattern OURS = Pattern.compile(
            "http://127\\.0\\.0\\.1:\\d+" + Pattern.quote(WebhookInbox.PATH + LocalStack.INBOUND_INBOX));

    private InboundWebhookEndpoint() {
    }

    /**
     * Creates (or finds) the endpoint at {@code url}, deletes the ones earlier runs left at the inbox on other ports
     * (or twice at this one) and has the inbox trust its secret.
     */
    static void register(ConfigurableApplicationContext callback, WebhookInbox inbox, String tenantId, String url,
                         Path data) throws IOException {
        WebhookEndpoints endpoints = callback.getBean(WebhookEndpoints.class);
        Path file = data.resolve("inbound-webhook.json");
        ObjectMapper json = new ObjectMapper();
        List<WebhookEndpoints.Endpoint> ours = endpoints.list(tenantId).stream()
                .filter(e -> e.url() != null && OURS.matcher(e.url()).matches()).toList();
        String savedId = null;
        String savedSecret = null;
        if (Files.isRegularFile(file)) {
            JsonNode saved = json.readTree(file.toFile());
            savedId = saved.path("id").asText();
            savedSecret = saved.path("secret").asText();
        }
        String keepId = savedId;
        Optional<WebhookEndpoints.Endpoint> existing = ours.stream().filter(e -> e.url().equals(url))
                .filter(e -> e.id().equals(keepId)).findFirst()
                .or(() -> ours.stream().filter(e -> e.url().equals(url)).findFirst());
        Instant now = Instant.now();
        String id;
        String secret;
        if (existing.isPresent() && existing.get().id().equals(savedId) && !savedSecret.isEmpty()) {
            id = existing.get().id();
            secret = savedSecret;
        } else if (existing.isPresent()) {
            id = existing.get().id();
            secret = endpoints.rotate(tenantId, id, now, Duration.ZERO).orElseThrow().secret();
        } else {
            WebhookEndpoints.Created created = endpoints.create(tenantId, url, EventFilter.parse(List.of("message.received")),
                    "local stack: customers' media", now);
            id = created.endpoint().id();
            secret = created.secret();
        }
        Files.writeString(file, json.writeValueAsString(Map.of("id", id, "secret", secret)) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        inbox.trust(tenantId, secret);
        for (WebhookEndpoints.Endpoint stale : ours) {
            if (!stale.id().equals(id)) {
                endpoints.delete(tenantId, stale.id(), now);
            }
        }
    }
}
