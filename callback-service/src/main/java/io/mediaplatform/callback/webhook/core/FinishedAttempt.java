package io.mediaplatform.callback.webhook.core;

import java.time.Instant;

/**
 * One webhook attempt made, with the decision of what follows, to be recorded in the outbox.
 *
 * @param attemptNo the attempt's number (the delivery's attempts so far + 1)
 * @param at        when it started
 */
public record FinishedAttempt(ClaimedDelivery delivery, int attemptNo, Instant at, AttemptResult result, long latencyMs,
                              DeliveryDecision decision) {
}
