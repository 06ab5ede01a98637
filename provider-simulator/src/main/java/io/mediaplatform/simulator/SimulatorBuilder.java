package io.mediaplatform.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings every provider simulator's builder has: the port, the time between status callbacks and the size of
 * an {@code oversize} media download.
 *
 * @param <B> the builder itself, for the fluent calls
 */
public abstract class SimulatorBuilder<B extends SimulatorBuilder<B>> {

    int port;
    Duration statusDelay = WhatsAppSimulator.DEFAULT_STATUS_DELAY;
    long oversizeBytes = MediaFaults.DEFAULT_OVERSIZE_BYTES;

    SimulatorBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Port to listen on; 0 (default) picks a free one. */
    public B port(int port) {
        this.port = port;
        return self();
    }

    /** Time before the first status and between statuses (default 200 ms). */
    public B statusDelay(Duration statusDelay) {
        this.statusDelay = Objects.requireNonNull(statusDelay);
        return self();
    }

    /** Bytes an {@code oversize} media download streams (default 101 MiB). */
    public B oversizeBytes(long oversizeBytes) {
        if (oversizeBytes <= 0) {
            throw new IllegalArgumentException("oversizeBytes must be positive: " + oversizeBytes);
        }
        this.oversizeBytes = oversizeBytes;
        return self();
    }
}
