package io.mediaplatform.callback.webhook.jdbc;

import io.mediaplatform.callback.support.Sql;
import io.mediaplatform.callback.webhook.core.AttemptReport;
import io.mediaplatform.callback.webhook.core.ClaimedDelivery;
import io.mediaplatform.callback.webhook.core.DeliveryDecision;
import io.mediaplatform.callback.webhook.core.FinishedAttempt;
import io.mediaplatform.callback.webhook.core.RetrySchedule;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The attempt side of the webhook outbox in PostgreSQL ({@code webhook_attempts}, {@code disabled_endpoints}): records
 * each attempt the sender made and applies its decision (made by the core's {@code WebhookRetryPolicy}) to the
 * delivery, moving the scheduling hint of the status deliveries held behind it ({@link DeliveryQueue}).
 */
public class AttemptLedger {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final TransactionTemplate transactions;
    private final RetrySchedule schedule;

    public AttemptLedger(JdbcClient jdbc, NamedParameterJdbcTemplate batch, TransactionTemplate transactions,
                         RetrySchedule schedule) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transactions = transactions;
        this.schedule = schedule;
    }

    /**
     * Records the attempts and applies their decisions, all in one transaction of a few round trips (JDBC batches):
     * each delivery's state, its attempt, and the hint of the deliveries held behind it; a 410 disables its URL for
     * the tenant. Answers, for each one in order, whether it was recorded (false: another sender finished that
     * attempt after this one's lease ran out).
     */
    public List<Boolean> recordAll(List<FinishedAttempt> attempts) {
        if (attempts.isEmpty()) {
            return List.of();
        }
        List<Boolean> recorded = transactions.execute(tx -> {
            int[] updated = batch.batchUpdate("""
                            UPDATE webhook_deliveries SET attempts = :attemptNo, status = :status, next_attempt_at = :next,
                                   last_status_code = COALESCE(:statusCode, last_status_code), updated_at = :at
                            WHERE id = :id AND attempts = :previous
                            """, attempts.stream().map(f -> new MapSqlParameterSource()
                            .addValue("attemptNo", f.attemptNo())
                            .addValue("status", AttemptReport.state(f.decision()))
                            .addValue("next", Sql.ts(f.decision() instanceof DeliveryDecision.RetryAt r ? r.when() : null),
                                    Types.TIMESTAMP_WITH_TIMEZONE)
                            .addValue("statusCode", AttemptReport.statusCode(f.result()), Types.INTEGER)
                            .addValue("at", Sql.ts(f.at()))
                            .addValue("id", f.delivery().id())
                            .addValue("previous", f.attemptNo() - 1)).toArray(SqlParameterSource[]::new));
            List<Boolean> done = new ArrayList<>();
            List<FinishedAttempt> recordedNow = new ArrayList<>();
            for (int i = 0; i < attempts.size(); i++) {
                // 0: another sender finished this attempt after our lease ran out
                boolean mine = updated[i] != 0;
                done.add(mine);
                if (mine) {
                    recordedNow.add(attempts.get(i));
                }
            }
            batch.batchUpdate("""
                            INSERT INTO webhook_attempts (delivery_id, attempt_no, at, status_code, latency_ms, error)
                            VALUES (:id, :attemptNo, :at, :statusCode, :latencyMs, :error)
                            """, recordedNow.stream().map(f -> new MapSqlParameterSource()
                            .addValue("id", f.delivery().id())
                            .addValue("attemptNo", f.attemptNo())
                            .addValue("at", Sql.ts(f.at()))
                            .addValue("statusCode", AttemptReport.statusCode(f.result()), Types.INTEGER)
                            .addValue("latencyMs", f.latencyMs())
                            .addValue("error", AttemptReport.error(f.result()), Types.VARCHAR)).toArray(SqlParameterSource[]::new));
            holdLaterUntil(recordedNow.stream().filter(f -> f.decision() instanceof DeliveryDecision.RetryAt).toList());
            releaseLater(recordedNow.stream().filter(f -> AttemptReport.releasesLater(f.decision())).toList());
            // every PENDING delivery to a disabled URL, those held behind this one included, is disabled, after the
            // others are recorded
            recordedNow.stream().filter(f -> f.decision() instanceof DeliveryDecision.Disable).forEach(this::disable);
            return done;
        });
        return recorded;
    }

    private void disable(FinishedAttempt finished) {
        ClaimedDelivery delivery = finished.delivery();
        Integer statusCode = AttemptReport.statusCode(finished.result());
        jdbc.sql("""
                        INSERT INTO disabled_endpoints (tenant_id, url, disabled_at, status_code)
                        VALUES (:tenantId, :url, :at, :statusCode) ON CONFLICT DO NOTHING
                        """)
                .param("tenantId", delivery.tenantId())
                .param("url", delivery.url())
                .param("at", Sql.ts(finished.at()))
                .param("statusCode", statusCode == null ? 410 : statusCode)
                .update();
        jdbc.sql("""
                        UPDATE webhook_deliveries SET status = 'DISABLED', next_attempt_at = NULL, updated_at = :at
                        WHERE tenant_id = :tenantId AND url = :url AND status = 'PENDING'
                        """)
                .param("at", Sql.ts(finished.at()))
                .param("tenantId", delivery.tenantId())
                .param("url", delivery.url())
                .update();
    }

    /**
     * The status deliveries held behind each of these (same message and target, enqueued later, PENDING), which is
     * retried later, are not looked at before it is tried again. Only a scheduling hint: rows another transaction
     * holds are left as they are.
     */
    private void holdLaterUntil(List<FinishedAttempt> retried) {
        if (retried.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                        UPDATE webhook_deliveries SET next_attempt_at = :until
                        WHERE id IN (SELECT later.id FROM webhook_deliveries earlier
                                     JOIN webhook_deliveries later ON later.status = 'PENDING' AND %s
                                     WHERE earlier.id = :id AND later.next_attempt_at < :until
                                     FOR UPDATE OF later SKIP LOCKED)
                        """.formatted(DeliveryQueue.EARLIER_SAME_TARGET), retried.stream().map(f -> new MapSqlParameterSource()
                        .addValue("until", Sql.ts(((DeliveryDecision.RetryAt) f.decision()).when()))
                        .addValue("id", f.delivery().id())).toArray(SqlParameterSource[]::new));
    }

    /**
     * The status deliveries held behind each of these, which has just ended, are looked at again from its end (or
     * from their own first wait after enqueue, when that is later). Only a scheduling hint, as above.
     */
    private void releaseLater(List<FinishedAttempt> ended) {
        if (ended.isEmpty()) {
            return;
        }
        long firstWaitMs = schedule.waitBefore(1).orElse(Duration.ZERO).toMillis();
        batch.batchUpdate("""
                        UPDATE webhook_deliveries d
                        SET next_attempt_at = GREATEST(:at, d.created_at + :firstWaitMs * interval '1 millisecond')
                        WHERE d.id IN (SELECT later.id FROM webhook_deliveries earlier
                                       JOIN webhook_deliveries later ON later.status = 'PENDING' AND %s
                                       WHERE earlier.id = :id
                                         AND later.next_attempt_at > GREATEST(:at, later.created_at + :firstWaitMs * interval '1 millisecond')
                                       FOR UPDATE OF later SKIP LOCKED)
                        """.formatted(DeliveryQueue.EARLIER_SAME_TARGET), ended.stream().map(f -> new MapSqlParameterSource()
                        .addValue("at", Sql.ts(f.at()))
                        .addValue("firstWaitMs", firstWaitMs)
                        .addValue("id", f.delivery().id())).toArray(SqlParameterSource[]::new));
    }
}
