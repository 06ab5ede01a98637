package io.mediaplatform.callback.webhook.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides what follows a webhook attempt (docs/ARCHITECTURE.md §6): 2xx delivers; 410 disables the endpoint; a blocked URL
 * gives up at once; anything else retries on the {@link RetrySchedule}, waiting at least what a 429 or 503
 * asked for in Retry-After, until the schedule is exhausted.
 */
public final class WebhookRetryPolicy {

    private final RetrySchedule schedule;

    public WebhookRetryPolicy(RetrySchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    public RetrySchedule schedule() {
        return schedule;
    }

    /**
     * @param attemptNo the attempt that just ended (1-based)
     * @param result    how it ended
     * @param now       when it ended
     */
    public DeliveryDecision decide(int attemptNo, AttemptResult result, Instant now) {
        return switch (result) {
            case AttemptResult.Blocked b -> new DeliveryDecision.GiveUp();
            case AttemptResult.Responded r when r.successful() -> new DeliveryDecision.Delivered();
            case AttemptResult.Responded r when r.statusCode() == 410 -> new DeliveryDecision.Disable();
            case AttemptResult.Responded r -> retry(attemptNo, now,
                    r.statusCode() == 429 || r.statusCode() == 503 ? r.retryAfter().orElse(Duration.ZERO) : Duration.ZERO);
            case AttemptResult.Errored e -> retry(attemptNo, now, Duration.ZERO);
        };
    }

    private DeliveryDecision retry(int attemptNo, Instant now, Duration atLeast) {
        return schedule.waitBefore(attemptNo + 1)
                .<DeliveryDecision>map(wait -> new DeliveryDecision.RetryAt(now.plus(wait.compareTo(atLeast) >= 0 ? wait : atLeast)))
                .orElseGet(DeliveryDecision.GiveUp::new);
    }
}
