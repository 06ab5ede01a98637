package io.mediaplatform.callback.audit.jdbc;

import io.mediaplatform.callback.audit.core.AuditEntry;
import io.mediaplatform.callback.audit.core.AuditQuery;
import io.mediaplatform.callback.audit.core.AuditRedaction;
import io.mediaplatform.callback.audit.core.AuditTrail;
import io.mediaplatform.callback.support.Sql;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link AuditTrail} in PostgreSQL ({@code audit_trail}). */
@Component
public class JdbcAuditTrail implements AuditTrail {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final TransactionTemplate transactions;

    public JdbcAuditTrail(JdbcClient jdbc, NamedParameterJdbcTemplate batch, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transactions = transactions;
    }

    private static final String UPSERT = """
            INSERT INTO audit_trail (tenant_id, message_id, at, updated_at, direction, actor, media_id, asset_id,
                channel, sender, recipient, outcome, outcome_rank, reason, reason_message)
            VALUES (:tenant, :message, :at, :at, :direction, :actor, :media, :asset, :channel, :sender, :recipient,
                :outcome, :rank, :reason, :reasonMessage)
            ON CONFLICT (tenant_id, message_id) DO UPDATE SET
                at = LEAST(audit_trail.at, EXCLUDED.at),
                direction = COALESCE(audit_trail.direction, EXCLUDED.direction),
                actor = COALESCE(audit_trail.actor, EXCLUDED.actor),
                media_id = COALESCE(audit_trail.media_id, EXCLUDED.media_id),
                asset_id = COALESCE(audit_trail.asset_id, EXCLUDED.asset_id),
                channel = COALESCE(audit_trail.channel, EXCLUDED.channel),
                sender = COALESCE(audit_trail.sender, EXCLUDED.sender),
                recipient = COALESCE(audit_trail.recipient, EXCLUDED.recipient),
                updated_at = GREATEST(audit_trail.updated_at, EXCLUDED.updated_at),
                outcome = CASE WHEN EXCLUDED.outcome_rank >= audit_trail.outcome_rank
                    THEN EXCLUDED.outcome ELSE audit_trail.outcome END,
                reason = CASE WHEN EXCLUDED.outcome_rank >= audit_trail.outcome_rank
                    THEN EXCLUDED.reason ELSE audit_trail.reason END,
                reason_message = CASE WHEN EXCLUDED.outcome_rank >= audit_trail.outcome_rank
                    THEN EXCLUDED.reason_message ELSE audit_trail.reason_message END,
                outcome_rank = GREATEST(audit_trail.outcome_rank, EXCLUDED.outcome_rank)""";

    @Override
    public void record(String tenantId, AuditEntry e) {
        batch.update(UPSERT, params(tenantId, e));
    }

    /**
     * One JDBC batch in one transaction, the rows taken in key order (stable, so one message's entries keep theirs):
     * concurrent polls touching the same messages lock them in the same order and do not deadlock.
     */
    @Override
    public void recordAll(List<Tenanted> entries) {
        if (entries.isEmpty()) {
            return;
        }
        SqlParameterSource[] rows = entries.stream()
                .sorted(Comparator.comparing(Tenanted::tenantId).thenComparing(t -> t.entry().messageId()))
                .map(t -> params(t.tenantId(), t.entry())).toArray(SqlParameterSource[]::new);
        transactions.executeWithoutResult(tx -> batch.batchUpdate(UPSERT, rows));
    }

    private static MapSqlParameterSource params(String tenantId, AuditEntry e) {
        return new MapSqlParameterSource().addValue("tenant", tenantId).addValue("message", e.messageId())
                .addValue("at", Sql.ts(e.at())).addValue("direction", e.direction()).addValue("actor", e.actor())
                .addValue("media", e.mediaId()).addValue("asset", e.assetId()).addValue("channel", e.channel())
                .addValue("sender", e.from()).addValue("recipient", e.to()).addValue("outcome", e.outcome())
                .addValue("rank", AuditEntry.rank(e.outcome())).addValue("reason", e.reason())
                .addValue("reasonMessage", e.reasonMessage());
    }

    /**
     * {@link AuditRedaction} as one UPDATE: the address blanked where it is the sender, recipient or actor, each of its
     * spellings replaced in the reason in words. The trigger {@code audit_trail_skip_erased} keeps the erased
     * messages' later events out.
     */
    @Override
    public int redact(String tenantId, AuditRedaction redaction) {
        List<String> spellings = redaction.spellings();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenantId);
        params.put("channel", redaction.channel());
        params.put("address", redaction.address());
        params.put("erased", AuditRedaction.ERASED);
        String reason = "reason_message";
        StringBuilder inReason = new StringBuilder();
        for (int i = 0; i < spellings.size(); i++) {
            params.put("spelling" + i, spellings.get(i));
            reason = "replace(" + reason + ", :spelling" + i + ", :erased)";
            inReason.append(" OR strpos(reason_message, :spelling").append(i).append(") > 0");
        }
        return jdbc.sql("""
                        UPDATE audit_trail SET
                            sender = CASE WHEN sender = :address THEN NULL ELSE sender END,
                            recipient = CASE WHEN recipient = :address THEN NULL ELSE recipient END,
                            actor = CASE WHEN actor = :address THEN NULL ELSE actor END,
                            reason_message = %s
                        WHERE tenant_id = :tenant AND (channel = :channel OR channel IS NULL)
                          AND (sender = :address OR recipient = :address OR actor = :address%s)"""
                        .formatted(reason, inReason))
                .params(params).update();
    }

    @Override
    public List<AuditEntry> search(String tenantId, AuditQuery query) {
        StringBuilder sql = new StringBuilder("""
                SELECT message_id, at, updated_at, direction, actor, media_id, asset_id, channel, sender, recipient, outcome,
                    reason, reason_message FROM audit_trail WHERE tenant_id = :tenant""");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenantId);
        if (query.mediaId() != null) {
            sql.append(" AND media_id = :media");
            params.put("media", query.mediaId());
        }
        if (query.assetId() != null) {
            sql.append(" AND asset_id = :asset");
            params.put("asset", query.assetId());
        }
        if (query.recipient() != null) {
            sql.append(" AND recipient = :recipient");
            params.put("recipient", query.recipient());
        }
        if (query.since() != null) {
            sql.append(" AND at >= :since");
            params.put("since", Sql.ts(query.since()));
        }
        if (query.until() != null) {
            sql.append(" AND at < :until");
            params.put("until", Sql.ts(query.until()));
        }
        if (query.cursor() != null) {
            sql.append(" AND (at, message_id) < (:cursorAt, :cursorId)");
            params.put("cursorAt", Sql.ts(query.cursor().at()));
            params.put("cursorId", query.cursor().messageId());
        }
        sql.append(" ORDER BY at DESC, message_id DESC LIMIT :limit");
        params.put("limit", query.limit() + 1);
        return jdbc.sql(sql.toString()).params(params).query((rs, row) -> new AuditEntry(rs.getString("message_id"),
                Sql.instant(rs, "at"), Sql.instant(rs, "updated_at"), rs.getString("direction"), rs.getString("actor"),
                rs.getString("media_id"), rs.getString("asset_id"), rs.getString("channel"), rs.getString("sender"),
                rs.getString("recipient"), rs.getString("outcome"), rs.getString("reason"),
                rs.getString("reason_message"))).list();
    }
}
