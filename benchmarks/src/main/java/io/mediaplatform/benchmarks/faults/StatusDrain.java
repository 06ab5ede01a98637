package io.mediaplatform.benchmarks.faults;

import io.mediaplatform.benchmarks.faults.core.PhaseResult;
import io.mediaplatform.benchmarks.pipeline.WebhookReceiver;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * After a fault: waits for the phase's accepted messages to reach a final status in the callback API (the rest count
 * as stuck once none progresses for a while), and for their final-status webhooks at the receiver.
 */
final class StatusDrain {

    private final MessageStatuses statuses;
    private final Supplier<WebhookReceiver> receiver;
    private final int stuckAfterSeconds;
    private final PrintStream log;

    StatusDrain(MessageStatuses statuses, Supplier<WebhookReceiver> receiver, int stuckAfterSeconds, PrintStream log) {
        this.statuses = statuses;
        this.receiver = receiver;
        this.stuckAfterSeconds = stuckAfterSeconds;
        this.log = log;
    }

    /** The latest status of each message, and how long after {@code from} the last reached a final one (null: some never did). */
    record Drained(Map<String, String> statuses, Duration drain) {
    }

    /** Reads the statuses until every message has a final one, or none got one for the stuck-after time. */
    Drained drain(List<Traffic.Outcome> accepted, Instant from) throws InterruptedException {
        Map<String, String> latest = new LinkedHashMap<>();
        Set<String> pending = new HashSet<>();
        accepted.forEach(o -> {
            latest.put(o.messageId(), MessageStatuses.UNKNOWN);
            pending.add(o.messageId());
        });
        Instant lastFinal = from;
        long lastProgress = System.nanoTime();
        while (!pending.isEmpty()) {
            Map<String, String> read = statuses.read(pending);
            int before = pending.size();
            Instant now = Instant.now();
            read.forEach((id, status) -> {
                latest.put(id, status);
                if (PhaseResult.isFinal(status)) {
                    pending.remove(id);
                }
            });
            if (pending.size() < before) {
                lastFinal = now;
                lastProgress = System.nanoTime();
            }
            if (pending.isEmpty() || System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(stuckAfterSeconds)) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        if (!pending.isEmpty()) {
            log.println("faults: " + pending.size() + " messages without a final status, e.g. "
                    + pending.stream().limit(3).map(id -> id + " " + latest.get(id)).toList());
        }
        Duration drain = pending.isEmpty() ? Duration.between(from, lastFinal.isBefore(from) ? from : lastFinal) : null;
        return new Drained(latest, drain);
    }

    /** Accepted messages whose final-status webhook has not reached the receiver, after waiting up to a minute. */
    long missingWebhooks(Map<String, String> finals) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long missing;
        do {
            missing = finals.entrySet().stream().filter(e -> receiver.get().arrival(e.getKey(), e.getValue()) == null).count();
            if (missing > 0) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        } while (missing > 0 && System.nanoTime() < deadline);
        return missing;
    }
}
