package io.mediaplatform.callback.messages.jdbc;

import io.mediaplatform.callback.messages.core.MessageCursor;
import io.mediaplatform.callback.messages.core.MessageSearch;
import io.mediaplatform.callback.messages.core.MessageViews.HistoryEntry;
import io.mediaplatform.callback.messages.core.MessageViews.MessageDetail;
import io.mediaplatform.callback.messages.core.MessageViews.MessageList;
import io.mediaplatform.callback.messages.core.MessageViews.MessageSummary;
import io.mediaplatform.callback.messages.core.MessageViews.WebhookAttempt;
import io.mediaplatform.callback.messages.core.MessageViews;
import io.mediaplatform.callback.support.Sql;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads messages (outbound and inbound) for the status API, always within one tenant. */
public class MessageQueries {

    /** Most messages a search answers. */
    public static final int SEARCH_LIMIT = MessageSearch.MAX_LIMIT;

    private static final String SUMMARY_COLUMNS = """
            message_id, direction, status, channel, sender, recipient, conversation_id, inbox_id, external_id, client_id,
            media_id, reason, created_at, updated_at""";
    private static final RowMapper<MessageSummary> SUMMARY = (rs, n) -> new MessageSummary(rs.getString("message_id"),
            rs.getString("direction"), rs.getString("status"), rs.getString("channel"), rs.getString("sender"),
            rs.getString("recipient"), rs.getString("conversation_id"), rs.getString("inbox_id"), rs.getString("external_id"),
            rs.getString("client_id"), rs.getString("media_id"), rs.getString("reason"), Sql.instant(rs, "created_at"),
            Sql.instant(rs, "updated_at"));

    /** The facts of a message beyond its summary (inbound messages have them). */
    private record Facts(String kind, String caption, String fileName, String provider, String providerMessageId,
                         String text, String mediaType, Long mediaSize, String mediaSha256, String reasonMessage,
                         String customerMessage, java.time.Instant receivedAt, String fallbackOf, Integer attempt) {
    }

    private final JdbcClient jdbc;

    public MessageQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant's message with its history and webhook attempts. */
    public Optional<MessageDetail> find(String tenantId, String messageId) {
        record Row(MessageSummary summary, Facts facts) {
        }
        Optional<Row> found = jdbc.sql("SELECT " + SUMMARY_COLUMNS + """
                        , kind, caption, file_name, provider, provider_message_id, body_text, media_type, media_size,
                          media_sha256, reason_message, customer_message, received_at, fallback_of, attempt
                        FROM messages WHERE tenant_id = :tenantId AND message_id = :messageId""")
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query((rs, n) -> new Row(SUMMARY.mapRow(rs, n), new Facts(rs.getString("kind"), rs.getString("caption"),
                        rs.getString("file_name"), rs.getString("provider"), rs.getString("provider_message_id"),
                        rs.getString("body_text"), rs.getString("media_type"), rs.getObject("media_size", Long.class),
                        rs.getString("media_sha256"), rs.getString("reason_message"), rs.getString("customer_message"), Sql.instant(rs, "received_at"),
                        rs.getString("fallback_of"), rs.getObject("attempt", Integer.class))))
                .optional();
        return found.map(row -> {
            MessageSummary m = row.summary();
            Facts f = row.facts();
            return new MessageDetail(m.messageId(), m.direction(), m.status(), m.channel(), m.from(), m.to(),
                    m.conversationId(), m.inboxId(), m.externalId(), m.clientId(), f.kind(), f.caption(), f.fileName(),
                    f.provider(), f.providerMessageId(), f.text(), m.mediaId(), f.mediaType(), f.mediaSize(),
                    f.mediaSha256(), m.reason(), f.reasonMessage(), f.customerMessage(), f.receivedAt(), m.createdAt(), m.updatedAt(),
                    f.fallbackOf(), f.fallbackOf() == null ? null : f.attempt(), fallbacks(tenantId, messageId),
                    history(tenantId, messageId), attempts(tenantId, messageId));
        });
    }

