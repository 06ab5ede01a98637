package io.mediaplatform.callback.deletion;

import io.mediaplatform.callback.audit.core.AuditTrail;
import io.mediaplatform.callback.deletion.core.ContactErasure;
import io.mediaplatform.callback.deletion.core.DeletedMessage;
import io.mediaplatform.callback.deletion.core.DeletionReason;
import io.mediaplatform.callback.deletion.core.MediaFate;
import io.mediaplatform.callback.deletion.core.MessageRetention;
import io.mediaplatform.callback.deletion.kafka.DeletionAnnouncer;
import io.mediaplatform.callback.support.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes messages from callback's records (ARCHITECTURE §10): the message, its status history, its stored webhook payloads
 * and their attempts, in one transaction that also leaves a tombstone (so a late status or a redelivered decision
 * does not bring it back) and publishes one {@code message.deleted.v1} per message before it commits (a failed
 * publish rolls the deletion back; the caller may try again). Whether each message's media is still named by another
 * live message is looked up in the same transaction, after the deletion, under a lock per media, so that of two
 * messages sharing a media deleted at once exactly the last one lets it go ({@link MediaFate}).
 */
public class MessageDeletions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MessageDeletions.class);
    /** Most messages deleted in one transaction (an erasure or a sweep goes in chunks of this size). */
    static final int CHUNK = 500;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final TransactionTemplate transactions;
    private final DeletionAnnouncer announcer;
    private final AuditTrail auditTrail;
    private final Clock clock;
    private ScheduledExecutorService sweeper;

    public MessageDeletions(JdbcClient jdbc, NamedParameterJdbcTemplate batch, TransactionTemplate transactions,
                            DeletionAnnouncer announcer, AuditTrail auditTrail, Clock clock) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transactions = transactions;
        this.announcer = announcer;
        this.auditTrail = auditTrail;
        this.clock = clock;
    }

    /**
     * What one deletion did.
     *
     * @param deletions              each deleted message with its media's fate
     * @param webhookPayloadsDeleted stored webhook deliveries (payload and attempts) deleted
     */
    public record Outcome(List<MediaFate.Deletion> deletions, int webhookPayloadsDeleted) {

        static final Outcome NONE = new Outcome(List.of(), 0);

        Outcome plus(Outcome other) {
            List<MediaFate.Deletion> all = new ArrayList<>(deletions);
            all.addAll(other.deletions);
            return new Outcome(all, webhookPayloadsDeleted + other.webhookPayloadsDeleted);
        }
    }

    /** The summary of a contact erasure, as answered and as its audit line keeps it (without the address). */
    public record ErasureSummary(UUID erasureId, String channel, Instant erasedAt, int messagesDeleted, int mediaDeleted,
                                 int mediaKept, int webhookPayloadsDeleted) {
    }

    /**
     * Deletes the tenant's message and its channel-fallback attempts (messages whose {@code fallbackOf} it is: the
     * same message on other channels, which the client never named), in one transaction; empty when the tenant has no
     * such message (unknown, another's, or deleted).
     */
    public Optional<Outcome> deleteMessage(String tenantId, String messageId) {
        List<String> ids = new java.util.ArrayList<>();
        ids.add(messageId);
        ids.addAll(jdbc.sql("SELECT message_id FROM messages WHERE tenant_id = :tenantId AND fallback_of = :messageId")
                .param("tenantId", tenantId).param("messageId", messageId).query(String.class).list());
        Outcome outcome = delete(tenantId, ids, DeletionReason.MESSAGE_DELETED);
        return outcome.deletions().stream().anyMatch(d -> d.message().messageId().equals(messageId))
                ? Optional.of(outcome) : Optional.empty();
    }

    /**
     * Erases everything of the contact ({@link ContactErasure}): its messages in chunks, then, in one transaction, the
     * address out of the audit trail's entries ({@link ContactErasure#auditRedaction()}: those of its messages and
     * any other of the channel naming it) and one audit line with the counts and a salted hash of the address. The
     * messages' tombstones (reason CONTACT_ERASURE) keep their later events out of the audit trail. Idempotent:
     * again, it finds nothing more to delete (and notes that it was asked again, with zero counts).
     */
    public ErasureSummary erase(String tenantId, ContactErasure erasure) {
        Outcome total = Outcome.NONE;
        while (true) {
            List<String> ids = jdbc.sql("""
                            SELECT message_id FROM messages
                            WHERE tenant_id = :tenantId AND channel = :channel
                              AND ((direction = 'OUTBOUND' AND recipient = :address)
                                   OR (direction = 'INBOUND' AND sender = :address))
                            ORDER BY message_id LIMIT :limit""")
                    .param("tenantId", tenantId).param("channel", erasure.channel()).param("address", erasure.address())
                    .param("limit", CHUNK)
                    .query(String.class).list();
            if (ids.isEmpty()) {
                break;
            }
            total = total.plus(delete(tenantId, ids, DeletionReason.CONTACT_ERASURE));
        }
        Instant now = clock.instant();
        String salt = ContactErasure.newSalt();
        ErasureSummary summary = new ErasureSummary(UUID.randomUUID(), erasure.channel(), now, total.deletions().size(),
                MediaFate.mediaDeleted(total.deletions()), MediaFate.mediaKept(total.deletions()),
                total.webhookPayloadsDeleted());
        Integer auditEntries = transactions.execute(tx -> {
            int redacted = auditTrail.redact(tenantId, erasure.auditRedaction());
            jdbc.sql("""
                            INSERT INTO contact_erasures (id, tenant_id, channel, address_salt, address_hash, erased_at,
                                                          messages_deleted, media_deleted, media_kept, webhook_payloads_deleted)
                            VALUES (:id, :tenantId, :channel, :salt, :hash, :at, :messages, :mediaDeleted, :mediaKept, :payloads)""")
                    .param("id", summary.erasureId()).param("tenantId", tenantId).param("channel", erasure.channel())
                    .param("salt", salt).param("hash", erasure.addressHash(salt)).param("at", Sql.ts(now))
                    .param("messages", summary.messagesDeleted()).param("mediaDeleted", summary.mediaDeleted())
                    .param("mediaKept", summary.mediaKept()).param("payloads", summary.webhookPayloadsDeleted())
                    .update();
            return redacted;
        });
        log.info("Contact erased tenant={} channel={} erasure={} messages={} mediaDeleted={} mediaKept={} webhookPayloads={}"
                        + " auditEntriesRedacted={}", tenantId, erasure.channel(), summary.erasureId(),
                summary.messagesDeleted(), summary.mediaDeleted(), summary.mediaKept(), summary.webhookPayloadsDeleted(),
                auditEntries);
        return summary;
    }

    /** Starts sweeping messages past {@code retention} every {@code interval}; off when either is zero. */
    public synchronized void startRetention(MessageRetention retention, java.time.Duration interval) {
        if (!retention.enabled() || interval.isZero() || interval.isNegative() || sweeper != null) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("message-retention").factory());
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sweep(retention, clock.instant());
            } catch (RuntimeException e) {
                log.warn("Message retention sweep failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One retention sweep as if the time were {@code now}, tenant by tenant; answers how many messages it deleted. */
    public int sweep(MessageRetention retention, Instant now) {
        Optional<Instant> cutoff = retention.cutoff(now);
        if (cutoff.isEmpty()) {
            return 0;
        }
        int deleted = 0;
        // every tenant with messages, one index probe each (a loose index scan)
        List<String> tenants = jdbc.sql("""
                        WITH RECURSIVE t AS (SELECT min(tenant_id) AS id FROM messages
                                             UNION ALL
                                             SELECT (SELECT min(tenant_id) FROM messages WHERE tenant_id > t.id)
                                             FROM t WHERE t.id IS NOT NULL)
                        SELECT id FROM t WHERE id IS NOT NULL""")
                .query(String.class).list();
        for (String tenantId : tenants) {
            while (true) {
                List<String> ids = jdbc.sql("""
                                SELECT message_id FROM messages WHERE tenant_id = :tenantId AND created_at < :cutoff
                                ORDER BY created_at LIMIT :limit""")
                        .param("tenantId", tenantId).param("cutoff", Sql.ts(cutoff.get())).param("limit", CHUNK)
                        .query(String.class).list();
                if (ids.isEmpty()) {
                    break;
                }
                deleted += delete(tenantId, ids, DeletionReason.RETENTION).deletions().size();
            }
        }
        if (deleted > 0) {
            log.info("Message retention sweep deleted {} message(s) recorded before {}", deleted, cutoff.get());
        }
        return deleted;
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }

    /** Deletes those of the tenant's messages that exist, in one transaction, and tells of each. */
    Outcome delete(String tenantId, Collection<String> messageIds, DeletionReason reason) {
        if (messageIds.isEmpty()) {
            return Outcome.NONE;
        }
        Outcome outcome = transactions.execute(tx -> {
            Instant now = clock.instant();
            List<DeletedMessage> found = jdbc.sql("""
                            SELECT message_id, conversation_id, channel, direction, media_id FROM messages
                            WHERE tenant_id = :tenantId AND message_id IN (:ids) ORDER BY message_id FOR UPDATE""")
                    .param("tenantId", tenantId).param("ids", messageIds)
                    .query((rs, n) -> new DeletedMessage(rs.getString("message_id"), rs.getString("conversation_id"),
                            rs.getString("channel"), rs.getString("direction"), rs.getString("media_id")))
                    .list();
            if (found.isEmpty()) {
                return Outcome.NONE;
            }
            List<String> ids = found.stream().map(DeletedMessage::messageId).toList();
            Set<String> media = MediaFate.mediaOf(found);
            // one lock per media, in order: of concurrent deletions naming one media, the later sees the earlier's
            media.stream().sorted().forEach(mediaId -> jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                    .param("key", "media|" + tenantId + "|" + mediaId).query((rs, n) -> 1).list());
            jdbc.sql("""
                            DELETE FROM webhook_attempts WHERE delivery_id IN
                                (SELECT id FROM webhook_deliveries WHERE tenant_id = :tenantId AND message_id IN (:ids))""")
                    .param("tenantId", tenantId).param("ids", ids).update();
            int payloads = jdbc.sql("DELETE FROM webhook_deliveries WHERE tenant_id = :tenantId AND message_id IN (:ids)")
                    .param("tenantId", tenantId).param("ids", ids).update();
            jdbc.sql("DELETE FROM status_history WHERE tenant_id = :tenantId AND message_id IN (:ids)")
                    .param("tenantId", tenantId).param("ids", ids).update();
            jdbc.sql("DELETE FROM messages WHERE tenant_id = :tenantId AND message_id IN (:ids)")
                    .param("tenantId", tenantId).param("ids", ids).update();
            batch.batchUpdate("""
                            INSERT INTO deleted_messages (tenant_id, message_id, deleted_at, reason)
                            VALUES (:tenantId, :messageId, :now, :reason) ON CONFLICT DO NOTHING""",
                    ids.stream().map(id -> new MapSqlParameterSource().addValue("tenantId", tenantId)
                            .addValue("messageId", id).addValue("now", Sql.ts(now)).addValue("reason", reason.name()))
                            .toArray(SqlParameterSource[]::new));
            Set<String> stillNamed = media.isEmpty() ? Set.of() : new HashSet<>(jdbc.sql("""
                            SELECT DISTINCT media_id FROM messages WHERE tenant_id = :tenantId AND media_id IN (:media)""")
                    .param("tenantId", tenantId).param("media", media).query(String.class).list());
            List<MediaFate.Deletion> deletions = MediaFate.decide(found, stillNamed);
            announcer.announce(tenantId, deletions, reason, now);
            return new Outcome(deletions, payloads);
        });
        for (MediaFate.Deletion deletion : outcome.deletions()) {
            log.info("Message deleted tenant={} messageId={} reason={} mediaId={} mediaKept={}", tenantId,
                    deletion.message().messageId(), reason, deletion.message().mediaId(), deletion.mediaStillReferenced());
        }
        return outcome;
    }
}
