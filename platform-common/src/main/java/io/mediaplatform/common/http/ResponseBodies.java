package io.mediaplatform.common.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The guarded client's response body, as layers of streams: the read timeout between bytes and the total deadline
 * on the socket, the body's framing ({@code Content-Length} or chunked), and the size limit enforced while it streams.
 */
final class ResponseBodies {

    private ResponseBodies() {
    }

    /** A body whose end is known from its framing, so the connection may carry another exchange after it. */
    interface Framed {
        /** Whether the body was read to its end. */
        boolean ended();

        /** Reads the rest of the body when it is already buffered (no wait); answers whether it then ended. */
        boolean drainBuffered() throws IOException;
    }

    /** The empty body of a HEAD, a 204 or a 304. */
    static final class Empty extends InputStream implements Framed {
        @Override
        public int read() {
            return -1;
        }

        @Override
        public boolean ended() {
            return true;
        }

        @Override
        public boolean drainBuffered() {
            return true;
        }
    }

    /** A stream whose single-byte read is its block read of one byte. */
    private abstract static class ByteAtATime extends FilterInputStream {
        ByteAtATime(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** Socket input that enforces the read timeout between bytes and the total deadline. */
    static final class DeadlineInputStream extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final Duration readTimeout;
        private long received;

        DeadlineInputStream(Socket socket, long deadline, Duration readTimeout) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
            this.readTimeout = readTimeout;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long remaining = PinnedConnector.remainingMillis(deadline);
            if (remaining <= 0) {
                throw new OutboundTimeoutException("The exchange did not complete in time");
            }
            boolean total = remaining < readTimeout.toMillis();
            socket.setSoTimeout((int) Math.max(1, Math.min(readTimeout.toMillis(), remaining)));
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    received += n;
                }
                return n;
            } catch (SocketTimeoutException e) {
                throw new OutboundTimeoutException(total ? "The exchange did not complete in time"
                        : "The server sent nothing for " + readTimeout.toMillis() + " ms");
            }
        }

        /** Bytes the server sent in this exchange so far. */
        long received() {
            return received;
        }
    }

    /** Exactly {@code length} bytes; fewer is an error (the response ended early). */
    static final class FixedLengthInputStream extends ByteAtATime implements Framed {
        private long remaining;

        FixedLengthInputStream(InputStream in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new IOException("The response ended before Content-Length bytes");
            }
            remaining -= n;
            return n;
        }

        @Override
        public boolean ended() {
            return remaining <= 0;
        }

        @Override
        public boolean drainBuffered() throws IOException {
            if (remaining > 0 && remaining <= in.available()) {
                in.skipNBytes(remaining);
                remaining = 0;
            }
            return ended();
        }
    }

    /** Decodes {@code Transfer-Encoding: chunked} (extensions and trailers ignored). */
    static final class ChunkedInputStream extends ByteAtATime implements Framed {
        private long chunkLeft;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                String line = HttpWire.readLine(in);
                int semicolon = line.indexOf(';');
                String size = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
                try {
                    chunkLeft = Long.parseLong(size, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("Malformed chunk size");
                }
                if (chunkLeft < 0) {
                    throw new IOException("Malformed chunk size");
                }
                if (chunkLeft == 0) {
                    while (!HttpWire.readLine(in).isEmpty()) {
                        // trailers ignored
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new IOException("The response ended inside a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                HttpWire.readLine(in);
            }
            return n;
        }

        @Override
        public boolean ended() {
            return done;
        }

        /** A chunked body is only kept when it was read to its end: its framing could make a drain wait. */
        @Override
        public boolean drainBuffered() {
            return done;
        }
    }

    /** Stops with {@link ResponseTooLargeException} as soon as more than the limit arrives. */
    static final class LimitedInputStream extends ByteAtATime {
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw new ResponseTooLargeException(limit);
                }
            }
            return n;
        }
    }
}
