package io.mediaplatform.dispatch.webhook.core;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Remembers which provider webhook events were already taken, so that a webhook sent again with a valid signature
 * (an attacker replaying a captured request, or a provider delivering the same event twice) publishes nothing the
 * second time.
 *
 * <p>An event is named by a key each webhook builds from what identifies the event for its provider (provider,
 * message ids, normalised status, provider time or delivery id). {@link #once} runs the publishing action only for
 * the first sighting of a key and remembers the key <em>only after the action succeeded</em>: a failed publish
 * leaves nothing behind, so the provider's own retry of that webhook is published rather than lost. While an action
 * runs, the same key is {@link Verdict#IN_PROGRESS} (not yet a replay: the first attempt may still fail).
 *
 * <p>Memory is bounded: a key is forgotten after {@code window}, and beyond {@code maxEntries} remembered keys the
 * oldest is forgotten first. Keys are kept as 128-bit SHA-256 prefixes (about 100 bytes each with the map entry),
 * so 100 000 keys take about 10 MB. A forgotten event that comes again is published again; so is an event replayed
 * to another dispatch instance, since each instance remembers only what it took itself. Downstream,
 * callback-service's own duplicate check of {@code message.status.v1} still applies in both cases: this guard keeps
 * the topic clean, it is not the last line.
 *
 * <p>Thread-safe.
 */
public final class ReplayGuard {

    /** What {@link #once} made of a key. */
    public enum Verdict {
        /** First sighting: the action ran and succeeded, the key is remembered. */
        FIRST,
        /** Already taken within the window: the action did not run. */
        REPLAY,
        /** The same event is being taken right now by another request: the action did not run. */
        IN_PROGRESS
    }

    private final long windowMillis;
    private final int maxEntries;
    private final Clock clock;
    /** Remembered keys in the order they were remembered, with when; the eldest is the first to expire. */
    private final LinkedHashMap<Digest, Long> remembered = new LinkedHashMap<>();
    private final Set<Digest> inProgress = new HashSet<>();
    private long evictedForSpace;

    /**
     * @param window     how long a taken event is remembered (positive)
     * @param maxEntries most events remembered at once (positive)
     * @param clock      clock of the expiry
     */
    public ReplayGuard(Duration window, int maxEntries, Clock clock) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.windowMillis = window.toMillis();
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs {@code action} unless the event named by {@code key} was already taken or is being taken; remembers the
     * key when the action returns normally. An exception of the action propagates and nothing is remembered.
     */
    public Verdict once(String key, Runnable action) {
        Digest digest = Digest.of(key);
        synchronized (this) {
            expire();
            if (remembered.containsKey(digest)) {
                return Verdict.REPLAY;
            }
            if (!inProgress.add(digest)) {
                return Verdict.IN_PROGRESS;
            }
        }
        boolean done = false;
        try {
            action.run();
            done = true;
        } finally {
            synchronized (this) {
                inProgress.remove(digest);
                if (done) {
                    remember(digest);
                }
            }
        }
        return Verdict.FIRST;
    }

    /**
     * A key naming one event from its parts (null parts allowed), separated so that no two different lists of parts
     * give the same key.
     */
    public static String key(String... parts) {
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            String value = part == null ? "" : part;
            key.append(value.length()).append(':').append(value).append('|');
        }
        return key.toString();
    }

    /** Whether the event named by {@code key} is remembered as taken. */
    public synchronized boolean seen(String key) {
        expire();
        return remembered.containsKey(Digest.of(key));
    }

    /** How many events are remembered right now. */
    public synchronized int size() {
        expire();
        return remembered.size();
    }

    /** How many events were forgotten before their window ended, to stay within the bound. */
    public synchronized long evictedForSpace() {
        return evictedForSpace;
    }

    private void remember(Digest digest) {
        remembered.put(digest, clock.millis());
        Iterator<Map.Entry<Digest, Long>> eldest = remembered.entrySet().iterator();
        while (remembered.size() > maxEntries && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
            evictedForSpace++;
        }
    }

    private void expire() {
        long now = clock.millis();
        Iterator<Map.Entry<Digest, Long>> entries = remembered.entrySet().iterator();
        while (entries.hasNext()) {
            if (now - entries.next().getValue() < windowMillis) {
                return; // insertion order: everything after this one is younger
            }
            entries.remove();
        }
    }

    /** The first 128 bits of the key's SHA-256: fixed size whatever the key, collisions negligible. */
    private record Digest(long high, long low) {
        static Digest of(String key) {
            Objects.requireNonNull(key, "key");
            try {
                ByteBuffer hash = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                        .digest(key.getBytes(StandardCharsets.UTF_8)));
                return new Digest(hash.getLong(), hash.getLong());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
