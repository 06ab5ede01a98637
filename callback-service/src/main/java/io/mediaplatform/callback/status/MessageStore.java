package io.mediaplatform.callback.status;

import io.mediaplatform.callback.status.core.Status;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.callback.support.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code messages} and {@code status_history} tables. Call inside a transaction. */
public class MessageStore {

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public MessageStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Creates the message from the event's facts, or fills in the facts the stored message lacks (a status may
     * arrive before the message's ACCEPTED event, which alone carries external id, client id and callbacks).
     */
    public void upsert(StatusEvent event, Instant now) {
        jdbc.sql("""
                        INSERT INTO messages (tenant_id, message_id, channel, recipient, conversation_id, external_id,
                                              client_id, media_id, callback_urls, created_at, updated_at)
                        VALUES (:tenantId, :messageId, :channel, :to, :conversationId, :externalId, :clientId, :mediaId,
                                CAST(:callbackUrls AS jsonb), :now, :now)
                        ON CONFLICT (tenant_id, message_id) DO UPDATE SET
                            channel = COALESCE(messages.channel, EXCLUDED.channel),
                            recipient = COALESCE(messages.recipient, EXCLUDED.recipient),
                            conversation_id = COALESCE(messages.conversation_id, EXCLUDED.conversation_id),
                            external_id = COALESCE(messages.external_id, EXCLUDED.external_id),
                            client_id = COALESCE(messages.client_id, EXCLUDED.client_id),
                            media_id = COALESCE(messages.media_id, EXCLUDED.media_id),
                            callback_urls = CASE WHEN messages.callback_urls = '[]'::jsonb THEN EXCLUDED.callback_urls
                                                 ELSE messages.callback_urls END
                        """)
                .param("tenantId", event.tenantId())
                .param("messageId", event.messageId())
                .param("channel", event.channel())
                .param("to", event.to())
                .param("conversationId", event.conversationId())
                .param("externalId", event.externalId())
                .param("clientId", event.clientId())
                .param("mediaId", event.mediaId())
                .param("callbackUrls", json.writeValueAsString(event.callbackUrls()))
                .param("now", Sql.ts(now))
                .update();
    }

    /** Reads the message and locks its row until the transaction ends. */
    public MessageRecord lock(String tenantId, String messageId) {
        return lockIfPresent(tenantId, messageId).orElseThrow(
                () -> new IllegalStateException("message " + messageId + " of tenant " + tenantId + " is not stored"));
    }

    /** Reads the message, if the tenant has it, and locks its row until the transaction ends. */
    public Optional<MessageRecord> lockIfPresent(String tenantId, String messageId) {
        return jdbc.sql("""
                        SELECT tenant_id, message_id, status, channel, recipient, conversation_id, external_id, client_id,
                               callback_urls::text AS callback_urls
                        FROM messages WHERE tenant_id = :tenantId AND message_id = :messageId FOR UPDATE
                        """)
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query((rs, n) -> new MessageRecord(rs.getString("tenant_id"), rs.getString("message_id"),
                        rs.getString("status") == null ? null : Status.valueOf(rs.getString("status")),
                        rs.getString("channel"), rs.getString("recipient"), rs.getString("conversation_id"),
                        rs.getString("external_id"), rs.getString("client_id"),
                        json.readValue(rs.getString("callback_urls"), STRING_LIST)))
                .optional();
    }

    /** The message's history in the order it was recorded. */
    public List<HistoryRow> history(String tenantId, String messageId) {
        return jdbc.sql("""
                        SELECT id, event_id, status, at, provider_message_id, reason, detail, callbacks_enqueued
                        FROM status_history WHERE tenant_id = :tenantId AND message_id = :messageId ORDER BY id
                        """)
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query((rs, n) -> new HistoryRow(rs.getLong("id"), rs.getString("event_id"), Status.valueOf(rs.getString("status")),
                        Sql.instant(rs, "at"), rs.getString("provider_message_id"), rs.getString("reason"),
                        rs.getString("detail"), rs.getBoolean("callbacks_enqueued")))
                .list();
    }

    /** Notes that the message's callback URLs were told of these history rows. */
    public void markCallbacksEnqueued(List<Long> historyIds) {
        for (Long id : historyIds) {
            jdbc.sql("UPDATE status_history SET callbacks_enqueued = true WHERE id = :id").param("id", id).update();
        }
    }

    /** Whether an event with that id was recorded already. */
    public boolean eventRecorded(String eventId) {
        return jdbc.sql("SELECT count(*) FROM status_history WHERE event_id = :eventId")
                .param("eventId", eventId).query(Long.class).single() > 0;
    }

    /**
     * Appends the event to the history.
     *
     * @param callbacksEnqueued whether the message's callback URLs are told of it now (false when it has none yet)
     * @return the history row id
     */
    public long appendHistory(StatusEvent event, Instant now, boolean callbacksEnqueued) {
        return jdbc.sql("""
                        INSERT INTO status_history (tenant_id, message_id, status, at, provider_message_id, reason, detail,
                                                    event_id, recorded_at, callbacks_enqueued)
                        VALUES (:tenantId, :messageId, :status, :at, :providerMessageId, :reason, :detail, :eventId, :now,
                                :callbacksEnqueued)
                        RETURNING id
                        """)
                .param("callbacksEnqueued", callbacksEnqueued)
                .param("tenantId", event.tenantId())
                .param("messageId", event.messageId())
                .param("status", event.status().name())
                .param("at", Sql.ts(event.at()))
                .param("providerMessageId", event.providerMessageId())
                .param("reason", event.reason())
                .param("detail", event.detail())
                .param("eventId", event.eventId())
                .param("now", Sql.ts(now))
                .query(Long.class)
                .single();
    }

    /** Sets the current status (and the reason, for an end). */
    public void setCurrent(String tenantId, String messageId, Status status, String reason, Instant now) {
        jdbc.sql("""
                        UPDATE messages SET status = :status, reason = :reason, updated_at = :now
                        WHERE tenant_id = :tenantId AND message_id = :messageId
                        """)
                .param("status", status.name())
                .param("reason", status.isEnd() ? reason : null)
                .param("now", Sql.ts(now))
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .update();
    }

    /** Marks the message as changed without changing its status. */
    public void touch(String tenantId, String messageId, Instant now) {
        jdbc.sql("UPDATE messages SET updated_at = :now WHERE tenant_id = :tenantId AND message_id = :messageId")
                .param("now", Sql.ts(now))
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .update();
    }
}
