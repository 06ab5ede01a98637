package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.inbound.core.ReceivedMessage;
import io.mediaplatform.callback.status.MessageRecord;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.callback.status.core.Transition;
import io.mediaplatform.callback.support.Sql;
import io.mediaplatform.callback.webhook.core.AttemptResult;
import io.mediaplatform.callback.webhook.core.DeliveryDecision;
import io.mediaplatform.callback.webhook.core.RetrySchedule;
import io.mediaplatform.callback.webhook.core.TraceContext;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The webhook outbox in PostgreSQL ({@code webhook_deliveries}, {@code webhook_attempts},
 * {@code disabled_endpoints}): deliveries are enqueued in the status transaction, claimed by the sender with
 * {@code FOR UPDATE SKIP LOCKED} under a lease (so a crashed sender's deliveries come back), and finished with
 * their attempt recorded. All state is in the database, so retries survive restarts; so does the trace of each
 * delivery's message ({@code traceparent}, {@code tracestate}: {@link WebhookTraces}), stored when it is enqueued.
 *
 * <h2>Order per message and target</h2>
 * The status webhooks ({@code message.status.updated}) of one message reach each target (one callback URL of the
 * message, or one tenant endpoint) one at a time, in the order they were enqueued: {@link #claimDue} does not
 * claim a delivery while an earlier-enqueued delivery of the same message to the same target is still PENDING
 * (waiting for a retry, or in flight); it goes once every earlier one is final: DELIVERED, or given up (FAILED
 * when its retries are spent or its URL is blocked, DISABLED by a 410 or a deleted endpoint). The rule is in the
 * claim query itself, so it holds across any number of callback instances on one database, and across restarts.
 * A delivery held like this has made no attempt and its retries have not started; its own schedule starts when
 * it is released. Other targets of the same message, and other messages to the same target, are not held.
 * A {@code message.received} webhook (one per inbound message) is neither held nor holds another.
 * A delivery in flight on a sender that died holds the next one until its lease ({@code WEBHOOK_CLAIM_LEASE})
 * runs out and it is tried again; only a sender stalled past its lease, far longer than the request timeout, can
 * have its attempt overtaken by the next delivery.
 *
 * <p>"Enqueued earlier" is the {@code seq} column, taken from a sequence at insert. Every enqueue of a message runs
 * under its row lock ({@code StatusRecorder}, {@code WebhookReplay}), so for one message that is the order of the
 * status transactions and, within one, the order they enqueue in. What that order is when statuses do not arrive
 * in the order of the status path ({@link io.mediaplatform.callback.status.core.MessageState}):
 * <ul>
 *   <li>Each recorded status is enqueued when it arrives: the webhooks follow arrival order, not the order of
 *       the status path. A status that arrives late or out of order, e.g. DELIVERED after READ (history only,
 *       its webhook says {@code currentStatus} READ) or QUEUED after SENT, is sent after the webhooks already
 *       enqueued for that message and target; a status that has not arrived is not waited for (SENT is told
 *       without waiting for a QUEUED that may never come), and those already enqueued are not re-sorted.</li>
 *   <li>A redelivered event or a status already in the history is a duplicate: nothing is enqueued.</li>
 *   <li>Statuses recorded before the message's ACCEPTED event (which alone brings its callback URLs) were
 *       enqueued to the tenant endpoints as they arrived; to the callback URLs they are enqueued when ACCEPTED
 *       arrives, together with it, in the order of their event timestamps.</li>
 *   <li>A replay enqueues behind everything already enqueued for the message, in history order (event
 *       timestamp), so it waits for that message's still-pending deliveries to the same target.</li>
 * </ul>
 *
 * <p>So that a held delivery costs the claim nothing while it waits, its {@code next_attempt_at} is moved to
 * when the delivery ahead of it is next tried: at enqueue, and whenever the one ahead is scheduled for a retry;
 * when the one ahead ends, it is brought back to then. These moves only decide when a held delivery is looked at
 * again; whether it may go is decided by the claim alone.
 */
public class WebhookOutbox {

    /**
     * Longest a status delivery enqueued behind another one of its message and target is left unlooked-at: the hint
     * is re-read at least this often, so a release that could not see the row yet delays it by this much at most.
     */
    static final Duration MAX_HOLD_HINT = Duration.ofSeconds(2);

    /**
     * {@code earlier} is a status delivery of {@code later}'s message to {@code later}'s target, enqueued before
     * it (whatever its state). {@code message.received} deliveries never match.
     */
    private static final String EARLIER_SAME_TARGET = """
            earlier.tenant_id = later.tenant_id AND earlier.message_id = later.message_id
            AND earlier.url = later.url AND earlier.endpoint_id IS NOT DISTINCT FROM later.endpoint_id
            AND earlier.event_type = '%1$s' AND later.event_type = '%1$s'
            AND earlier.seq < later.seq""".formatted(WebhookPayloads.TYPE);

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final TransactionTemplate transactions;
    private final WebhookPayloads payloads;
    private final RetrySchedule schedule;
    private final WebhookEndpoints endpoints;
    private final WebhookTraces traces;
    private final Semaphore work = new Semaphore(0);

    public WebhookOutbox(JdbcClient jdbc, NamedParameterJdbcTemplate batch, TransactionTemplate transactions,
                         WebhookPayloads payloads, RetrySchedule schedule, WebhookEndpoints endpoints, WebhookTraces traces) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transactions = transactions;
        this.payloads = payloads;
        this.schedule = schedule;
        this.endpoints = endpoints;
        this.traces = traces;
    }

    /**
     * A delivery claimed for one attempt.
     *
     * @param endpointId  the tenant endpoint it goes to, null for a message's own callback URL
     * @param linkMediaId the media a fresh download link is put in the body for at this attempt, or null
     * @param trace       the trace of its message, stored when it was enqueued, or null
     */
    public record Claimed(UUID id, String tenantId, String messageId, String url, String payload, int attempts,
                          UUID endpointId, String linkMediaId, TraceContext trace) {
    }

    /**
     * A delivery to enqueue: what {@link #statusDeliveries} and {@link #enqueueReceived} make and
     * {@link #insertAll} writes.
     */
    public record NewDelivery(String tenantId, String messageId, String eventType, String eventStatus, String linkMediaId,
                              String url, UUID endpointId, String payload, Instant first, Instant now) {
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
        List<NewDelivery> deliveries = statusDeliveries(message, event, transition, now, toCallbacks,
                toEndpoints ? endpoints.targets(message.tenantId()) : List.of());
        insertAll(deliveries);
        return deliveries.size();
    }

    /**
     * The deliveries of the status webhook, to be enqueued with {@link #insertAll}: one per callback URL of the
     * message (when {@code toCallbacks}) and one per endpoint of {@code tenantEndpoints} (the tenant's, from
     * {@link WebhookEndpoints#targets}, or none) whose filter matches the status.
     */
    public List<NewDelivery> statusDeliveries(MessageRecord message, StatusEvent event, Transition transition, Instant now,
                                              boolean toCallbacks, List<WebhookEndpoints.Target> tenantEndpoints) {
        List<WebhookEndpoints.Target> targets = tenantEndpoints.stream().filter(t -> t.filter().matches(event.status())).toList();
        if ((!toCallbacks || message.callbackUrls().isEmpty()) && targets.isEmpty()) {
            return List.of();
        }
        String payload = payloads.statusUpdated(message, event, transition, now);
        Instant first = firstAttempt(now);
        List<NewDelivery> deliveries = new ArrayList<>();
        if (toCallbacks) {
            for (String url : message.callbackUrls()) {
                deliveries.add(statusDelivery(message, event, url, null, payload, first, now));
            }
        }
        for (WebhookEndpoints.Target target : targets) {
            deliveries.add(statusDelivery(message, event, target.url(), target.id(), payload, first, now));
        }
        return deliveries;
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
        Instant first = firstAttempt(now);
        insertAll(targets.stream().map(target -> new NewDelivery(message.tenantId(), message.messageId(),
                WebhookPayloads.MESSAGE_RECEIVED, message.status().name(), message.linkMediaId(), target.url(), target.id(),
                payload, first, now)).toList());
        return targets.size();
    }

    private Instant firstAttempt(Instant now) {
        return now.plus(schedule.waitBefore(1).orElse(Duration.ZERO));
    }

    private static NewDelivery statusDelivery(MessageRecord message, StatusEvent event, String url, UUID endpointId,
                                              String payload, Instant first, Instant now) {
        return new NewDelivery(message.tenantId(), message.messageId(), WebhookPayloads.TYPE, event.status().name(), null,
                url, endpointId, payload, first, now);
    }

    /**
     * Writes the deliveries, in their order (the order they reach each target), in one round trip (a JDBC batch).
     * Runs in the caller's transaction, which holds the row lock of each delivery's message.
     *
     * @return the ids of the deliveries, in their order
     */
    public List<UUID> insertAll(List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = deliveries.stream().map(d -> UUID.randomUUID()).toList();
        SqlParameterSource[] rows = IntStream.range(0, deliveries.size())
                .mapToObj(i -> insertRow(deliveries.get(i), ids.get(i), traces.contextOf(deliveries.get(i).messageId())))
                .toArray(SqlParameterSource[]::new);
        // Each row's hold hint reads the pending deliveries ahead of it, those of the rows before it in this batch
        // included: the statements of a JDBC batch run one after the other in this transaction.
        batch.batchUpdate("""
                        INSERT INTO webhook_deliveries (id, tenant_id, message_id, url, endpoint_id, event_type, event_status,
                                                        link_media_id, payload, status, attempts, next_attempt_at,
                                                        created_at, updated_at, traceparent, tracestate)
                        SELECT :id, :tenantId, :messageId, :url, :endpointId, :eventType, :eventStatus, :linkMediaId, :payload,
                               CASE WHEN d.url IS NULL THEN 'PENDING' ELSE 'DISABLED' END,
                               0, CASE WHEN d.url IS NULL THEN LEAST(GREATEST(:first, ahead.until), GREATEST(:first, :holdCap)) END, :now, :now,
                               :traceparent, :tracestate
                        FROM (SELECT 1) one
                        LEFT JOIN disabled_endpoints d ON d.tenant_id = :tenantId AND d.url = :url
                        -- a status delivery enqueued behind pending ones of the message to this target is not looked
                        -- at before they are next tried (a scheduling hint only, see the class comment), but at most
                        -- MAX_HOLD_HINT from now: the one ahead may be in flight (its next_attempt_at is then its claim
                        -- lease) and may end before this row is committed, when releaseLater cannot see it yet
                        CROSS JOIN (SELECT max(earlier.next_attempt_at) AS until FROM webhook_deliveries earlier
                                    WHERE earlier.tenant_id = :tenantId AND earlier.message_id = :messageId
                                      AND earlier.status = 'PENDING' AND earlier.url = :url
                                      AND earlier.endpoint_id IS NOT DISTINCT FROM :endpointId
                                      AND earlier.event_type = :statusType AND earlier.event_type = :eventType) ahead
                        """, rows);
        signalAfterCommit();
        return ids;
    }

    private static SqlParameterSource insertRow(NewDelivery d, UUID id, Optional<TraceContext> trace) {
        return new MapSqlParameterSource()
                .addValue("id", id)
                .addValue("tenantId", d.tenantId())
                .addValue("messageId", d.messageId())
                .addValue("url", d.url())
                .addValue("endpointId", d.endpointId(), Types.OTHER)
                .addValue("eventType", d.eventType())
                .addValue("eventStatus", d.eventStatus())
                .addValue("linkMediaId", d.linkMediaId(), Types.VARCHAR)
                .addValue("payload", d.payload())
                .addValue("statusType", WebhookPayloads.TYPE)
                .addValue("first", Sql.ts(d.first()))
                .addValue("holdCap", Sql.ts(d.now().plus(MAX_HOLD_HINT)))
                .addValue("now", Sql.ts(d.now()))
                .addValue("traceparent", trace.map(TraceContext::traceparent).orElse(null), Types.VARCHAR)
                .addValue("tracestate", trace.map(TraceContext::tracestate).orElse(null), Types.VARCHAR);
    }

    /**
     * Of these status deliveries, just enqueued and committed, those held behind an earlier one of their message and
     * target that has ended meanwhile are looked at again now (or after their own first wait). This closes the gap the
     * hint of {@link #finishAll} cannot see into: the earlier one ending after they read it as pending but before
     * they were committed, which would leave them unlooked-at for up to {@link #MAX_HOLD_HINT}. Only a scheduling
     * hint: rows another transaction holds, rows that were ever tried and rows whose hint is not a hold (a claim's
     * lease) are left as they are. Run outside the enqueuing transaction, after it committed.
     */
    public void releaseEnded(List<UUID> enqueued, Instant now) {
        long firstWaitMs = schedule.waitBefore(1).orElse(Duration.ZERO).toMillis();
        for (int from = 0; from < enqueued.size(); from += 1000) {
            jdbc.sql("""
                            UPDATE webhook_deliveries d
                            SET next_attempt_at = GREATEST(:now, d.created_at + :firstWaitMs * interval '1 millisecond')
                            WHERE d.id IN (SELECT later.id FROM webhook_deliveries later
                                           WHERE later.id IN (:ids) AND later.status = 'PENDING' AND later.attempts = 0
                                             AND later.event_type = :statusType
                                             AND later.next_attempt_at > GREATEST(:now, later.created_at + :firstWaitMs * interval '1 millisecond')
                                             AND later.next_attempt_at <= later.created_at + :holdMs * interval '1 millisecond'
                                             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries earlier
                                                             WHERE earlier.status = 'PENDING' AND %s)
                                           FOR UPDATE OF later SKIP LOCKED)
                            """.formatted(EARLIER_SAME_TARGET))
                    .param("now", Sql.ts(now))
                    .param("firstWaitMs", firstWaitMs)
                    .param("holdMs", MAX_HOLD_HINT.toMillis())
                    .param("statusType", WebhookPayloads.TYPE)
                    .param("ids", enqueued.subList(from, Math.min(enqueued.size(), from + 1000)))
                    .update();
        }
    }

    /**
     * Claims up to {@code limit} PENDING deliveries that are due and not held behind an earlier PENDING status
     * delivery of the same message to the same target (see the class comment), pushing their next attempt out by
     * {@code lease} so no other sender takes them meanwhile. A held delivery stays PENDING, untried, and is
     * claimed by a later poll once everything ahead of it is final.
     */
    public List<Claimed> claimDue(Instant now, Duration lease, int limit) {
        return jdbc.sql("""
                        UPDATE webhook_deliveries d SET next_attempt_at = :leaseUntil
                        WHERE d.id IN (SELECT later.id FROM webhook_deliveries later
                                       WHERE later.status = 'PENDING' AND later.next_attempt_at <= :now
                                         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries earlier
                                                         WHERE earlier.status = 'PENDING' AND %s)
                                       ORDER BY later.next_attempt_at LIMIT :limit
                                       FOR UPDATE OF later SKIP LOCKED)
                        RETURNING d.id, d.tenant_id, d.message_id, d.url, d.payload, d.attempts, d.endpoint_id, d.link_media_id,
                                  d.traceparent, d.tracestate
                        """.formatted(EARLIER_SAME_TARGET))
                .param("leaseUntil", Sql.ts(now.plus(lease)))
                .param("now", Sql.ts(now))
                .param("limit", limit)
                .query((rs, n) -> new Claimed(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                        rs.getString("message_id"), rs.getString("url"), rs.getString("payload"), rs.getInt("attempts"),
                        rs.getObject("endpoint_id", UUID.class), rs.getString("link_media_id"),
                        TraceContext.of(rs.getString("traceparent"), rs.getString("tracestate")).orElse(null)))
                .list();
    }

    /**
     * One attempt made, to be recorded.
     *
     * @param attemptNo the attempt's number (the delivery's attempts so far + 1)
     * @param at        when it started
     */
    public record Finished(Claimed delivery, int attemptNo, Instant at, AttemptResult result, long latencyMs,
                           DeliveryDecision decision) {
    }

    /** Records the attempt and applies the decision, in one transaction; false when another sender recorded it. */
    public boolean finish(Claimed delivery, int attemptNo, Instant at, AttemptResult result, long latencyMs,
                          DeliveryDecision decision) {
        return finishAll(List.of(new Finished(delivery, attemptNo, at, result, latencyMs, decision))).getFirst();
    }

    /**
     * Records the attempts and applies their decisions, all in one transaction of a few round trips (JDBC batches):
     * each delivery's state, its attempt, and the hint of the deliveries held behind it; a 410 disables its URL for
     * the tenant. Answers, for each one in order, whether it was recorded (false: another sender finished that
     * attempt after this one's lease ran out). Wakes the sender when deliveries held behind these may go now.
     */
    public List<Boolean> finishAll(List<Finished> attempts) {
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
                            .addValue("status", switch (f.decision()) {
                                case DeliveryDecision.Delivered d -> "DELIVERED";
                                case DeliveryDecision.RetryAt r -> "PENDING";
                                case DeliveryDecision.Disable d -> "DISABLED";
                                case DeliveryDecision.GiveUp g -> "FAILED";
                            })
                            .addValue("next", Sql.ts(f.decision() instanceof DeliveryDecision.RetryAt r ? r.when() : null),
                                    Types.TIMESTAMP_WITH_TIMEZONE)
                            .addValue("statusCode", statusCode(f.result()), Types.INTEGER)
                            .addValue("at", Sql.ts(f.at()))
                            .addValue("id", f.delivery().id())
                            .addValue("previous", f.attemptNo() - 1)).toArray(SqlParameterSource[]::new));
            List<Boolean> done = new ArrayList<>();
            List<Finished> recordedNow = new ArrayList<>();
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
                            .addValue("statusCode", statusCode(f.result()), Types.INTEGER)
                            .addValue("latencyMs", f.latencyMs())
                            .addValue("error", error(f.result()), Types.VARCHAR)).toArray(SqlParameterSource[]::new));
            holdLaterUntil(recordedNow.stream().filter(f -> f.decision() instanceof DeliveryDecision.RetryAt).toList());
            releaseLater(recordedNow.stream().filter(f -> f.decision() instanceof DeliveryDecision.Delivered
                    || f.decision() instanceof DeliveryDecision.GiveUp).toList());
            // every PENDING delivery to a disabled URL, those held behind this one included, is disabled, after the
            // others are recorded
            recordedNow.stream().filter(f -> f.decision() instanceof DeliveryDecision.Disable).forEach(this::disable);
            return done;
        });
        signalAfterCommit();
        return recorded;
    }

    private static Integer statusCode(AttemptResult result) {
        return result instanceof AttemptResult.Responded r ? r.statusCode() : null;
    }

    private static String error(AttemptResult result) {
        return switch (result) {
            case AttemptResult.Responded r -> r.successful() ? null : "HTTP " + r.statusCode();
            case AttemptResult.Errored e -> e.error();
            case AttemptResult.Blocked b -> "blocked: " + b.error();
        };
    }

    private void disable(Finished finished) {
        Claimed delivery = finished.delivery();
        Integer statusCode = statusCode(finished.result());
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
    private void holdLaterUntil(List<Finished> retried) {
        if (retried.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                        UPDATE webhook_deliveries SET next_attempt_at = :until
                        WHERE id IN (SELECT later.id FROM webhook_deliveries earlier
                                     JOIN webhook_deliveries later ON later.status = 'PENDING' AND %s
                                     WHERE earlier.id = :id AND later.next_attempt_at < :until
                                     FOR UPDATE OF later SKIP LOCKED)
                        """.formatted(EARLIER_SAME_TARGET), retried.stream().map(f -> new MapSqlParameterSource()
                        .addValue("until", Sql.ts(((DeliveryDecision.RetryAt) f.decision()).when()))
                        .addValue("id", f.delivery().id())).toArray(SqlParameterSource[]::new));
    }

    /**
     * The status deliveries held behind each of these, which has just ended, are looked at again from its end (or
     * from their own first wait after enqueue, when that is later). Only a scheduling hint, as above.
     */
    private void releaseLater(List<Finished> ended) {
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
                        """.formatted(EARLIER_SAME_TARGET), ended.stream().map(f -> new MapSqlParameterSource()
                        .addValue("at", Sql.ts(f.at()))
                        .addValue("firstWaitMs", firstWaitMs)
                        .addValue("id", f.delivery().id())).toArray(SqlParameterSource[]::new));
    }

    /**
     * Waits until deliveries were enqueued or finished (by this instance) since the last wait, or {@code timeout}
     * passed; answers whether it was woken.
     */
    public boolean awaitWork(Duration timeout) throws InterruptedException {
        boolean woken = work.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        work.drainPermits();
        return woken;
    }

    /** Wakes a sender waiting in {@link #awaitWork}. */
    public void signal() {
        if (work.availablePermits() == 0) {
            work.release();
        }
    }

    /** Wakes the sender once the caller's transaction commits (at once outside a transaction). */
    private void signalAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal();
                }
            });
        } else {
            signal();
        }
    }
}
