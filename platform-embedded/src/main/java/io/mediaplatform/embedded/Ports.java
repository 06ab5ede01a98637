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
     * A TCP port that is free on 127.0.0.1 right now. The operating system picks it; another process could
     * still take it before the caller binds it, which is acceptable for local runs and tests.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port on 127.0.0.1", e);
        }
    }

    /** {@code port} itself, or a {@link #freePort() free port} when it is 0. */
    public static int orFree(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port == 0 ? freePort() : port;
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
