package io.mediaplatform.ingest.fallback.jdbc;

import io.mediaplatform.ingest.fallback.core.FallbackPlan;
import io.mediaplatform.ingest.fallback.core.FallbackPlans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link FallbackPlans} in PostgreSQL ({@code ingest_fallback_plans}). Recording is an {@code INSERT … ON CONFLICT DO
 * NOTHING}; a claim is an {@code UPDATE … WHERE claimed_at IS NULL RETURNING …} inside a transaction that also runs the
 * caller's action: a second claimant waits on the row lock and then finds the plan claimed; an action that throws rolls
 * the claim back. Plans older than {@code ttl}, claimed or not, are swept.
 */
public class JdbcFallbackPlans implements FallbackPlans, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcFallbackPlans.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration ttl;
    private ScheduledExecutorService sweeper;

    public JdbcFallbackPlans(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json, Clock clock,
                             Duration ttl) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public void record(FallbackPlan plan) {
        jdbc.sql("""
                        INSERT INTO ingest_fallback_plans (tenant_id, message_id, root_message_id, attempt, channel,
                                                           remaining, send, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(plan.tenantId(), plan.messageId(), plan.rootMessageId(), plan.attempt(), plan.channel(),
                        String.join(",", plan.remainingChannels()), json.writeValueAsString(plan.send()),
                        Timestamp.from(clock.instant()))
                .update();
    }

    @Override
    public Optional<FallbackPlan> claim(String tenantId, String messageId, Consumer<FallbackPlan> act) {
        return transactions.execute(status -> {
            Optional<FallbackPlan> plan = jdbc.sql("""
                            UPDATE ingest_fallback_plans SET claimed_at = ?
                            WHERE tenant_id = ? AND message_id = ? AND claimed_at IS NULL
                            RETURNING tenant_id, message_id, root_message_id, attempt, channel, remaining, send""")
                    .params(Timestamp.from(clock.instant()), tenantId, messageId)
                    .query(this::plan)
                    .optional();
            plan.ifPresent(act);
            return plan;
        });
    }

    /** Deletes the plans kept longer than the TTL; answers how many. */
    public int sweep() {
        return jdbc.sql("DELETE FROM ingest_fallback_plans WHERE created_at <= ?")
                .params(Timestamp.from(clock.instant().minus(ttl))).update();
    }

    /** Sweeps every {@code interval}. */
    public synchronized void start(Duration interval) {
        if (sweeper == null) {
            sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("fallback-plan-sweeper").factory());
            sweeper.scheduleWithFixedDelay(this::sweepLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void sweepLogged() {
        try {
            log.info("Fallback plans swept: {}", sweep());
        } catch (RuntimeException e) {
            log.warn("Fallback plan sweep failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }

    private FallbackPlan plan(ResultSet rs, int row) throws SQLException {
        String remaining = rs.getString("remaining");
        List<String> channels = remaining.isEmpty() ? List.of() : Arrays.asList(remaining.split(","));
        return new FallbackPlan(rs.getString("tenant_id"), rs.getString("message_id"), rs.getString("root_message_id"),
                rs.getInt("attempt"), rs.getString("channel"), channels,
                json.readValue(rs.getString("send"), FallbackPlan.Send.class));
    }
}
