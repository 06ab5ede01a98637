package io.mediaplatform.callback.webhook.core;

import java.time.Instant;

/** What becomes of a webhook delivery after an attempt. */
public sealed interface DeliveryDecision permits DeliveryDecision.Delivered, DeliveryDecision.RetryAt,
        DeliveryDecision.Disable, DeliveryDecision.GiveUp {

    /** The endpoint took it (2xx). */
    record Delivered() implements DeliveryDecision {
    }

    /** Try again at that time. */
    record RetryAt(Instant when) implements DeliveryDecision {
    }

    /** The endpoint is gone (410): this delivery and every later one to the URL is disabled. */
    record Disable() implements DeliveryDecision {
    }

    /** No more attempts: the schedule is exhausted or the URL is blocked. */
    record GiveUp() implements DeliveryDecision {
    }
}
