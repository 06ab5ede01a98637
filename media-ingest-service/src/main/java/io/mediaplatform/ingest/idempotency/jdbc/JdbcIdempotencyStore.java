package io.mediaplatform.ingest.idempotency.jdbc;

import io.mediaplatform.ingest.idempotency.core.IdempotencyKey;
import io.mediaplatform.ingest.idempotency.core.IdempotencyRule;
import io.mediaplatform.ingest.idempotency.core.IdempotencyStore;
import io.mediaplatform.ingest.idempotency.core.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link IdempotencyStore} in PostgreSQL ({@code ingest_idempotency_keys}): a claim is an {@code INSERT … ON CONFLICT
 * DO NOTHING}, so of two instances receiving the same key at once exactly one wins; a takeover (expired key, dead
 * claim) is an update conditional on the old claim token. A sweep deletes expired keys and, per tenant, the oldest
 * beyond {@code maxKeysPerTenant}.
 */
public class JdbcIdempotencyStore implements IdempotencyStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcIdempotencyStore.class);
    private static final int ATTEMPTS = 5;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration ttl;
    private final Duration lease;
    private final int maxKeysPerTenant;
    private ScheduledExecutorService sweeper;

    public JdbcIdempotencyStore(JdbcClient jdbc, Clock clock, Duration ttl, Duration lease, int maxKeysPerTenant) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = ttl;
        this.lease = lease;
        this.maxKeysPerTenant = maxKeysPerTenant;
    }

    @Override
    public Claim begin(IdempotencyKey key, String requestHash, String proposedResourceId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            String token = UUID.randomUUID().toString();
            int inserted = jdbc.sql("""
                            INSERT INTO ingest_idempotency_keys (tenant_id, scope, idem_key, request_hash, resource_id,
                                                                 claim_token, created_at, lease_until)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(key.tenantId(), key.scope(), key.key(), requestHash, proposedResourceId, token,
                            Timestamp.from(now), Timestamp.from(now.plus(lease)))
                    .update();
            if (inserted == 1) {
                return new New(key, token, proposedResourceId);
            }
            Optional<StoredKey> stored = find(key);
            if (stored.isEmpty()) {
                continue; // abandoned meanwhile: claim it on the next round
            }
            switch (IdempotencyRule.decide(stored.get(), requestHash, now, ttl)) {
                case IdempotencyRule.TakeOver takeOver -> {
                    String resourceId = takeOver.keepResourceId() ? stored.get().resourceId() : proposedResourceId;
                    int taken = jdbc.sql("""
                                    UPDATE ingest_idempotency_keys
                                    SET request_hash = ?, resource_id = ?, answer = NULL, claim_token = ?, created_at = ?,
                                        lease_until = ?
                                    WHERE tenant_id = ? AND scope = ? AND idem_key = ? AND claim_token = ?""")
                            .params(requestHash, resourceId, token, Timestamp.from(now), Timestamp.from(now.plus(lease)),
                                    key.tenantId(), key.scope(), key.key(), stored.get().claimToken())
                            .update();
                    if (taken == 1) {
                        return new New(key, token, resourceId);
                    }
                }
                case IdempotencyRule.Replay replay -> {
                    return new Replay(replay.answer(), replay.requestHash());
                }
                case IdempotencyRule.Conflict conflict -> {
                    return new Conflict();
                }
                case IdempotencyRule.InFlight inFlight -> {
                    return new InFlight();
                }
            }
        }
        // every round lost a race with another claimant: let the caller wait as for one in flight
        return new InFlight();
    }

    @Override
    public boolean complete(New claim, String requestHash, String answer) {
        int updated = jdbc.sql("""
                        UPDATE ingest_idempotency_keys SET request_hash = ?, answer = ?
                        WHERE tenant_id = ? AND scope = ? AND idem_key = ? AND claim_token = ?""")
                .params(requestHash, answer, claim.key().tenantId(), claim.key().scope(), claim.key().key(), claim.token())
                .update();
        if (updated == 0) {
            log.warn("Idempotency-Key claim of tenant {} ({}) was lost before its answer was kept (its lease of {} ran out)",
                    claim.key().tenantId(), claim.key().scope(), lease);
        }
        return updated == 1;
    }

    @Override
    public void abandon(New claim) {
        jdbc.sql("DELETE FROM ingest_idempotency_keys WHERE tenant_id = ? AND scope = ? AND idem_key = ? AND claim_token = ?")
                .params(claim.key().tenantId(), claim.key().scope(), claim.key().key(), claim.token())
                .update();
    }

    private Optional<StoredKey> find(IdempotencyKey key) {
        return jdbc.sql("""
                        SELECT request_hash, resource_id, answer, claim_token, created_at, lease_until
                        FROM ingest_idempotency_keys WHERE tenant_id = ? AND scope = ? AND idem_key = ?""")
                .params(key.tenantId(), key.scope(), key.key())
                .query((rs, row) -> new StoredKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant()))
                .optional();
    }

    /** Deletes expired keys and each tenant's oldest beyond the limit; answers how many. */
    public int sweep() {
        Instant now = clock.instant();
        int expired = jdbc.sql("DELETE FROM ingest_idempotency_keys WHERE created_at <= ?")
                .params(Timestamp.from(now.minus(ttl))).update();
        int excess = jdbc.sql("""
                        DELETE FROM ingest_idempotency_keys k USING (
                            SELECT tenant_id, scope, idem_key,
                                   row_number() OVER (PARTITION BY tenant_id ORDER BY created_at DESC) AS n
                            FROM ingest_idempotency_keys) ranked
                        WHERE ranked.n > ? AND k.tenant_id = ranked.tenant_id AND k.scope = ranked.scope
                          AND k.idem_key = ranked.idem_key""")
                .params(maxKeysPerTenant).update();
        return expired + excess;
    }

    /** Sweeps every {@code interval}. */
    public synchronized void start(Duration interval) {
        if (sweeper != null) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("idempotency-sweeper").factory());
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                int deleted = sweep();
                if (deleted > 0) {
                    log.info("Idempotency keys swept: {}", deleted);
                }
            } catch (RuntimeException e) {
                log.warn("Idempotency key sweep failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }
}
