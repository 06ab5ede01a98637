package io.mediaplatform.dispatch.ledger.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message ids this service has already finished sending (SENT or FAILED, or reported further by the provider),
 * so that a {@code media.accepted} record seen again (redelivered after a restart or rebalance, or published twice
 * upstream) is not sent a second time. Held in memory; rebuilt from {@code message.status.v1} (of which dispatch is
 * the only writer) when partitions are assigned, and kept for {@code retention} (older entries are forgotten).
 */
public final class SendLedger {

    private final Map<String, Instant> finished = new ConcurrentHashMap<>();
    private final Duration retention;

    /** @param retention how long a finished message id is remembered */
    public SendLedger(Duration retention) {
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** How far back a rebuild needs to read. */
    public Duration retention() {
        return retention;
    }

    /** Whether that message was already sent (or finally failed). */
    public boolean finished(String messageId) {
        return messageId != null && finished.containsKey(messageId);
    }

    /** Remembers that a message is finished as of {@code at}. */
    public void record(String messageId, Instant at) {
        finished.merge(Objects.requireNonNull(messageId, "messageId"), at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Remembers many at once (a rebuild). */
    public void recordAll(Collection<String> messageIds, Instant at) {
        messageIds.forEach(id -> record(id, at));
    }

    /** Forgets entries recorded before {@code now - retention}; returns how many were dropped. */
    public int prune(Instant now) {
        Instant cutoff = now.minus(retention);
        int before = finished.size();
        finished.values().removeIf(at -> at.isBefore(cutoff));
        return before - finished.size();
    }

    /** How many message ids are remembered. */
    public int size() {
        return finished.size();
    }
}
