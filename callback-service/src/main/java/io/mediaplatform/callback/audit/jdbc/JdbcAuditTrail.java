package io.mediaplatform.callback.audit.jdbc;

import io.mediaplatform.callback.audit.core.AuditEntry;
import io.mediaplatform.callback.audit.core.AuditQuery;
import io.mediaplatform.callback.audit.core.AuditTrail;
import io.mediaplatform.callback.support.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link AuditTrail} in PostgreSQL ({@code audit_trail}). */
@Component
public class JdbcAuditTrail implements AuditTrail {

    private final JdbcClient jdbc;

    public JdbcAuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(String tenantId, AuditEntry e) {
        jdbc.sql("""
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
                            outcome_rank = GREATEST(audit_trail.outcome_rank, EXCLUDED.outcome_rank)""")
                .param("tenant", tenantId).param("message", e.messageId()).param("at", Sql.ts(e.at()))
                .param("direction", e.direction()).param("actor", e.actor()).param("media", e.mediaId())
                .param("asset", e.assetId()).param("channel", e.channel()).param("sender", e.from())
                .param("recipient", e.to()).param("outcome", e.outcome()).param("rank", AuditEntry.rank(e.outcome()))
                .param("reason", e.reason()).param("reasonMessage", e.reasonMessage())
                .update();
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
