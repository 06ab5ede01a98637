package io.mediaplatform.dispatch.resilience.core;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * This instance's part of each per-sender rate limit when several dispatch instances share the work: a provider's
 * limit (e.g. 80 messages/s per WhatsApp phone number) holds for the sender, not per instance, so N instances each
 * limiting on their own would send N times it. Every instance owns some partitions of {@code media.accepted.v1} (the
 * consumer group shares them out; the retry topic follows them), and a sender's messages are spread over the
 * partitions by conversation; so each instance allows {@code limit x owned / total} (at least 1), and the instances'
 * allowances add up to at most the limit whatever their number. The cost: a sender whose conversations sit on few
 * partitions gets less than its limit while there are several instances.
 */
public final class RateShare {

    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final IntSupplier totalPartitions;
    private final AtomicLong version = new AtomicLong();
    private volatile int total;

    /** @param totalPartitions the partitions of the shared topic (asked when partitions are first assigned) */
    public RateShare(IntSupplier totalPartitions) {
        this.totalPartitions = totalPartitions;
    }

    /** One instance alone: the whole limit. */
    public static RateShare whole() {
        return new RateShare(() -> 0);
    }

    /** {@code limit x owned / total}, at least 1; the whole limit when the total is unknown or all are owned. */
    public static int limit(int rate, int owned, int total) {
        if (total <= 0 || owned >= total) {
            return rate;
        }
        return Math.max(1, (int) ((long) rate * owned / total));
    }

    /** This instance's allowance of a limit of {@code rate}. */
    public int limit(int rate) {
        return limit(rate, owned.size(), total);
    }

    /** Changes whenever the allowance may have (so limiters are rebuilt). */
    public long version() {
        return version.get();
    }

    public void assigned(Collection<Integer> partitions) {
        if (total <= 0) {
            try {
                total = totalPartitions.getAsInt();
            } catch (RuntimeException e) {
                total = 0; // unknown for now: the whole limit until the next assignment tells
            }
        }
        owned.addAll(partitions);
        version.incrementAndGet();
    }

    public void revoked(Collection<Integer> partitions) {
        owned.removeAll(partitions);
        version.incrementAndGet();
    }
}
