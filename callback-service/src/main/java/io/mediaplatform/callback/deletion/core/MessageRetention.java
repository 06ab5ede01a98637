package io.mediaplatform.callback.deletion.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long messages are kept ({@code MESSAGE_RETENTION}); zero is for ever (the default). A message older than that
 * is deleted like {@code DELETE /v1/messages/{id}}, reason RETENTION, its media with it (same rule, {@link MediaFate}).
 *
 * @param retention how long a message is kept after it was recorded; zero or negative: for ever
 */
public record MessageRetention(Duration retention) {

    /** Whether messages are ever deleted for their age. */
    public boolean enabled() {
        return retention != null && !retention.isZero() && !retention.isNegative();
    }

    /** Messages recorded before this instant are past their retention at {@code now}; empty when retention is off. */
    public Optional<Instant> cutoff(Instant now) {
        return enabled() ? Optional.of(now.minus(retention)) : Optional.empty();
    }
}
