package io.mediaplatform.common.cache;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Values looked up lately, each kept at most {@code ttl}, all together at most {@code capacity} by weight (least
 * recently used first out). For facts about immutable things that a burst asks again and again (the metadata of a
 * stored media named by message after message, what its bytes are): a hit saves a round trip, a miss costs nothing
 * but the lookup it would have made anyway. A value heavier than the whole capacity is not kept. Thread-safe.
 *
 * @param <K> key
 * @param <V> value
 */
public final class RecentValues<K, V> {

    private record Kept<V>(V value, long weight, long expiresAt) {
    }

    private final long capacity;
    private final long ttlNanos;
    private final ToLongFunction<? super V> weigher;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<K, Kept<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long weight;

    /**
     * @param capacity the most total weight kept (0 keeps nothing)
     * @param ttl      how long a value is kept after it was put (zero keeps nothing)
     * @param weigher  the weight of a value (e.g. its bytes); must not change while it is kept
     * @param nanoTime the clock ({@code System::nanoTime})
     */
    public RecentValues(long capacity, Duration ttl, ToLongFunction<? super V> weigher, LongSupplier nanoTime) {
        if (capacity < 0 || ttl.isNegative()) {
            throw new IllegalArgumentException("capacity and ttl must not be negative");
        }
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
        this.weigher = weigher;
        this.nanoTime = nanoTime;
    }

    /** At most {@code entries} values, each of weight 1, on the system clock. */
    public static <K, V> RecentValues<K, V> counted(int entries, Duration ttl) {
        return new RecentValues<>(entries, ttl, value -> 1, System::nanoTime);
    }

    /** Whether anything is kept at all. */
    public boolean enabled() {
        return capacity > 0 && ttlNanos > 0;
    }

    /** The value kept under the key, if it was put less than the ttl ago and not pushed out since. */
    public synchronized Optional<V> get(K key) {
        Kept<V> kept = entries.get(key);
        if (kept == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - kept.expiresAt() >= 0) {
            remove(key);
            return Optional.empty();
        }
        return Optional.of(kept.value());
    }

    /** Keeps the value (replacing one under the key), pushing out the least recently used until it fits. */
    public synchronized void put(K key, V value) {
        if (!enabled()) {
            return;
        }
        remove(key);
        long w = Math.max(0, weigher.applyAsLong(value));
        if (w > capacity) {
            return;
        }
        entries.put(key, new Kept<>(value, w, nanoTime.getAsLong() + ttlNanos));
        weight += w;
        Iterator<Map.Entry<K, Kept<V>>> eldest = entries.entrySet().iterator();
        while (weight > capacity && eldest.hasNext()) {
            weight -= eldest.next().getValue().weight();
            eldest.remove();
        }
    }

    /** Forgets the key (the thing it names was deleted or changed). */
    public synchronized void forget(K key) {
        remove(key);
    }

    /** The total weight kept now. */
    public synchronized long weight() {
        return weight;
    }

    private void remove(K key) {
        Kept<V> gone = entries.remove(key);
        if (gone != null) {
            weight -= gone.weight();
        }
    }
}
