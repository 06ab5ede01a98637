package io.mediaplatform.dispatch.retry.core;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the sends tell about each provider's health, for the retry worker to release its waiting messages when a
 * provider is back ({@link RetryProbes}). Fed with the outcome of every send (whatever thread made it) and with the
 * provider's circuit breaker transitions. A provider is <em>down</em> from its circuit opening, or from two sends in
 * a row failing for the provider's sake (5xx, timeouts, network) with no success between; it <em>recovers</em> at
 * the first success after that, or when its circuit closes again. One message failing alone (its own 5xx) while
 * the others go out does not make the provider down. Thread-safe.
 */
public final class ProviderHealth {

    /** Sends failing in a row, with no success between, that make a provider down. */
    static final int FAILED_SENDS_DOWN = 2;

    /**
     * What is known of one provider.
     *
     * @param lastSuccess    last send it took (null: none seen)
     * @param recoveredAt    last time it came back after being down (null: never seen down and back)
     * @param refusingUntil  while its circuit is open: when the circuit lets a probe through again (else null)
     */
    public record Health(Instant lastSuccess, Instant recoveredAt, Instant refusingUntil) {

        /** Nothing known. */
        public static final Health UNKNOWN = new Health(null, null, null);
    }

    private static final class State {
        Instant lastSuccess;
        Instant recoveredAt;
        Instant refusingUntil;
        boolean down;
        int failedInARow;

        Health snapshot() {
            return new Health(lastSuccess, recoveredAt, refusingUntil);
        }
    }

    private final Map<String, State> providers = new ConcurrentHashMap<>();

    /** A send through the provider succeeded. */
    public void succeeded(String provider, Instant at) {
        update(provider, state -> {
            state.lastSuccess = latest(state.lastSuccess, at);
            state.failedInARow = 0;
            if (state.down) {
                state.down = false;
                state.recoveredAt = latest(state.recoveredAt, at);
            }
        });
    }

    /** A send failed for the provider's sake (not a refusal of the message, not throttling). */
    public void failed(String provider, Instant at) {
        update(provider, state -> {
            state.failedInARow++;
            if (state.failedInARow >= FAILED_SENDS_DOWN) {
                state.down = true;
            }
        });
    }

    /** The provider's circuit opened at {@code at}: it refuses calls until {@code until}. */
    public void circuitOpened(String provider, Instant at, Instant until) {
        update(provider, state -> {
            state.down = true;
            state.refusingUntil = until;
        });
    }

    /** The provider's circuit lets probes through (half-open). */
    public void circuitHalfOpen(String provider, Instant at) {
        update(provider, state -> state.refusingUntil = null);
    }

    /** The provider's circuit closed again at {@code at} (it only closes after being open): the provider is back. */
    public void circuitClosed(String provider, Instant at) {
        update(provider, state -> {
            state.refusingUntil = null;
            state.failedInARow = 0;
            state.down = false;
            state.recoveredAt = latest(state.recoveredAt, at);
        });
    }

    /** What is known of a provider now ({@link Health#UNKNOWN} for none or null). */
    public Health of(String provider) {
        if (provider == null) {
            return Health.UNKNOWN;
        }
        State state = providers.get(provider);
        if (state == null) {
            return Health.UNKNOWN;
        }
        synchronized (state) {
            return state.snapshot();
        }
    }

    private void update(String provider, java.util.function.Consumer<State> change) {
        if (provider == null) {
            return;
        }
        State state = providers.computeIfAbsent(provider, p -> new State());
        synchronized (state) {
            change.accept(state);
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
