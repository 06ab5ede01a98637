package io.mediaplatform.benchmarks.digest;

import io.mediaplatform.benchmarks.report.Table;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * Ingest-style SHA-256 of a large upload: streamed through one part-sized buffer (8 MiB, the way
 * {@code ObjectStorage.put} hashes while it uploads) versus the baseline of reading the whole payload into memory
 * first. The payload is generated on the fly (never held by the generator), the same bytes for both; each variant
 * runs three times, the median time is shown, and the bytes each variant allocated on its thread.
 */
public final class DigestBenchmark {

    private static final int PART_SIZE = 8 * 1024 * 1024;
    private static final int RUNS = 3;

    private final long payloadBytes;

    /** @param payloadMegabytes payload size in MiB */
    public DigestBenchmark(int payloadMegabytes) {
        this.payloadBytes = (long) payloadMegabytes * 1024 * 1024;
    }

    /** What one variant measured. */
    private record Figures(long medianNanos, long allocatedBytes, String sha256) {
    }

    private interface Hasher {
        String hash(InputStream in) throws IOException;
    }

    /** Runs both variants and returns the side-by-side table. */
    public Table run() throws IOException {
        Figures streamed = measure(DigestBenchmark::streamed);
        Figures inMemory = measure(DigestBenchmark::inMemory);
        double mib = payloadBytes / (1024.0 * 1024.0);
        Table table = new Table("SHA-256 of a " + (payloadBytes / (1024 * 1024)) + " MiB upload: streamed vs read into"
                + " memory (median of " + RUNS + ")", "streamed (8 MiB parts)", "baseline (readAllBytes)");
        table.row("time (ms)", streamed.medianNanos() / 1e6, inMemory.medianNanos() / 1e6);
        table.row("throughput (MiB/s)", mib / (streamed.medianNanos() / 1e9), mib / (inMemory.medianNanos() / 1e9));
        table.row("allocated per upload (MiB)", streamed.allocatedBytes() / (1024.0 * 1024.0),
                inMemory.allocatedBytes() / (1024.0 * 1024.0));
        table.text("same digest", streamed.sha256().equals(inMemory.sha256()) ? "yes" : "NO",
                streamed.sha256().substring(0, 16) + "…");
        return table;
    }

    private Figures measure(Hasher hasher) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        hasher.hash(new GeneratedPayload(Math.min(payloadBytes, 16L * 1024 * 1024))); // warm-up
        long[] times = new long[RUNS];
        long allocated = Long.MAX_VALUE;
        String digest = null;
        for (int i = 0; i < RUNS; i++) {
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            digest = hasher.hash(new GeneratedPayload(payloadBytes));
            times[i] = System.nanoTime() - t0;
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - allocatedBefore);
        }
        Arrays.sort(times);
        return new Figures(times[RUNS / 2], allocated, digest);
    }

    private static String streamed(InputStream in) throws IOException {
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[PART_SIZE];
        int length;
        while ((length = in.readNBytes(buffer, 0, buffer.length)) > 0) {
            sha256.update(buffer, 0, length);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static String inMemory(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        return HexFormat.of().formatHex(sha256().digest(all));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code size} deterministic pseudo-random bytes, produced from a 1 MiB block as they are read. */
    private static final class GeneratedPayload extends InputStream {
        private static final byte[] BLOCK = new byte[1024 * 1024];

        static {
            new Random(42).nextBytes(BLOCK);
        }

        private final long size;
        private long position;

        GeneratedPayload(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? BLOCK[(int) (position++ % BLOCK.length)] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= size) {
                return -1;
            }
            int offsetInBlock = (int) (position % BLOCK.length);
            int n = (int) Math.min(Math.min(len, BLOCK.length - offsetInBlock), size - position);
            System.arraycopy(BLOCK, offsetInBlock, b, off, n);
            position += n;
            return n;
        }
    }
}
