package io.mediaplatform.common.storage;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory all uploads of one service may hold at once, counted in the {@link ObjectStorage#CHUNK}-byte chunks
 * they are read in. Each upload holds at most one part and a small one is held whole until it is written, so without
 * a bound a few hundred uploads trickling in at once (or a client that means harm) would hold a part each and exhaust
 * the heap. Before it reads a part an upload reserves its room (a whole part, or what its announced size needs): past
 * the budget it waits for other uploads' parts to be written; past {@code wait} it is refused with
 * {@link UploadMemoryBusyException} (a 503 with Retry-After at an edge) and what it held is given back.
 */
public final class UploadMemory {

    private final Semaphore chunks;
    private final int total;
    private final Duration wait;

    /**
     * @param budgetBytes what all uploads may hold at once; at least two parts of one upload, so that one can always go
     * @param wait        how long a chunk waits for room before its upload is refused
     */
    public UploadMemory(long budgetBytes, int partSize, Duration wait) {
        long least = 2L * partSize;
        this.total = (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(Math.max(budgetBytes, least), ObjectStorage.CHUNK));
        this.chunks = new Semaphore(total, true);
        this.wait = wait;
    }

    /** One chunk's room, waiting at most the configured time. */
    void take() {
        take(1);
    }

    /**
     * Room for {@code count} chunks at once, all or none, waiting at most the configured time. An upload reserves the
     * part it is about to read before it reads a byte of it: were the room taken chunk by chunk as bytes arrive, every
     * upload could end half way through its part with the budget spent and none able to finish (the room comes back
     * only when a part is written), so all would wait out the time. A reserved part can always be read to its end.
     */
    void take(int count) {
        boolean taken;
        try {
            taken = chunks.tryAcquire(count, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadMemoryBusyException("interrupted while waiting for room to read the upload", e);
        }
        if (!taken) {
            throw new UploadMemoryBusyException("too many uploads are being received at once: no room to read this one"
                    + " within " + wait.toSeconds() + " s", null);
        }
    }

    void give(int count) {
        if (count > 0) {
            chunks.release(count);
        }
    }

    /** Chunks free now (for tests and meters). */
    public int free() {
        return chunks.availablePermits();
    }

    /** Chunks in all. */
    public int total() {
        return total;
    }
}
