package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.support.Sql;
import io.mediaplatform.callback.webhook.core.EventFilter;
import io.mediaplatform.callback.webhook.core.SecretCipher;
import io.mediaplatform.common.signing.StandardWebhooks;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tenant webhook endpoints ({@code webhook_endpoints}): a URL, an {@link EventFilter} and a signing secret of
 * their own. Secrets are sealed by the {@link SecretCipher} before they reach the database, shown to the client
 * once (at creation and at rotation) and never logged. A rotated-out secret keeps signing, next to the new one,
 * until its overlap ends. Deleting an endpoint removes its secrets and disables its pending deliveries.
 */
public class WebhookEndpoints {

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    /**
     * An endpoint as the API shows it: never with a secret. {@code events} is empty for an endpoint registered without
     * a filter (every event type).
     */
    public record Endpoint(String id, String url, List<String> events, String description, Instant createdAt,
                           Instant updatedAt, Instant previousSecretExpiresAt, Boolean disabled) {
    }

    /** A new endpoint with its secret, shown once. */
    public record Created(Endpoint endpoint, String secret) {
    }

    /** A rotated secret, shown once, and until when the previous one still signs. */
    public record Rotated(String id, String secret, Instant previousSecretExpiresAt) {
    }

    /**
     * One attempt to deliver a webhook to an endpoint ({@code GET /v1/webhooks/{id}/attempts}).
     *
     * @param eventType      what the webhook told: message.status.updated or message.received
     * @param eventStatus    the status the webhook told
     * @param deliveryStatus the delivery's state now: PENDING, DELIVERED, FAILED or DISABLED
     */
    public record EndpointAttempt(String messageId, String eventType, String eventStatus, int attempt, Instant at,
                                  Integer statusCode, long latencyMs, String error, String deliveryStatus) {
    }

    /** An endpoint deliveries are enqueued for. */
    public record Target(UUID id, String url, EventFilter filter) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final SecretCipher cipher;

    public WebhookEndpoints(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.cipher = cipher;
    }

    /** Stores a new endpoint with a fresh secret. The URL must have passed the URL guard. */
    public Created create(String tenantId, String url, EventFilter filter, String description, Instant now) {
        UUID id = UUID.randomUUID();
        String secret = StandardWebhooks.newSecret();
        jdbc.sql("""
                        INSERT INTO webhook_endpoints (id, tenant_id, url, events, description, secret, created_at, updated_at)
                        VALUES (:id, :tenantId, :url, CAST(:events AS jsonb), :description, :secret, :now, :now)
                        """)
                .param("id", id)
                .param("tenantId", tenantId)
                .param("url", url)
                .param("events", json.writeValueAsString(filter.stored()))
                .param("description", description, java.sql.Types.VARCHAR)
                .param("secret", cipher.seal(secret, id.toString()))
                .param("now", Sql.ts(now))
                .update();
        return new Created(new Endpoint(id.toString(), url, filter.stored(), description, now, now, null, null), secret);
    }

