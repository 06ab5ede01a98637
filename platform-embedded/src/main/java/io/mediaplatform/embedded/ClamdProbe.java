package io.mediaplatform.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/** clamd's readiness probe: {@code zPING} answered {@code PONG} on its Unix socket or TCP port. */
final class ClamdProbe {

    private final Path socket;
    private final String host;
    private final int port;
    private final String address;

    /** @param socket the Unix socket, or null for {@code host:port}; {@code address} names it in errors */
    ClamdProbe(Path socket, String host, int port, String address) {
        this.socket = socket;
        this.host = host;
        this.port = port;
        this.address = address;
    }

    /** Waits until clamd answers, up to {@code timeout}; fails with {@code logTail} when it exits or never does. */
    void await(Process process, Duration timeout, Supplier<String> logTail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("clamd exited with code " + process.exitValue()
                        + " before it answered at " + address + logTail.get());
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for clamd", e);
            }
        }
        throw new IllegalStateException("clamd did not answer at " + address + " within " + timeout + logTail.get());
    }

    /** Whether clamd answers {@code zPING} with {@code PONG} at its address. */
    boolean answersPing() {
        try {
            if (socket != null) {
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    return ping(Channels.newOutputStream(channel), Channels.newInputStream(channel));
                }
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 500);
                socket.setSoTimeout(2_000);
                return ping(socket.getOutputStream(), socket.getInputStream());
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean ping(OutputStream out, InputStream in) throws IOException {
        out.write("zPING\0".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) > 0 && reply.size() < 64) {
            reply.write(b);
        }
        return reply.toString(StandardCharsets.US_ASCII).trim().equals("PONG");
    }
}
