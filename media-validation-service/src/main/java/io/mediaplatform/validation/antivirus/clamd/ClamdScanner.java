package io.mediaplatform.validation.antivirus.clamd;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
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

/**
 * A client of ClamAV's {@code clamd} speaking its INSTREAM command over TCP (or a Unix socket): the content is
 * streamed in chunks, each preceded by its length as 4 bytes in network order, ended by a zero length; clamd
 * answers {@code stream: OK} or {@code stream: <signature> FOUND}. Nothing is held whole in memory.
 */
public class ClamdScanner {

    private final String host;
    private final int port;
    private final String socketPath;
    private final Duration timeout;
    private final int chunkSize;

    /**
     * @param host       clamd host (ignored when {@code socketPath} is set)
     * @param port       clamd TCP port
     * @param socketPath clamd's Unix socket, or null/blank for TCP
     * @param timeout    connect and read timeout
     * @param chunkSize  bytes per INSTREAM chunk
     */
    public ClamdScanner(String host, int port, String socketPath, Duration timeout, int chunkSize) {
        this.host = host;
        this.port = port;
        this.socketPath = socketPath == null || socketPath.isBlank() ? null : socketPath;
        this.timeout = timeout;
        this.chunkSize = chunkSize;
    }

    /** Where the scanner is, for logs. */
    public String address() {
        return socketPath != null ? "unix:" + socketPath : host + ":" + port;
    }

    /**
     * Scans the stream's content.
     *
     * @throws ScannerUnavailableException when clamd cannot be reached or answers with an error (other than the
     *                                     stream being over its size limit, which is {@link Verdict.TooLarge})
     */
    public Verdict scan(InputStream content) {
        try {
            if (socketPath != null) {
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(socketPath)))) {
                    return converse(content, Channels.newOutputStream(channel), Channels.newInputStream(channel));
                }
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                return converse(content, socket.getOutputStream(), socket.getInputStream());
            }
        } catch (IOException e) {
            throw new ScannerUnavailableException("clamd at " + address() + " is unavailable: " + e.getMessage(), e);
        }
    }

    private Verdict converse(InputStream content, OutputStream rawOut, InputStream in) throws IOException {
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(rawOut, chunkSize + 4));
        out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
        byte[] buffer = new byte[chunkSize];
        int n;
        try {
            while ((n = content.readNBytes(buffer, 0, buffer.length)) > 0) {
                out.writeInt(n);
                out.write(buffer, 0, n);
            }
            out.writeInt(0);
            out.flush();
        } catch (IOException writeFailure) {
            // clamd stops reading and answers (then closes) when the stream passes its StreamMaxLength
            try {
                return verdict(readReply(in));
            } catch (IOException | RuntimeException noReply) {
                throw writeFailure;
            }
        }
        return verdict(readReply(in));
    }

    private static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) > 0) {
            reply.write(b);
        }
        return reply.toString(StandardCharsets.US_ASCII).trim();
    }

    /** Reads clamd's answer: {@code stream: OK}, {@code stream: Name FOUND}, anything else is an error. */
    static Verdict verdict(String reply) {
        if (reply.endsWith(" FOUND")) {
            String signature = reply.substring(0, reply.length() - " FOUND".length());
            int colon = signature.indexOf(": ");
            return new Verdict.Infected(colon >= 0 ? signature.substring(colon + 2) : signature);
        }
        if (reply.endsWith(": OK") || reply.equals("OK")) {
            return new Verdict.Clean();
        }
        if (reply.contains("size limit exceeded")) {
            return new Verdict.TooLarge(reply);
        }
        throw new ScannerUnavailableException("clamd answered '" + reply + "'", null);
    }

    /** What the scanner said. */
    public sealed interface Verdict {
        /** Nothing found. */
        record Clean() implements Verdict {
        }

        /**
         * Malware found.
         *
         * @param signature clamd's name for it, e.g. {@code Test.EICAR.UNOFFICIAL}
         */
        record Infected(String signature) implements Verdict {
        }

        /**
         * The content is larger than clamd accepts ({@code StreamMaxLength}): it cannot be scanned.
         *
         * @param reply clamd's answer
         */
        record TooLarge(String reply) implements Verdict {
        }
    }

    /** The scanner could not give a verdict; the media must not be accepted unscanned (fail closed). */
    public static class ScannerUnavailableException extends RuntimeException {
        public ScannerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
