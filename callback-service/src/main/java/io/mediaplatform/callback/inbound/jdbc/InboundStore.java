package io.mediaplatform.callback.inbound.jdbc;

import io.mediaplatform.callback.inbound.core.InboundStatus;
import io.mediaplatform.callback.inbound.core.ReceivedMessage;
import io.mediaplatform.callback.support.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/**
 * Inbound messages in the {@code messages} table (direction INBOUND). Call inside a transaction. An inbound
 * message has no status history: its status (ACCEPTED or REJECTED) is validation's one decision.
 */
public class InboundStore {

    private final JdbcClient jdbc;

    public InboundStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the message unless the tenant has one with that id already (however often, and whatever, the
     * decision arrives, the first one recorded stays).
     *
     * @return whether it was stored now
     */
    public boolean insertIfAbsent(ReceivedMessage message, Instant now) {
        ReceivedMessage.Media media = message.media();
        return jdbc.sql("""
                        INSERT INTO messages (tenant_id, message_id, direction, status, channel, sender, recipient,
                                              conversation_id, inbox_id, kind, caption, file_name, provider,
                                              provider_message_id, body_text, reason, reason_message, media_id, media_type,
                                              media_size, media_sha256, received_at, decided_at, decision_event_id,
                                              created_at, updated_at, customer_message)
                        VALUES (:tenantId, :messageId, 'INBOUND', :status, :channel, :from, :to, :conversationId, :inboxId,
                                :kind, :caption, :fileName, :provider, :providerMessageId, :text, :reason, :reasonMessage,
                                :mediaId, :mediaType, :mediaSize, :mediaSha256, :receivedAt, :decidedAt, :eventId, :now, :now, :customerMessage)
                        ON CONFLICT (tenant_id, message_id) DO NOTHING
                        """)
                .param("tenantId", message.tenantId())
                .param("messageId", message.messageId())
                .param("status", message.status().name())
                .param("channel", message.channel(), Types.VARCHAR)
                .param("from", message.from(), Types.VARCHAR)
                .param("to", message.to(), Types.VARCHAR)
                .param("conversationId", message.conversationId(), Types.VARCHAR)
                .param("inboxId", message.inboxId(), Types.VARCHAR)
                .param("kind", message.kind(), Types.VARCHAR)
                .param("caption", message.caption(), Types.VARCHAR)
                .param("fileName", message.fileName(), Types.VARCHAR)
                .param("provider", message.provider(), Types.VARCHAR)
                .param("providerMessageId", message.providerMessageId(), Types.VARCHAR)
                .param("text", message.text(), Types.VARCHAR)
                .param("reason", message.reason(), Types.VARCHAR)
                .param("reasonMessage", message.reasonMessage(), Types.VARCHAR)
                .param("mediaId", media.id(), Types.VARCHAR)
                .param("mediaType", media.type(), Types.VARCHAR)
                .param("mediaSize", media.size(), Types.BIGINT)
                .param("mediaSha256", media.sha256(), Types.VARCHAR)
                .param("receivedAt", Sql.ts(message.receivedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("decidedAt", Sql.ts(message.decidedAt()))
                .param("eventId", message.eventId())
                .param("customerMessage", message.customerMessage(), Types.VARCHAR)
                .param("now", Sql.ts(now))
                .update() == 1;
    }

    /** The tenant's inbound message with that id, if it has one. */
    public Optional<ReceivedMessage> find(String tenantId, String messageId) {
        return jdbc.sql("""
                        SELECT * FROM messages
                        WHERE tenant_id = :tenantId AND message_id = :messageId AND direction = 'INBOUND'
                        """)
                .param("tenantId", tenantId)
                .param("messageId", messageId)
                .query((rs, n) -> new ReceivedMessage(rs.getString("decision_event_id"), rs.getString("tenant_id"),
                        rs.getString("message_id"), InboundStatus.valueOf(rs.getString("status")), rs.getString("channel"),
                        rs.getString("sender"), rs.getString("recipient"), rs.getString("conversation_id"),
                        rs.getString("inbox_id"), rs.getString("kind"), rs.getString("caption"), rs.getString("file_name"),
                        rs.getString("provider"), rs.getString("provider_message_id"), rs.getString("body_text"),
                        rs.getString("reason"), rs.getString("reason_message"), Sql.instant(rs, "received_at"),
                        Sql.instant(rs, "decided_at"),
                        new ReceivedMessage.Media(rs.getString("media_id"), rs.getString("media_type"),
                                rs.getObject("media_size", Long.class), rs.getString("media_sha256")),
                        rs.getString("customer_message")))
                .optional();
    }
}