    /**
     * The history in time order. Providers stamp statuses to the second (WhatsApp, Twilio), while the
     * platform's own are to the millisecond, so within one second the lifecycle order decides: a DELIVERED
     * stamped 12:00:05 is not put before an ACCEPTED at 12:00:05.300 that necessarily came first.
     */
    private List<HistoryEntry> history(String tenantId, String messageId) {
        return jdbc.sql("""
                        SELECT status, at, provider_message_id, reason, detail, converted_media_id, converted_from,
                               converted_to, converted_size_from, converted_size_to FROM status_history
                        WHERE tenant_id = :tenantId AND message_id = :messageId
                        ORDER BY date_trunc('second', at),
                                 CASE status WHEN 'ACCEPTED' THEN 0 WHEN 'QUEUED' THEN 1 WHEN 'SENT' THEN 2
                                             WHEN 'DELIVERED' THEN 3 WHEN 'READ' THEN 4 ELSE 5 END,
                                 at, id
                        """)
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query((rs, n) -> new HistoryEntry(rs.getString("status"), Sql.instant(rs, "at"),
                        rs.getString("provider_message_id"), rs.getString("reason"), rs.getString("detail"),
                        rs.getString("converted_media_id") == null ? null : new MessageViews.Converted(
                                rs.getString("converted_from"), rs.getString("converted_to"),
                                rs.getLong("converted_size_from"), rs.getLong("converted_size_to"),
                                rs.getString("converted_media_id"))))
                .list();
    }

    /** The ids of the message's channel-fallback attempts, in attempt order; null when it has none. */
    private List<String> fallbacks(String tenantId, String messageId) {
        List<String> ids = jdbc.sql("""
                        SELECT message_id FROM messages WHERE tenant_id = :tenantId AND fallback_of = :messageId
                        ORDER BY attempt, created_at""")
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query((rs, n) -> rs.getString("message_id"))
                .list();
        return ids.isEmpty() ? null : ids;
    }

    private List<WebhookAttempt> attempts(String tenantId, String messageId) {
        return jdbc.sql("""
                        SELECT d.url, a.attempt_no, a.at, a.status_code, a.latency_ms, a.error, d.event_type, d.event_status,
                               d.status
                        FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                        WHERE d.tenant_id = :tenantId AND d.message_id = :messageId
                        ORDER BY a.at, a.id
                        """)
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query((rs, n) -> new WebhookAttempt(rs.getString("url"), rs.getInt("attempt_no"), Sql.instant(rs, "at"),
                        Sql.integer(rs, "status_code"), rs.getLong("latency_ms"), rs.getString("error"),
                        rs.getString("event_type"), rs.getString("event_status"), rs.getString("status")))
                .list();
    }

    /** The tenant's latest messages with that external id, newest first (first page). */
    public List<MessageSummary> byExternalId(String tenantId, String externalId) {
        return search(tenantId, new MessageSearch(externalId, null, null, null, null, SEARCH_LIMIT, null)).items();
    }

    /** The tenant's latest messages of that client id, newest first (first page). */
    public List<MessageSummary> byClientId(String tenantId, String clientId) {
        return search(tenantId, new MessageSearch(null, clientId, null, null, null, SEARCH_LIMIT, null)).items();
    }

    /** One page of the tenant's messages matching the search, newest first, with the cursor of the next page. */
    public MessageList search(String tenantId, MessageSearch search) {
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY_COLUMNS + " FROM messages WHERE tenant_id = :tenantId");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenantId", tenantId);
        criterion(sql, params, "external_id", "externalId", search.externalId());
        criterion(sql, params, "client_id", "clientId", search.clientId());
        criterion(sql, params, "conversation_id", "conversationId", search.conversationId());
        criterion(sql, params, "direction", "direction", search.direction() == null ? null : search.direction().name());
        if (search.from() != null) {
            sql.append(" AND created_at >= :from");
            params.put("from", Sql.ts(search.from()));
        }
        if (search.to() != null) {
            sql.append(" AND created_at < :to");
            params.put("to", Sql.ts(search.to()));
        }
        if (search.cursor() != null) {
            sql.append(" AND (created_at, message_id) < (:cursorAt, :cursorId)");
            params.put("cursorAt", Sql.ts(search.cursor().createdAt()));
            params.put("cursorId", search.cursor().messageId());
        }
        sql.append(" ORDER BY created_at DESC, message_id DESC LIMIT ").append(search.limit() + 1);
        List<MessageSummary> rows = jdbc.sql(sql.toString()).params(params).query(SUMMARY).list();
        if (rows.size() <= search.limit()) {
            return new MessageList(rows, null);
        }
        List<MessageSummary> page = rows.subList(0, search.limit());
        MessageSummary last = page.getLast();
        return new MessageList(List.copyOf(page), new MessageCursor(last.createdAt(), last.messageId()).encode());
    }

    private static void criterion(StringBuilder sql, Map<String, Object> params, String column, String name, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = :").append(name);
            params.put(name, value);
        }
    }
}
