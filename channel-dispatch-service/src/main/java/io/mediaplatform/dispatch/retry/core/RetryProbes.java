package io.mediaplatform.dispatch.retry.core;

import java.time.Duration;
import java.time.Instant;

/**
 * When a message waiting on the retry topic for its next round is tried again, earlier than that round when its
 * provider is back. For a waiting message whose last attempt ended at {@code lastAttempt}:
 * <ol>
 *   <li>its provider recovered after that attempt ({@link ProviderHealth}: its circuit closed again, or it took a
 *       send after being down) → at once (if its circuit opened again since, when the circuit lets a call
 *       through);</li>
 *   <li>its provider took other sends after that attempt without having been down (the message failed alone, e.g.
 *       its own 5xx) → at its round's due time, no earlier (a message that fails for its own sake is not hammered);</li>
 *   <li>its provider has taken nothing since → a probe every {@code interval} after the last attempt, but not while
 *       its circuit is open (then when the circuit lets a probe through), and never later than the round.</li>
 * </ol>
 * An early attempt that fails again does not use up a round: the message keeps its round and its due time. An
 * interval of zero turns early attempts off (rounds only). Worst case after a provider is back: the first probe
 * that reaches it comes within {@code max(interval, circuit open wait)}, and every other waiting message of that
 * provider is released as soon as one send succeeds.
 *
 * @param interval the probe interval ({@code DISPATCH_RETRY_PROBE_INTERVAL}); zero: no early attempts
 */
public record RetryProbes(Duration interval) {

    public RetryProbes {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("the retry probe interval must not be negative: " + interval);
        }
    }

    /** No early attempts: every round waits its due time. */
    public static RetryProbes none() {
        return new RetryProbes(Duration.ZERO);
    }

    /** Whether messages are tried before their round's due time at all. */
    public boolean enabled() {
        return !interval.isZero();
    }

    /**
     * When to try a waiting message next.
     *
     * @param roundDue    when its next round is due
     * @param lastAttempt when its last attempt ended (failed)
     * @param health      what is known of its provider now
     * @return the earlier of its round's due time and the early attempt the rules above allow
     */
    public Instant nextAttempt(Instant roundDue, Instant lastAttempt, ProviderHealth.Health health) {
        if (!enabled() || lastAttempt == null || !lastAttempt.isBefore(roundDue)) {
            return roundDue;
        }
        ProviderHealth.Health known = health == null ? ProviderHealth.Health.UNKNOWN : health;
        if (known.recoveredAt() != null && known.recoveredAt().isAfter(lastAttempt)) {
            // at once, unless the circuit opened again meanwhile: then when it lets a call through
            Instant release = known.refusingUntil() != null && known.refusingUntil().isAfter(known.recoveredAt())
                    ? known.refusingUntil() : known.recoveredAt();
            return earlier(release, roundDue);
        }
        if (known.lastSuccess() != null && known.lastSuccess().isAfter(lastAttempt)) {
            return roundDue;
        }
        Instant probe = lastAttempt.plus(interval);
        if (known.refusingUntil() != null && known.refusingUntil().isAfter(probe)) {
            probe = known.refusingUntil();
        }
        return earlier(probe, roundDue);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
