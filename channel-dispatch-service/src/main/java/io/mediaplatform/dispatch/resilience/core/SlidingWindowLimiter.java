package io.mediaplatform.dispatch.resilience.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * A rate limiter that never lets more than {@code limit} calls into any window of one second plus a margin, wherever
 * the window starts: call {@code i} is given the slot {@code max(now, slot of call i - limit + window)}.
 *
 * <p>A provider counts calls per second of its own clock, at an unknown phase. A call reaches it some time after its
 * slot and before its answer comes back; so if every call answers within {@code margin} of its slot, two calls
 * {@code limit} apart, whose slots are at least {@code 1 s + margin} apart, reach it at least one second apart, and
 * no provider second sees more than the limit, whatever its phase. The margin is therefore <em>measured</em>: the
 * longest time from slot to answer of the last {@value #SAMPLES} calls ({@link #completed}), at least {@code minMargin}
 * and at most {@code maxMargin}. The sustained rate is {@code limit / (1 s + margin)}: 0.99 of the limit when calls
 * answer within 10 ms, 0.91 when some take 100 ms.
 *
 * <p>Why not fixed cycles (resilience4j's limiter, used before): with {@code k} cycles per second a provider window
 * overlaps {@code k + 1} of them, so for no 429 at any phase the rate had to be {@code k/(k+1)} of the limit (0.90 for
 * 80/s), and a call slower than one cycle could still push one window over.
 *
 * <p>Slots are given in order; a caller that would have to wait longer than its {@code maxWait} takes none.
 */
public final class SlidingWindowLimiter {

    /** Calls whose slot-to-answer time sets the margin. */
    static final int SAMPLES = 64;
    private static final long SECOND = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private final long minMargin;
    private final long maxMargin;
    /** The slots of the last {@code limit} calls, oldest at {@code next}. */
    private final long[] slots;
    private int next;
    private final long[] durations = new long[SAMPLES];
    private int nextDuration;
    private long margin;

    /**
     * @param limit     calls per second
     * @param minMargin smallest margin, also the margin before any call has answered
     * @param maxMargin largest margin (a call slower than this may push one provider second over the limit)
     * @param nanoTime  the clock
     */
    public SlidingWindowLimiter(int limit, Duration minMargin, Duration maxMargin, LongSupplier nanoTime) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        if (minMargin.isNegative() || maxMargin.compareTo(minMargin) < 0) {
            throw new IllegalArgumentException("need 0 <= minMargin <= maxMargin");
        }
        this.nanoTime = nanoTime;
        this.minMargin = minMargin.toNanos();
        this.maxMargin = maxMargin.toNanos();
        this.margin = this.minMargin;
        this.slots = new long[limit];
        Arrays.fill(slots, Long.MIN_VALUE / 2);
    }

    /**
     * A limiter of {@code limit} that remembers this one's latest slots and its margin, so that a change of the limit
     * (e.g. when the instances sharing it change) lets no burst through.
     */
    public synchronized SlidingWindowLimiter resized(int limit) {
        SlidingWindowLimiter resized = new SlidingWindowLimiter(limit, Duration.ofNanos(minMargin), Duration.ofNanos(maxMargin),
                nanoTime);
        long[] latestFirst = new long[slots.length];
        for (int i = 0; i < slots.length; i++) {
            latestFirst[i] = slots[Math.floorMod(next - 1 - i, slots.length)];
        }
        int kept = Math.min(limit, slots.length);
        for (int i = 0; i < kept; i++) {
            resized.slots[kept - 1 - i] = latestFirst[i];   // oldest kept first, at index 0 = next
        }
        resized.next = kept % limit;
        System.arraycopy(durations, 0, resized.durations, 0, SAMPLES);
        resized.margin = margin;
        return resized;
    }

    /** Calls per second. */
    public int limit() {
        return slots.length;
    }

    /**
     * Takes the earliest free slot unless it is more than {@code maxWait} away.
     *
     * @return the slot (on the limiter's clock), or {@link Long#MIN_VALUE} when none came within {@code maxWait}
     */
    public synchronized long reserve(Duration maxWait) {
        long now = nanoTime.getAsLong();
        long slot = Math.max(now, slots[next] + SECOND + margin);
        if (slot - now > maxWait.toNanos()) {
            return Long.MIN_VALUE;
        }
        slots[next] = slot;
        next = (next + 1) % slots.length;
        return slot;
    }

    /** Waits for a slot: the slot, or {@link Long#MIN_VALUE} when none came within {@code maxWait}. */
    public long acquire(Duration maxWait) throws InterruptedException {
        long slot = reserve(maxWait);
        if (slot != Long.MIN_VALUE) {
            long wait = slot - nanoTime.getAsLong();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
        }
        return slot;
    }

    /** The call of {@code slot} has its answer (whatever it was): its time from slot to answer may widen the margin. */
    public synchronized void completed(long slot) {
        durations[nextDuration] = Math.max(0, nanoTime.getAsLong() - slot);
        nextDuration = (nextDuration + 1) % SAMPLES;
        long longest = 0;
        for (long duration : durations) {
            longest = Math.max(longest, duration);
        }
        margin = Math.clamp(longest, minMargin, maxMargin);
    }

    /** The margin now. */
    public synchronized Duration margin() {
        return Duration.ofNanos(margin);
    }
}
