package io.mediaplatform.simulator;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider that fails at random: each send, while the mix is set ({@link WhatsAppSimulator#failRandomly(FaultMix)}),
 * draws one roll in [0, 1) and gets a 500 below {@code serverErrors}, a 429 ({@code Retry-After: 1}) in the next
 * {@code rateLimited}, and in the next {@code timeouts} is accepted but answered only after {@code timeoutDelay} (set
 * it past the client's request timeout: the provider took the send while the client saw a timeout). The rest is
 * answered normally.
 */
public record FaultMix(double serverErrors, double rateLimited, double timeouts, Duration timeoutDelay) {

    public FaultMix {
        if (serverErrors < 0 || rateLimited < 0 || timeouts < 0 || serverErrors + rateLimited + timeouts > 1) {
            throw new IllegalArgumentException("fault shares must be >= 0 and add up to at most 1");
        }
        if (timeouts > 0 && (timeoutDelay == null || timeoutDelay.isNegative() || timeoutDelay.isZero())) {
            throw new IllegalArgumentException("timeouts need a positive timeoutDelay");
        }
    }

    /** The fault for a send that rolled {@code roll} (in [0, 1)), or empty to answer it normally. */
    public Optional<Fault> draw(double roll) {
        if (roll < serverErrors) {
            return Optional.of(Fault.serverError());
        }
        if (roll < serverErrors + rateLimited) {
            return Optional.of(Fault.rateLimited(Duration.ofSeconds(1)));
        }
        if (roll < serverErrors + rateLimited + timeouts) {
            return Optional.of(Fault.slow(timeoutDelay));
        }
        return Optional.empty();
    }
}
