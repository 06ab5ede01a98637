package io.mediaplatform.common.http;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The guarded client's open connections between exchanges (HTTP/1.1 keep-alive), by the address the URL guard
 * checked, the port and, for https, the host the certificate was verified for: a connection is only ever reused for
 * the same checked address, so pinning holds. One is kept at most {@code maxIdle} after its last answer (servers
 * close idle connections after a few seconds: Node.js after 5 s), at most {@value #PER_TARGET} per target; older
 * ones are closed when they are next looked at, and at the latest on the next offer or take after a second.
 */
final class IdleConnections implements AutoCloseable {

    /** Where a connection goes. */
    record Target(InetAddress address, int port, boolean https, String host) {
        /** A request's target at one of its checked addresses (the TLS host counts for https only). */
        static Target of(InetAddress address, GuardedHttpClient.Target target) {
            return new Target(address, target.port(), target.https(), target.https() ? target.host() : "");
        }
    }

    static final int PER_TARGET = 32;

    private record Idle(Socket socket, long since) {
    }

    private final long maxIdleNanos;
    private final LongSupplier nanoTime;
    private final Map<Target, Deque<Idle>> idle = new HashMap<>();
    private long sweptAt;

    IdleConnections(Duration maxIdle, LongSupplier nanoTime) {
        this.maxIdleNanos = maxIdle.toNanos();
        this.nanoTime = nanoTime;
        this.sweptAt = nanoTime.getAsLong();
    }

    boolean enabled() {
        return maxIdleNanos > 0;
    }

    /** The most recently used open connection to one of the target's checked addresses, or null. */
    Socket take(GuardedHttpClient.Target target) {
        if (!enabled()) {
            return null;
        }
        List<Socket> expired = new ArrayList<>();
        Socket found = null;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            sweep(now, expired);
            for (InetAddress address : target.addresses()) {
                Deque<Idle> connections = idle.get(Target.of(address, target));
                while (found == null && connections != null && !connections.isEmpty()) {
                    Idle newest = connections.pollFirst();
                    if (now - newest.since() < maxIdleNanos && !newest.socket().isClosed()) {
                        found = newest.socket();
                    } else {
                        expired.add(newest.socket());
                    }
                }
                if (found != null) {
                    break;
                }
            }
        }
        expired.forEach(GuardedHttpClient::closeQuietly);
        return found;
    }

    /** Keeps a connection whose exchange ended cleanly, for the next request to its target; closes it when off or full. */
    void offer(Target target, Socket socket) {
        if (!enabled()) {
            GuardedHttpClient.closeQuietly(socket);
            return;
        }
        List<Socket> expired = new ArrayList<>();
        synchronized (this) {
            long now = nanoTime.getAsLong();
            sweep(now, expired);
            Deque<Idle> connections = idle.computeIfAbsent(target, t -> new ArrayDeque<>());
            connections.addFirst(new Idle(socket, now));
            while (connections.size() > PER_TARGET) {
                expired.add(connections.pollLast().socket());
            }
        }
        expired.forEach(GuardedHttpClient::closeQuietly);
    }

    /** Connections kept now (for tests). */
    synchronized int size() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    /** At most once a second: takes out every connection idle for longer than allowed, to be closed. */
    private void sweep(long now, List<Socket> expired) {
        if (now - sweptAt < 1_000_000_000L) {
            return;
        }
        sweptAt = now;
        for (Iterator<Deque<Idle>> targets = idle.values().iterator(); targets.hasNext(); ) {
            Deque<Idle> connections = targets.next();
            connections.removeIf(c -> {
                boolean old = now - c.since() >= maxIdleNanos;
                if (old) {
                    expired.add(c.socket());
                }
                return old;
            });
            if (connections.isEmpty()) {
                targets.remove();
            }
        }
    }

    @Override
    public void close() {
        List<Socket> all = new ArrayList<>();
        synchronized (this) {
            idle.values().forEach(connections -> connections.forEach(c -> all.add(c.socket())));
            idle.clear();
        }
        all.forEach(GuardedHttpClient::closeQuietly);
    }
}
