package io.mediaplatform.callback.messages;

import io.mediaplatform.callback.messages.MessageViews.HistoryEntry;
import io.mediaplatform.callback.messages.MessageViews.MessageDetail;
import io.mediaplatform.callback.messages.MessageViews.MessageSummary;
import io.mediaplatform.callback.messages.MessageViews.WebhookAttempt;
import io.mediaplatform.callback.support.Sql;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.Optional;

/** Reads messages for the status API, always within one tenant. */
public class MessageQueries {

    /** Most messages a search answers. */
    public static final int SEARCH_LIMIT = 100;

    private static final String SUMMARY_COLUMNS = """
            message_id, status, channel, recipient, conversation_id, external_id, client_id, media_id, reason,
            created_at, updated_at""";
    private static final RowMapper<MessageSummary> SUMMARY = (rs, n) -> new MessageSummary(rs.getString("message_id"),
            rs.getString("status"), rs.getString("channel"), rs.getString("recipient"), rs.getString("conversation_id"),
            rs.getString("external_id"), rs.getString("client_id"), rs.getString("media_id"), rs.getString("reason"),
            Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));

    private final JdbcClient jdbc;

    public MessageQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant's message with its history and webhook attempts. */
    public Optional<MessageDetail> find(String tenantId, String messageId) {
        Optional<MessageSummary> summary = jdbc.sql("SELECT " + SUMMARY_COLUMNS
                        + " FROM messages WHERE tenant_id = :tenantId AND message_id = :messageId")
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query(SUMMARY)
                .optional();
        return summary.map(m -> new MessageDetail(m.messageId(), m.status(), m.channel(), m.to(), m.conversationId(),
                m.externalId(), m.clientId(), m.mediaId(), m.reason(), m.createdAt(), m.updatedAt(),
                history(tenantId, messageId), attempts(tenantId, messageId)));
    }

    private List<HistoryEntry> history(String tenantId, String messageId) {
        return jdbc.sql("""
                        SELECT status, at, provider_message_id, reason, detail FROM status_history
                        WHERE tenant_id = :tenantId AND message_id = :messageId ORDER BY at, id
                        """)
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query((rs, n) -> new HistoryEntry(rs.getString("status"), Sql.instant(rs, "at"),
                        rs.getString("provider_message_id"), rs.getString("reason"), rs.getString("detail")))
                .list();
    }

    private List<WebhookAttempt> attempts(String tenantId, String messageId) {
        return jdbc.sql("""
                        SELECT d.url, a.attempt_no, a.at, a.status_code, a.latency_ms, a.error, d.event_status, d.status
                        FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                        WHERE d.tenant_id = :tenantId AND d.message_id = :messageId
                        ORDER BY a.at, a.id
                        """)
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query((rs, n) -> new WebhookAttempt(rs.getString("url"), rs.getInt("attempt_no"), Sql.instant(rs, "at"),
                        Sql.integer(rs, "status_code"), rs.getLong("latency_ms"), rs.getString("error"),
                        rs.getString("event_status"), rs.getString("status")))
                .list();
    }

    /** The tenant's latest messages with that external id, newest first. */
    public List<MessageSummary> byExternalId(String tenantId, String externalId) {
        return search(tenantId, "external_id", externalId);
    }

    /** The tenant's latest messages of that client id, newest first. */
    public List<MessageSummary> byClientId(String tenantId, String clientId) {
        return search(tenantId, "client_id", clientId);
    }

    private List<MessageSummary> search(String tenantId, String column, String value) {
        return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM messages WHERE tenant_id = :tenantId AND " + column
                        + " = :value ORDER BY created_at DESC, message_id LIMIT " + SEARCH_LIMIT)
                .param("tenantId", tenantId)
                .param("value", value)
                .query(SUMMARY)
                .list();
    }
}
