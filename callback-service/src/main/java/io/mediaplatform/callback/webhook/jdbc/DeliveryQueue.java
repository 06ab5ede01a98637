package io.mediaplatform.callback.webhook.jdbc;

import io.mediaplatform.callback.support.Sql;
import io.mediaplatform.callback.webhook.WebhookPayloads;
import io.mediaplatform.callback.webhook.core.ClaimedDelivery;
import io.mediaplatform.callback.webhook.core.NewDelivery;
import io.mediaplatform.callback.webhook.core.RetrySchedule;
import io.mediaplatform.callback.webhook.core.TraceContext;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The queue side of the webhook outbox in PostgreSQL ({@code webhook_deliveries}): deliveries are written in the
 * caller's (status) transaction with the trace of their message, and claimed by the sender with
 * {@code FOR UPDATE SKIP LOCKED} under a lease, so a crashed sender's deliveries come back.
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
 * in the order of the status path ({@code MessageState}):
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
public class DeliveryQueue {

    /**
     * Longest a status delivery enqueued behind another one of its message and target is left unlooked-at: the hint
     * is re-read at least this often, so a release that could not see the row yet delays it by this much at most.
     */
    static final Duration MAX_HOLD_HINT = Duration.ofSeconds(2);

    /**
     * {@code earlier} is a status delivery of {@code later}'s message to {@code later}'s target, enqueued before
     * it (whatever its state). {@code message.received} deliveries never match.
     */
    static final String EARLIER_SAME_TARGET = """
            earlier.tenant_id = later.tenant_id AND earlier.message_id = later.message_id
            AND earlier.url = later.url AND earlier.endpoint_id IS NOT DISTINCT FROM later.endpoint_id
            AND earlier.event_type = '%1$s' AND later.event_type = '%1$s'
            AND earlier.seq < later.seq""".formatted(WebhookPayloads.TYPE);

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final RetrySchedule schedule;
    private final Function<String, Optional<TraceContext>> traces;

    /** {@code traces}: the trace of a message (by its id) to store with its deliveries, empty when none is known. */
    public DeliveryQueue(JdbcClient jdbc, NamedParameterJdbcTemplate batch, RetrySchedule schedule,
                         Function<String, Optional<TraceContext>> traces) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.schedule = schedule;
        this.traces = traces;
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
                .mapToObj(i -> insertRow(deliveries.get(i), ids.get(i), traces.apply(deliveries.get(i).messageId())))
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
    public List<ClaimedDelivery> claimDue(Instant now, Duration lease, int limit) {
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
                .query((rs, n) -> new ClaimedDelivery(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                        rs.getString("message_id"), rs.getString("url"), rs.getString("payload"), rs.getInt("attempts"),
                        rs.getObject("endpoint_id", UUID.class), rs.getString("link_media_id"),
                        TraceContext.of(rs.getString("traceparent"), rs.getString("tracestate")).orElse(null)))
                .list();
    }
}
