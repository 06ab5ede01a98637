package io.mediaplatform.ingest.media.storage;

import io.mediaplatform.ingest.media.core.MediaInfo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The metadata of media looked up lately, kept at most {@code ttl} and {@code capacity} entries (least recently used
 * first out): stored media is immutable, and a campaign names the same media in message after message, each of
 * which would otherwise cost a HEAD at the edge and another in the send-requested listener. Only media found is
 * kept; a deletion through this instance forgets it at once.
 */
final class RecentMedia {

    private record Kept(MediaInfo info, long expiresAt) {
    }

    private final int capacity;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Kept> entries;

    RecentMedia(int capacity, Duration ttl, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
                return size() > RecentMedia.this.capacity;
            }
        };
    }

    boolean enabled() {
        return capacity > 0 && ttlNanos > 0;
    }

    synchronized Optional<MediaInfo> get(String key) {
        Kept entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - entry.expiresAt() >= 0) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.info());
    }

    synchronized void put(String key, MediaInfo info) {
        if (enabled()) {
            entries.put(key, new Kept(info, nanoTime.getAsLong() + ttlNanos));
        }
    }

    synchronized void forget(String key) {
        entries.remove(key);
    }
}
