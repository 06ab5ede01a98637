package io.mediaplatform.ingest.messages.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory {@code Idempotency-Key} memory, per tenant, bounded (oldest key forgotten first) and with a time
 * to live. A key is bound to the hash of the request body: the same key with the same body gets the first
 * answer again (concurrent duplicates wait for it), the same key with another body is a conflict. Good for
 * one instance; several instances behind a balancer need a shared store.
 *
 * @param <R> the remembered answer
 */
public final class IdempotencyCache<R> {

    private final int maxPerTenant;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, LinkedHashMap<String, Slot<R>>> tenants = new ConcurrentHashMap<>();

    public IdempotencyCache(int maxPerTenant, Duration ttl, Clock clock) {
        if (maxPerTenant < 1) {
            throw new IllegalArgumentException("maxPerTenant must be at least 1");
        }
        this.maxPerTenant = maxPerTenant;
        this.ttl = ttl;
        this.clock = clock;
    }

    private record Slot<R>(String bodyHash, CompletableFuture<R> answer, Instant at) {
    }

    /** What {@link #begin} found. */
    public sealed interface Claim<R> {
    }

    /** First use of the key: do the work, then {@link #complete} or {@link #abandon}. */
    public record New<R>() implements Claim<R> {
    }

    /** The key was used with the same body: its answer (possibly still being made). */
    public record Replay<R>(CompletableFuture<R> answer) implements Claim<R> {
    }

    /** The key was used with another body. */
    public record Conflict<R>() implements Claim<R> {
    }

    /** Claims {@code key} of {@code tenantId} for a request whose body hashes to {@code bodyHash}. */
    public Claim<R> begin(String tenantId, String key, String bodyHash) {
        LinkedHashMap<String, Slot<R>> keys = keysOf(tenantId);
        synchronized (keys) {
            Instant now = clock.instant();
            Slot<R> entry = keys.get(key);
            if (entry != null && entry.at().plus(ttl).isBefore(now)) {
                keys.remove(key);
                entry = null;
            }
            if (entry == null) {
                keys.put(key, new Slot<>(bodyHash, new CompletableFuture<>(), now));
                return new New<>();
            }
            return entry.bodyHash().equals(bodyHash) ? new Replay<>(entry.answer()) : new Conflict<>();
        }
    }

    /** Remembers the answer of a {@link New} claim. */
    public void complete(String tenantId, String key, R answer) {
        LinkedHashMap<String, Slot<R>> keys = keysOf(tenantId);
        synchronized (keys) {
            Slot<R> entry = keys.get(key);
            if (entry != null) {
                entry.answer().complete(answer);
            }
        }
    }

    /** Forgets a {@link New} claim whose work failed, so the client may retry with the same key. */
    public void abandon(String tenantId, String key, Throwable failure) {
        LinkedHashMap<String, Slot<R>> keys = keysOf(tenantId);
        synchronized (keys) {
            Slot<R> entry = keys.remove(key);
            if (entry != null) {
                entry.answer().completeExceptionally(failure);
            }
        }
    }

    private LinkedHashMap<String, Slot<R>> keysOf(String tenantId) {
        return tenants.computeIfAbsent(tenantId, t -> new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Slot<R>> eldest) {
                return size() > maxPerTenant;
            }
        });
    }
}
