package io.mediaplatform.callback.status.jdbc;

import io.mediaplatform.callback.status.core.Conversion;
import io.mediaplatform.callback.status.core.HistoryRow;
import io.mediaplatform.callback.status.core.MessageRecord;

import io.mediaplatform.callback.status.core.Status;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.callback.support.Sql;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code messages} and {@code status_history} tables. Call inside a transaction. */
public class MessageStore {

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final JsonMapper json;

    public MessageStore(JdbcClient jdbc, NamedParameterJdbcTemplate batch, JsonMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
    }

    /** A message's key. */
    public record Key(String tenantId, String messageId) {

        /** The key of the event's message. */
        public static Key of(StatusEvent event) {
            return new Key(event.tenantId(), event.messageId());
        }
    }

    /**
     * Creates the message from the event's facts, or fills in the facts the stored message lacks (a status may
     * arrive before the message's ACCEPTED event, which alone carries external id, client id and callbacks).
     * Locks the message's row until the transaction ends. A deleted message's row is not made again (a trigger skips
     * it, ARCHITECTURE §10).
     */
    public void upsert(StatusEvent event, Instant now) {
        upsertAll(List.of(event), now);
    }

    /**
     * {@link #upsert} of each event, in their order and in one round trip (a JDBC batch): the rows are locked in
     * that order, so callers that lock several messages sort them first (the same order everywhere: no deadlock).
     */
    public void upsertAll(List<StatusEvent> events, Instant now) {
        if (events.isEmpty()) {
            return;
        }
        SqlParameterSource[] rows = events.stream().map(event -> new MapSqlParameterSource()
                .addValue("tenantId", event.tenantId())
                .addValue("messageId", event.messageId())
                .addValue("channel", event.channel())
                .addValue("to", event.to())
                .addValue("conversationId", event.conversationId())
                .addValue("externalId", event.externalId())
                .addValue("clientId", event.clientId())
                .addValue("mediaId", event.mediaId())
                .addValue("callbackUrls", json.writeValueAsString(event.callbackUrls()))
                .addValue("fallbackOf", event.fallbackOf())
                .addValue("attempt", event.attempt(), Types.INTEGER)
                .addValue("now", Sql.ts(now))).toArray(SqlParameterSource[]::new);
        batch.batchUpdate("""
                        INSERT INTO messages (tenant_id, message_id, channel, recipient, conversation_id, external_id,
                                              client_id, media_id, callback_urls, fallback_of, attempt, created_at,
                                              updated_at)
                        VALUES (:tenantId, :messageId, :channel, :to, :conversationId, :externalId, :clientId, :mediaId,
                                CAST(:callbackUrls AS jsonb), :fallbackOf, :attempt, :now, :now)
                        ON CONFLICT (tenant_id, message_id) DO UPDATE SET
                            channel = COALESCE(messages.channel, EXCLUDED.channel),
                            recipient = COALESCE(messages.recipient, EXCLUDED.recipient),
                            conversation_id = COALESCE(messages.conversation_id, EXCLUDED.conversation_id),
                            external_id = COALESCE(messages.external_id, EXCLUDED.external_id),
                            client_id = COALESCE(messages.client_id, EXCLUDED.client_id),
                            media_id = COALESCE(messages.media_id, EXCLUDED.media_id),
                            fallback_of = COALESCE(messages.fallback_of, EXCLUDED.fallback_of),
                            attempt = COALESCE(messages.attempt, EXCLUDED.attempt),
                            callback_urls = CASE WHEN messages.callback_urls = '[]'::jsonb THEN EXCLUDED.callback_urls
                                                 ELSE messages.callback_urls END
                        """, rows);
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
                               callback_urls::text AS callback_urls, fallback_of, attempt
                        FROM messages WHERE tenant_id = :tenantId AND message_id = :messageId FOR UPDATE
                        """)
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query(this::message)
                .optional();
    }

    /** Reads the messages and locks their rows (in key order) until the transaction ends; absent ones are left out. */
    public Map<Key, MessageRecord> lockAll(Collection<Key> keys) {
        Map<Key, MessageRecord> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        SELECT tenant_id, message_id, status, channel, recipient, conversation_id, external_id, client_id,
                               callback_urls::text AS callback_urls, fallback_of, attempt
                        FROM messages WHERE (tenant_id, message_id) IN (:keys) ORDER BY tenant_id, message_id FOR UPDATE
                        """)
                .param("keys", tuples(keys))
                .query(this::message)
                .list()
                .forEach(message -> found.put(new Key(message.tenantId(), message.messageId()), message));
        return found;
    }

    private MessageRecord message(ResultSet rs, int n) throws SQLException {
        return new MessageRecord(rs.getString("tenant_id"), rs.getString("message_id"),
                rs.getString("status") == null ? null : Status.valueOf(rs.getString("status")),
                rs.getString("channel"), rs.getString("recipient"), rs.getString("conversation_id"),
                rs.getString("external_id"), rs.getString("client_id"),
                json.readValue(rs.getString("callback_urls"), STRING_LIST), rs.getString("fallback_of"),
                rs.getObject("attempt", Integer.class));
    }

    private static List<Object[]> tuples(Collection<Key> keys) {
        return keys.stream().map(key -> new Object[]{key.tenantId(), key.messageId()}).toList();
    }

    /** Which of these messages were deleted (ARCHITECTURE §10): their events are ignored, their rows never made again. */
    public Set<Key> deletedAmong(Collection<Key> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT tenant_id, message_id FROM deleted_messages WHERE (tenant_id, message_id) IN (:keys)")
                .param("keys", tuples(keys))
                .query((rs, n) -> new Key(rs.getString("tenant_id"), rs.getString("message_id")))
                .list());
    }

    /** The message's history in the order it was recorded. */
    public List<HistoryRow> history(String tenantId, String messageId) {
        return jdbc.sql("""
                        SELECT id, event_id, status, at, provider_message_id, reason, detail, callbacks_enqueued
                        FROM status_history WHERE tenant_id = :tenantId AND message_id = :messageId ORDER BY id
                        """)
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query(MessageStore::historyRow)
                .list();
    }

    /** The histories of the messages, each in the order it was recorded; a message without one is left out. */
    public Map<Key, List<HistoryRow>> historiesOf(Collection<Key> keys) {
        Map<Key, List<HistoryRow>> histories = new HashMap<>();
        if (keys.isEmpty()) {
            return histories;
        }
        jdbc.sql("""
                        SELECT tenant_id, message_id, id, event_id, status, at, provider_message_id, reason, detail,
                               callbacks_enqueued
                        FROM status_history WHERE (tenant_id, message_id) IN (:keys) ORDER BY id
                        """)
                .param("keys", tuples(keys))
                .query((rs, n) -> Map.entry(new Key(rs.getString("tenant_id"), rs.getString("message_id")), historyRow(rs, n)))
                .list()
                .forEach(row -> histories.computeIfAbsent(row.getKey(), key -> new ArrayList<>()).add(row.getValue()));
        return histories;
    }

    private static HistoryRow historyRow(ResultSet rs, int n) throws SQLException {
        return new HistoryRow(rs.getLong("id"), rs.getString("event_id"), Status.valueOf(rs.getString("status")),
                Sql.instant(rs, "at"), rs.getString("provider_message_id"), rs.getString("reason"),
                rs.getString("detail"), rs.getBoolean("callbacks_enqueued"));
    }

    /** Notes that the message's callback URLs were told of these history rows. */
    public void markCallbacksEnqueued(List<Long> historyIds) {
        if (historyIds.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE status_history SET callbacks_enqueued = true WHERE id IN (:ids)").param("ids", historyIds).update();
    }

    /** Which of these event ids were recorded already. */
    public Set<String> recordedEvents(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT event_id FROM status_history WHERE event_id IN (:eventIds)")
                .param("eventIds", eventIds).query(String.class).list());
    }

    /**
     * An event to append to its message's history.
     *
     * @param callbacksEnqueued whether the message's callback URLs are told of it now (false when it has none yet)
     */
    public record Appended(StatusEvent event, boolean callbacksEnqueued) {
    }

    /**
     * Appends the events to their messages' histories, in their order (the order of the history), in one round
     * trip (a JDBC batch).
     */
    public void appendHistoryAll(List<Appended> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                        INSERT INTO status_history (tenant_id, message_id, status, at, provider_message_id, reason, detail,
                                                    event_id, recorded_at, callbacks_enqueued, converted_media_id,
                                                    converted_from, converted_to, converted_size_from, converted_size_to)
                        VALUES (:tenantId, :messageId, :status, :at, :providerMessageId, :reason, :detail, :eventId, :now,
                                :callbacksEnqueued, :convertedMediaId, :convertedFrom, :convertedTo, :convertedSizeFrom,
                                :convertedSizeTo)
                        """, rows.stream().map(row -> new MapSqlParameterSource()
                        .addValue("convertedMediaId", converted(row, Conversion::renditionMediaId), Types.VARCHAR)
                        .addValue("convertedFrom", converted(row, Conversion::from), Types.VARCHAR)
                        .addValue("convertedTo", converted(row, Conversion::to), Types.VARCHAR)
                        .addValue("convertedSizeFrom", converted(row, Conversion::sizeBefore), Types.BIGINT)
                        .addValue("convertedSizeTo", converted(row, Conversion::sizeAfter), Types.BIGINT)
                        .addValue("callbacksEnqueued", row.callbacksEnqueued())
                        .addValue("tenantId", row.event().tenantId())
                        .addValue("messageId", row.event().messageId())
                        .addValue("status", row.event().status().name())
                        .addValue("at", Sql.ts(row.event().at()))
                        .addValue("providerMessageId", row.event().providerMessageId(), Types.VARCHAR)
                        .addValue("reason", row.event().reason(), Types.VARCHAR)
                        .addValue("detail", row.event().detail(), Types.VARCHAR)
                        .addValue("eventId", row.event().eventId())
                        .addValue("now", Sql.ts(now))).toArray(SqlParameterSource[]::new));
    }

    private static <T> T converted(Appended row, java.util.function.Function<Conversion, T> fact) {
        return row.event().converted() == null ? null : fact.apply(row.event().converted());
    }

    /**
     * What a message's row becomes: its current status (and the reason, for an end), or only marked as changed
     * when {@code status} is null.
     */
    public record Current(Key key, Status status, String reason) {
    }

    /** Applies the changes to the messages' rows in one round trip (a JDBC batch). */
    public void setCurrentAll(List<Current> changes, Instant now) {
        if (changes.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                        UPDATE messages SET status = COALESCE(CAST(:status AS text), status),
                                            reason = CASE WHEN CAST(:status AS text) IS NULL THEN reason ELSE :reason END,
                                            updated_at = :now
                        WHERE tenant_id = :tenantId AND message_id = :messageId
                        """, changes.stream().map(change -> new MapSqlParameterSource()
                        .addValue("status", change.status() == null ? null : change.status().name(), Types.VARCHAR)
                        .addValue("reason", change.status() != null && change.status().isEnd() ? change.reason() : null,
                                Types.VARCHAR)
                        .addValue("now", Sql.ts(now))
                        .addValue("tenantId", change.key().tenantId())
                        .addValue("messageId", change.key().messageId())).toArray(SqlParameterSource[]::new));
    }
}
