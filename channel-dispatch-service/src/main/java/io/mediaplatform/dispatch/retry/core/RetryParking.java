package io.mediaplatform.dispatch.retry.core;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conversations that have a message waiting on the retry topic, so that a later message of the same
 * conversation is queued behind it instead of overtaking it. A conversation is parked from the moment one of its
 * messages is handed to the retry topic until the last of its waiting messages is finished.
 *
 * <p>Entries are remembered per partition (of {@code media.accepted} and of the retry topic alike, which are
 * co-partitioned), so that a partition's entries can be dropped when it moves to another instance and rebuilt from
 * the retry topic where it lands. Thread-safe: the listener threads park, the retry worker releases.
 */
public final class RetryParking {

    /** {@code since}: when the conversation was parked (epoch millis), for the age of the oldest waiting. */
    private record Parked(int partition, Set<String> messageIds, long since) {
    }

    private final Map<String, Parked> byConversation = new ConcurrentHashMap<>();

    /** Whether a message of that conversation is waiting on the retry topic. */
    public boolean parked(String conversationKey) {
        return byConversation.containsKey(conversationKey);
    }

    /** Notes that a message of a conversation waits on the retry topic (in that partition). */
    public void park(int partition, String conversationKey, String messageId) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(messageId, "messageId");
        byConversation.compute(conversationKey, (key, parked) -> {
            Parked entry = parked != null ? parked : new Parked(partition, new LinkedHashSet<>(), System.currentTimeMillis());
            entry.messageIds().add(messageId);
            return entry;
        });
    }

    /** Notes that a waiting message is finished (sent, failed for good, or found already sent). */
    public void release(String conversationKey, String messageId) {
        if (conversationKey == null || messageId == null) {
            return;
        }
        byConversation.computeIfPresent(conversationKey, (key, parked) -> {
            parked.messageIds().remove(messageId);
            return parked.messageIds().isEmpty() ? null : parked;
        });
    }

    /** Forgets the conversations of a partition that moved away. */
    public void forget(int partition) {
        byConversation.values().removeIf(parked -> parked.partition() == partition);
    }

    /** How many messages wait, in all. */
    public int waiting() {
        return byConversation.values().stream().mapToInt(parked -> parked.messageIds().size()).sum();
    }

    /** How long the conversation parked first of those still parked has waited (zero when none waits). */
    public java.time.Duration oldestWait(java.time.Instant now) {
        return byConversation.values().stream().mapToLong(Parked::since).min()
                .stream().mapToObj(since -> java.time.Duration.ofMillis(Math.max(0, now.toEpochMilli() - since)))
                .findFirst().orElse(java.time.Duration.ZERO);
    }
}