    private Endpoint endpoint(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Endpoint(rs.getObject("id", UUID.class).toString(),
            rs.getString("url"), json.readValue(rs.getString("events"), STRING_LIST), rs.getString("description"),
            Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), Sql.instant(rs, "previous_secret_expires_at"),
            rs.getBoolean("disabled") ? Boolean.TRUE : null);
    }

    private static final String ENDPOINT_COLUMNS = """
            e.id, e.url, e.events::text AS events, e.description, e.created_at, e.updated_at,
            CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret_expires_at END AS previous_secret_expires_at,
            (d.url IS NOT NULL) AS disabled
            FROM webhook_endpoints e LEFT JOIN disabled_endpoints d ON d.tenant_id = e.tenant_id AND d.url = e.url""";

    /** The tenant's endpoints, oldest first. */
    public List<Endpoint> list(String tenantId) {
        return jdbc.sql("SELECT " + ENDPOINT_COLUMNS + " WHERE e.tenant_id = :tenantId AND e.deleted_at IS NULL ORDER BY e.created_at, e.id")
                .param("tenantId", tenantId)
                .query(this::endpoint)
                .list();
    }

    /** The tenant's endpoint with that id. */
    public Optional<Endpoint> find(String tenantId, String id) {
        Optional<UUID> uuid = uuid(id);
        if (uuid.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT " + ENDPOINT_COLUMNS + " WHERE e.tenant_id = :tenantId AND e.id = :id AND e.deleted_at IS NULL")
                .param("tenantId", tenantId)
                .param("id", uuid.get())
                .query(this::endpoint)
                .optional();
    }

    /** The latest attempts to deliver to the tenant's endpoint, newest first; empty when the tenant has no such endpoint. */
    public Optional<List<EndpointAttempt>> attempts(String tenantId, String id, int limit) {
        if (find(tenantId, id).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(jdbc.sql("""
                        SELECT d.message_id, d.event_type, d.event_status, a.attempt_no, a.at, a.status_code, a.latency_ms,
                               a.error, d.status
                        FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
                        WHERE d.tenant_id = :tenantId AND d.endpoint_id = :id
                        ORDER BY a.at DESC, a.id DESC
                        LIMIT :limit
                        """)
                .param("tenantId", tenantId)
                .param("id", UUID.fromString(id))
                .param("limit", limit)
                .query((rs, n) -> new EndpointAttempt(rs.getString("message_id"), rs.getString("event_type"),
                        rs.getString("event_status"), rs.getInt("attempt_no"), Sql.instant(rs, "at"),
                        Sql.integer(rs, "status_code"), rs.getLong("latency_ms"), rs.getString("error"), rs.getString("status")))
                .list());
    }

    /** Deletes the endpoint: its secrets are wiped and its pending deliveries disabled. False when unknown. */
    public boolean delete(String tenantId, String id, Instant now) {
        Optional<UUID> uuid = uuid(id);
        if (uuid.isEmpty()) {
            return false;
        }
        return Boolean.TRUE.equals(transactions.execute(tx -> {
            int deleted = jdbc.sql("""
                            UPDATE webhook_endpoints SET deleted_at = :now, updated_at = :now, secret = NULL, previous_secret = NULL,
                                   previous_secret_expires_at = NULL
                            WHERE tenant_id = :tenantId AND id = :id AND deleted_at IS NULL
                            """)
                    .param("now", Sql.ts(now))
                    .param("tenantId", tenantId)
                    .param("id", uuid.get())
                    .update();
            if (deleted == 0) {
                return false;
            }
            jdbc.sql("""
                            UPDATE webhook_deliveries SET status = 'DISABLED', next_attempt_at = NULL, updated_at = :now
                            WHERE endpoint_id = :id AND status = 'PENDING'
                            """)
                    .param("now", Sql.ts(now))
                    .param("id", uuid.get())
                    .update();
            return true;
        }));
    }

    /**
     * Gives the endpoint a new secret; the current one keeps signing, next to it, for {@code overlap}.
     * Empty when the tenant has no such endpoint.
     */
    public Optional<Rotated> rotate(String tenantId, String id, Instant now, Duration overlap) {
        Optional<UUID> uuid = uuid(id);
        if (uuid.isEmpty()) {
            return Optional.empty();
        }
        String secret = StandardWebhooks.newSecret();
        Instant expires = now.plus(overlap);
        int updated = jdbc.sql("""
                        UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = :expires,
                               secret = :secret, updated_at = :now
                        WHERE tenant_id = :tenantId AND id = :id AND deleted_at IS NULL
                        """)
                .param("expires", Sql.ts(expires))
                .param("secret", cipher.seal(secret, uuid.get().toString()))
                .param("now", Sql.ts(now))
                .param("tenantId", tenantId)
                .param("id", uuid.get())
                .update();
        return updated == 0 ? Optional.empty() : Optional.of(new Rotated(uuid.get().toString(), secret, expires));
    }

    /**
     * The secrets a delivery to the endpoint is signed with at {@code now}: the current one, and the previous one
     * while its overlap lasts. Empty when the endpoint was deleted.
     */
    public List<String> signingSecrets(UUID endpointId, Instant now) {
        return jdbc.sql("SELECT secret, previous_secret, previous_secret_expires_at FROM webhook_endpoints WHERE id = :id")
                .param("id", endpointId)
                .query((rs, n) -> {
                    List<String> secrets = new ArrayList<>(2);
                    String current = rs.getString("secret");
                    if (current == null) {
                        return secrets;
                    }
                    secrets.add(cipher.open(current, endpointId.toString()));
                    String previous = rs.getString("previous_secret");
                    Instant expires = Sql.instant(rs, "previous_secret_expires_at");
                    if (previous != null && expires != null && expires.isAfter(now)) {
                        secrets.add(cipher.open(previous, endpointId.toString()));
                    }
                    return secrets;
                })
                .optional()
                .orElse(List.of());
    }

    /** The tenant's live endpoints, to enqueue deliveries for. */
    public List<Target> targets(String tenantId) {
        return jdbc.sql("SELECT id, url, events::text AS events FROM webhook_endpoints WHERE tenant_id = :tenantId AND deleted_at IS NULL ORDER BY created_at, id")
                .param("tenantId", tenantId)
                .query((rs, n) -> new Target(rs.getObject("id", UUID.class), rs.getString("url"),
                        EventFilter.parse(json.readValue(rs.getString("events"), STRING_LIST))))
                .list();
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
