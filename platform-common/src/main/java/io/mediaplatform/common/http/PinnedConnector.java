package io.mediaplatform.common.http;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * Connects the guarded client to exactly the addresses the URL guard checked (pinning: no second DNS lookup), with
 * the TLS layer on that socket for https, the URL's host name for SNI and host-name verification.
 */
final class PinnedConnector {

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final SSLContext sslContext;

    PinnedConnector(Duration connectTimeout, Duration readTimeout, SSLContext sslContext) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.sslContext = sslContext;
    }

    /** A socket to one of the target's checked addresses, in order, TLS on top for https; never a new lookup. */
    Socket connect(GuardedHttpClient.Target target, long deadline) throws IOException {
        IOException last = null;
        for (InetAddress address : target.addresses()) {
            long remaining = remainingMillis(deadline);
            if (remaining <= 0) {
                throw new OutboundTimeoutException("The exchange did not complete in time");
            }
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address, target.port()),
                        (int) Math.max(1, Math.min(connectTimeout.toMillis(), remaining)));
                if (!target.https()) {
                    return socket;
                }
                return tls(socket, target, deadline);
            } catch (SocketTimeoutException e) {
                GuardedHttpClient.closeQuietly(socket);
                last = new OutboundTimeoutException("Connecting to the host timed out");
            } catch (IOException e) {
                GuardedHttpClient.closeQuietly(socket);
                last = e;
            }
        }
        throw last != null ? last : new IOException("No address to connect to");
    }

    private Socket tls(Socket plain, GuardedHttpClient.Target target, long deadline) throws IOException {
        String host = target.host();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        SSLSocket ssl = (SSLSocket) sslContext.getSocketFactory().createSocket(plain, bare, target.port(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (NumericHosts.parse(bare).isEmpty() && !bare.contains(":")) {
            parameters.setServerNames(List.of(new SNIHostName(bare)));
        }
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout((int) Math.max(1, Math.min(readTimeout.toMillis(), remainingMillis(deadline))));
        try {
            ssl.startHandshake();
        } catch (SocketTimeoutException e) {
            throw new OutboundTimeoutException("The TLS handshake timed out");
        }
        return ssl;
    }

    /** Milliseconds left until the deadline (a {@link System#nanoTime()} value). */
    static long remainingMillis(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000;
    }
}
