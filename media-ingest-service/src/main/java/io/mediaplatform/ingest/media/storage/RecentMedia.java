package io.mediaplatform.ingest.media.storage;

import io.mediaplatform.common.cache.RecentValues;
import io.mediaplatform.ingest.media.core.MediaInfo;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The metadata of media looked up lately, kept at most {@code ttl} and {@code capacity} entries (least recently used
 * first out): stored media is immutable, and a campaign names the same media in message after message, each of
 * which would otherwise cost a HEAD at the edge and another in the send-requested listener. Only media found is
 * kept; a deletion through this instance forgets it at once.
 */
final class RecentMedia {

    private final RecentValues<String, MediaInfo> entries;

    RecentMedia(int capacity, Duration ttl, LongSupplier nanoTime) {
        this.entries = new RecentValues<>(capacity, ttl, info -> 1, nanoTime);
    }

    boolean enabled() {
        return entries.enabled();
    }

    Optional<MediaInfo> get(String key) {
        return entries.get(key);
    }

    void put(String key, MediaInfo info) {
        entries.put(key, info);
    }

    void forget(String key) {
        entries.forget(key);
    }
}
