package io.mediaplatform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Loopback port helpers for the embedded servers: every server of this module binds 127.0.0.1 only.
 */
public final class Ports {

    private Ports() {
    }

    /**
     * A TCP port that is free on 127.0.0.1 right now, not handed out before in this JVM, below the ephemeral range
     * (see {@link #FIRST_CHOSEN}); another process could still take it before the caller binds it, which is
     * acceptable for local runs and tests.
     */
    public static int freePort() {
        if (HANDED_OUT.size() > 5_000) {
            HANDED_OUT.clear();
        }
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(FIRST_CHOSEN, LAST_CHOSEN + 1);
            if (HANDED_OUT.add(port)) {
                if (bindable(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port on 127.0.0.1", e);
        }
    }

    /**
     * Ports handed out are taken below Linux's ephemeral range (32768-60999): a port the kernel gave back as free
     * there may be taken by an outgoing connection (a Kafka client's, say) before the server that was to bind it
     * does; below it, only listeners compete, and each port is handed out once per JVM.
     */
    private static final int FIRST_CHOSEN = 20_000;
    private static final int LAST_CHOSEN = 32_000;
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code port} itself, or a {@link #freePort() free port} when it is 0. */
    public static int orFree(int port) {
        checkRange(port);
        return port == 0 ? freePort() : port;
    }

    /** Refuses a port outside 0..65535. */
    static void checkRange(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Whether nothing listens on {@code 127.0.0.1:port}, i.e. a server could bind it now. Binds with SO_REUSEADDR
     * as the servers themselves do, so connections of an earlier run still in TIME_WAIT (after Ctrl-C and an
     * immediate restart) do not count as "in use"; a listening socket still does.
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
