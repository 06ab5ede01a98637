package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.inbound.core.ReceivedMessage;
import io.mediaplatform.callback.status.MessageRecord;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.callback.status.core.Transition;
import io.mediaplatform.callback.support.Sql;
import io.mediaplatform.callback.webhook.core.AttemptResult;
import io.mediaplatform.callback.webhook.core.DeliveryDecision;
import io.mediaplatform.callback.webhook.core.RetrySchedule;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The webhook outbox in PostgreSQL ({@code webhook_deliveries}, {@code webhook_attempts},
 * {@code disabled_endpoints}): deliveries are enqueued in the status transaction, claimed by the sender with
 * {@code FOR UPDATE SKIP LOCKED} under a lease (so a crashed sender's deliveries come back), and finished with
 * their attempt recorded. All state is in the database, so retries survive restarts.
 */
public class WebhookOutbox {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final WebhookPayloads payloads;
    private final RetrySchedule schedule;
    private final WebhookEndpoints endpoints;

    public WebhookOutbox(JdbcClient jdbc, TransactionTemplate transactions, WebhookPayloads payloads, RetrySchedule schedule,
                         WebhookEndpoints endpoints) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.payloads = payloads;
        this.schedule = schedule;
        this.endpoints = endpoints;
    }

    /**
     * A delivery claimed for one attempt.
     *
     * @param endpointId  the tenant endpoint it goes to, null for a message's own callback URL
     * @param linkMediaId the media a fresh download link is put in the body for at this attempt, or null
     */
    public record Claimed(UUID id, String tenantId, String messageId, String url, String payload, int attempts,
                          UUID endpointId, String linkMediaId) {
    }

    /**
     * Enqueues the status webhook: one delivery per callback URL of the message (when {@code toCallbacks}) and
     * one per tenant endpoint whose filter matches the status (when {@code toEndpoints}). A URL disabled for the
     * tenant (410) gets a delivery that is DISABLED from the start. Runs in the caller's transaction.
     *
     * @return how many deliveries were enqueued
     */
    public int enqueue(MessageRecord message, StatusEvent event, Transition transition, Instant now, boolean toCallbacks,
                       boolean toEndpoints) {
        List<WebhookEndpoints.Target> targets = toEndpoints ? endpoints.targets(message.tenantId()).stream()
                .filter(t -> t.filter().matches(event.status())).toList() : List.of();
        if ((!toCallbacks || message.callbackUrls().isEmpty()) && targets.isEmpty()) {
            return 0;
        }
        String payload = payloads.statusUpdated(message, event, transition, now);
        Instant first = now.plus(schedule.waitBefore(1).orElse(Duration.ZERO));
        int count = 0;
        if (toCallbacks) {
            for (String url : message.callbackUrls()) {
                insert(message, event, url, null, payload, first, now);
                count++;
            }
        }
        for (WebhookEndpoints.Target target : targets) {
            insert(message, event, target.url(), target.id(), payload, first, now);
            count++;
        }
        return count;
    }

    /**
     * Enqueues the {@code message.received} webhook of a customer's inbound message: one delivery per tenant
     * endpoint whose filter is empty or names {@code message.received} (inbound messages have no callback URLs of
     * their own). Accepted media gets a fresh download link at each attempt. Runs in the caller's transaction.
     *
     * @return how many deliveries were enqueued
     */
    public int enqueueReceived(ReceivedMessage message, Instant now) {
        List<WebhookEndpoints.Target> targets = endpoints.targets(message.tenantId()).stream()
                .filter(t -> t.filter().matchesMessageReceived()).toList();
        if (targets.isEmpty()) {
            return 0;
        }
        String payload = payloads.messageReceived(message, now);
        Instant first = now.plus(schedule.waitBefore(1).orElse(Duration.ZERO));
        for (WebhookEndpoints.Target target : targets) {
            insert(message.tenantId(), message.messageId(), WebhookPayloads.MESSAGE_RECEIVED, message.status().name(),
                    message.linkMediaId(), target.url(), target.id(), payload, first, now);
        }
        return targets.size();
    }

    private void insert(MessageRecord message, StatusEvent event, String url, UUID endpointId, String payload, Instant first,
                        Instant now) {
        insert(message.tenantId(), message.messageId(), WebhookPayloads.TYPE, event.status().name(), null, url, endpointId,
                payload, first, now);
    }

    private void insert(String tenantId, String messageId, String eventType, String eventStatus, String linkMediaId,
                        String url, UUID endpointId, String payload, Instant first, Instant now) {
        jdbc.sql("""
                        INSERT INTO webhook_deliveries (id, tenant_id, message_id, url, endpoint_id, event_type, event_status,
                                                        link_media_id, payload, status, attempts, next_attempt_at,
                                                        created_at, updated_at)
                        SELECT :id, :tenantId, :messageId, :url, :endpointId, :eventType, :eventStatus, :linkMediaId, :payload,
                               CASE WHEN d.url IS NULL THEN 'PENDING' ELSE 'DISABLED' END,
                               0, CASE WHEN d.url IS NULL THEN :first END, :now, :now
                        FROM (SELECT 1) one
                        LEFT JOIN disabled_endpoints d ON d.tenant_id = :tenantId AND d.url = :url
                        """)
                .param("id", UUID.randomUUID())
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .param("url", url)
                .param("endpointId", endpointId, Types.OTHER)
                .param("eventType", eventType)
                .param("eventStatus", eventStatus)
                .param("linkMediaId", linkMediaId, Types.VARCHAR)
                .param("payload", payload)
                .param("first", Sql.ts(first))
                .param("now", Sql.ts(now))
                .update();
    }

    /**
     * Claims up to {@code limit} PENDING deliveries that are due, pushing their next attempt out by
     * {@code lease} so no other sender takes them meanwhile.
     */
    public List<Claimed> claimDue(Instant now, Duration lease, int limit) {
        return jdbc.sql("""
                        UPDATE webhook_deliveries d SET next_attempt_at = :leaseUntil
                        WHERE d.id IN (SELECT id FROM webhook_deliveries
                                       WHERE status = 'PENDING' AND next_attempt_at <= :now
                                       ORDER BY next_attempt_at LIMIT :limit
                                       FOR UPDATE SKIP LOCKED)
                        RETURNING d.id, d.tenant_id, d.message_id, d.url, d.payload, d.attempts, d.endpoint_id, d.link_media_id
                        """)
                .param("leaseUntil", Sql.ts(now.plus(lease)))
                .param("now", Sql.ts(now))
                .param("limit", limit)
                .query((rs, n) -> new Claimed(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                        rs.getString("message_id"), rs.getString("url"), rs.getString("payload"), rs.getInt("attempts"),
                        rs.getObject("endpoint_id", UUID.class), rs.getString("link_media_id")))
                .list();
    }

    /** Records the attempt and applies the decision, in one transaction. */
    public void finish(Claimed delivery, int attemptNo, Instant at, AttemptResult result, long latencyMs,
                       DeliveryDecision decision) {
        Integer statusCode = result instanceof AttemptResult.Responded r ? r.statusCode() : null;
        String error = switch (result) {
            case AttemptResult.Responded r -> r.successful() ? null : "HTTP " + r.statusCode();
            case AttemptResult.Errored e -> e.error();
            case AttemptResult.Blocked b -> "blocked: " + b.error();
        };
        String status = switch (decision) {
            case DeliveryDecision.Delivered d -> "DELIVERED";
            case DeliveryDecision.RetryAt r -> "PENDING";
            case DeliveryDecision.Disable d -> "DISABLED";
            case DeliveryDecision.GiveUp g -> "FAILED";
        };
        Instant next = decision instanceof DeliveryDecision.RetryAt r ? r.when() : null;
        transactions.executeWithoutResult(tx -> {
            int updated = jdbc.sql("""
                            UPDATE webhook_deliveries SET attempts = :attemptNo, status = :status, next_attempt_at = :next,
                                   last_status_code = COALESCE(:statusCode, last_status_code), updated_at = :at
                            WHERE id = :id AND attempts = :previous
                            """)
                    .param("attemptNo", attemptNo)
                    .param("status", status)
                    .param("next", Sql.ts(next), Types.TIMESTAMP_WITH_TIMEZONE)
                    .param("statusCode", statusCode, Types.INTEGER)
                    .param("at", Sql.ts(at))
                    .param("id", delivery.id())
                    .param("previous", attemptNo - 1)
                    .update();
            if (updated == 0) {
                return; // another sender finished this attempt after our lease ran out
            }
            jdbc.sql("""
                            INSERT INTO webhook_attempts (delivery_id, attempt_no, at, status_code, latency_ms, error)
                            VALUES (:id, :attemptNo, :at, :statusCode, :latencyMs, :error)
                            """)
                    .param("id", delivery.id())
                    .param("attemptNo", attemptNo)
                    .param("at", Sql.ts(at))
                    .param("statusCode", statusCode, Types.INTEGER)
                    .param("latencyMs", latencyMs)
                    .param("error", error, Types.VARCHAR)
                    .update();
            if (decision instanceof DeliveryDecision.Disable) {
                jdbc.sql("""
                                INSERT INTO disabled_endpoints (tenant_id, url, disabled_at, status_code)
                                VALUES (:tenantId, :url, :at, :statusCode) ON CONFLICT DO NOTHING
                                """)
                        .param("tenantId", delivery.tenantId())
                        .param("url", delivery.url())
                        .param("at", Sql.ts(at))
                        .param("statusCode", statusCode == null ? 410 : statusCode)
                        .update();
                jdbc.sql("""
                                UPDATE webhook_deliveries SET status = 'DISABLED', next_attempt_at = NULL, updated_at = :at
                                WHERE tenant_id = :tenantId AND url = :url AND status = 'PENDING'
                                """)
                        .param("at", Sql.ts(at))
                        .param("tenantId", delivery.tenantId())
                        .param("url", delivery.url())
                        .update();
            }
        });
    }
}
