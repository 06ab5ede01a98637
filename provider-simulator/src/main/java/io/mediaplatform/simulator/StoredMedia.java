package io.mediaplatform.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One customer media file a simulator keeps: its bytes, digests and fault state (downloads left to fail, an expired
 * URL pending, gone), and what a download serves (the long generated body of an {@code oversize} fault included).
 */
final class StoredMedia {

    private static final int CHUNK = 64 * 1024;

    final String id;
    /** The message it belongs to (Twilio checks it against the URL path). */
    final String owner;
    final byte[] bytes;
    final String contentType;
    final MediaFaults faults;
    final long size;
    final String sha256Hex;
    final String reportedSha256Hex;
    final AtomicInteger downloads = new AtomicInteger();
    final AtomicInteger resolves = new AtomicInteger();
    final AtomicInteger failuresLeft;
    final AtomicBoolean expiredUrlPending;
    volatile boolean gone;
    private final long oversizeBytes;

    StoredMedia(String id, String owner, byte[] bytes, String contentType, MediaFaults faults, long oversizeBytes) {
        this.id = id;
        this.owner = owner;
        this.bytes = bytes;
        this.contentType = contentType;
        this.faults = faults;
        this.oversizeBytes = oversizeBytes;
        this.size = faults.oversize() ? oversizeBytes : bytes.length;
        this.sha256Hex = faults.oversize() ? sha256Hex(content()) : sha256Hex(bytes);
        this.reportedSha256Hex = faults.wrongSha256()
                ? sha256Hex(("not-" + sha256Hex).getBytes(StandardCharsets.US_ASCII)) : sha256Hex;
        this.failuresLeft = new AtomicInteger(faults.download5xx());
        this.expiredUrlPending = new AtomicBoolean(faults.expiredUrl());
        this.gone = faults.gone();
    }

    /** The reported sha256 as base64 (WhatsApp's webhook form). */
    String reportedSha256Base64() {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(reportedSha256Hex));
    }

    /** What a download serves, as a stream (the long generated body for {@code oversize}). */
    InputStream content() {
        return faults.oversize() ? new Repeating(bytes, oversizeBytes) : new ByteArrayInputStream(bytes);
    }

    CustomerSent.Media describe(String url, boolean reportsSha256) {
        return new CustomerSent.Media(id, sha256Hex, size, contentType, url, reportsSha256 ? reportedSha256Hex : null);
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static String sha256Hex(InputStream in) {
        MessageDigest digest = digest();
        byte[] buffer = new byte[CHUNK];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The customer's bytes repeated up to {@code length} (zeros when there are none), produced on demand. */
    private static final class Repeating extends InputStream {
        private final byte[] seed;
        private final long length;
        private long position;

        Repeating(byte[] seed, long length) {
            if (seed.length == 0) {
                seed = new byte[CHUNK];
            } else if (seed.length < CHUNK) {
                // tile short seeds so that reads copy in long runs
                int copies = (CHUNK + seed.length - 1) / seed.length;
                byte[] tiled = new byte[copies * seed.length];
                for (int i = 0; i < copies; i++) {
                    System.arraycopy(seed, 0, tiled, i * seed.length, seed.length);
                }
                seed = tiled;
            }
            this.seed = seed;
            this.length = length;
        }

        @Override
        public int read() {
            if (position >= length) {
                return -1;
            }
            return seed[(int) (position++ % seed.length)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            for (int i = 0; i < n; ) {
                int at = (int) (position % seed.length);
                int run = Math.min(n - i, seed.length - at);
                System.arraycopy(seed, at, b, off + i, run);
                i += run;
                position += run;
            }
            return n;
        }
    }
}
