package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.webhook.core.AttemptResult;
import io.mediaplatform.callback.webhook.core.ClaimedDelivery;
import io.mediaplatform.callback.webhook.core.DeliveryDecision;
import io.mediaplatform.callback.webhook.core.FinishedAttempt;
import io.mediaplatform.callback.webhook.core.WebhookRetryPolicy;
import io.mediaplatform.callback.webhook.core.WebhookSecrets;
import io.mediaplatform.common.http.GuardedHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends client webhooks: it claims the due PENDING deliveries (not those held behind an
 * earlier pending delivery of the same message to the same target: {@link WebhookOutbox#claimDue}, so the
 * deliveries in flight never hold two of one message to one target), POSTs each one's JSON signed
 * ({@link WebhookRequests}) through the guarded client ({@link WebhookHttp}), as a client span of its message's trace
 * ({@link WebhookTraces}), records the attempt, and lets the {@link WebhookRetryPolicy} decide what follows; each
 * recorded attempt is told to the meters and the log ({@link WebhookMeters}).
 *
 * <h2>Throughput</h2>
 * One claiming thread keeps up to {@code maxInFlight} deliveries in flight, each on a virtual thread of its own,
 * claiming at most {@code batchSize} at a time as room frees up; it looks again as soon as this instance commits
 * new deliveries or ends one (which may release the next of its message), and every {@code pollInterval} (for
 * other instances' rows and retries coming due). The attempts made are recorded by one recording thread, as many
 * as have ended at once in one transaction ({@link WebhookOutbox#finishAll}); a delivery stays claimed (and holds
 * the next of its message and target) until its attempt is recorded.
 */
public class WebhookSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    /** Most attempts recorded in one transaction. */
    private static final int MAX_RECORDED_AT_ONCE = 500;

    /** The sender's settings. */
    public record Settings(Duration pollInterval, int batchSize, Duration requestTimeout, Duration claimLease,
                           int maxInFlight) {
    }

    private final WebhookOutbox outbox;
    private final WebhookRetryPolicy policy;
    private final WebhookRequests requests;
    private final WebhookHttp http;
    private final WebhookMeters meters;
    private final Clock clock;
    private volatile WebhookTraces traces;
    private final Settings settings;
    private final Semaphore room;
    private final BlockingQueue<FinishedAttempt> ended = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private volatile boolean recording;
    private Thread claimer;
    private Thread recorder;
    private ExecutorService senders;

    public WebhookSender(WebhookOutbox outbox, WebhookRetryPolicy policy, WebhookSecrets secrets, WebhookEndpoints endpoints,
                         WebhookPayloads payloads, GuardedHttpClient http, Clock clock, MeterRegistry meters, Settings settings) {
        this.outbox = outbox;
        this.policy = policy;
        this.requests = new WebhookRequests(secrets, endpoints, payloads, clock);
        this.http = new WebhookHttp(http, settings.requestTimeout(), clock);
        this.meters = new WebhookMeters(meters);
        this.clock = clock;
        this.settings = settings;
        this.room = new Semaphore(Math.max(1, settings.maxInFlight()));
    }

    @Override
    public synchronized void start() {
        if (claimer == null) {
            running = true;
            recording = true;
            senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-send-", 0).factory());
            recorder = Thread.ofPlatform().name("webhook-recorder").daemon().start(this::recordEnded);
            claimer = Thread.ofPlatform().name("webhook-poller").daemon().start(this::claimLoop);
        }
    }

    @Override
    public synchronized void stop() {
        if (claimer != null) {
            long waitMs = settings.requestTimeout().plusSeconds(5).toMillis();
            running = false;
            outbox.signal();
            try {
                claimer.join(waitMs);
                // the attempts in flight end (each within the request timeout) and are recorded
                senders.shutdown();
                senders.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
                recording = false;
                recorder.join(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            claimer = null;
            recorder = null;
            senders = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return claimer != null;
    }

    private void claimLoop() {
        int limit = Math.max(1, settings.batchSize());
        while (running) {
            try {
                int free = room.availablePermits();
                List<ClaimedDelivery> due = free == 0 ? List.of()
                        : outbox.claimDue(clock.instant(), settings.claimLease(), Math.min(limit, free));
                for (ClaimedDelivery delivery : due) {
                    room.acquire();
                    senders.execute(() -> attemptAndHandOver(delivery));
                }
                if (due.size() < Math.min(limit, free) || free == 0) {
                    // nothing more due (or no room): until this instance enqueues or ends one, or the poll interval
                    outbox.awaitWork(settings.pollInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Webhook poll failed: {}", e.toString());
                try {
                    outbox.awaitWork(settings.pollInterval());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void attemptAndHandOver(ClaimedDelivery delivery) {
        boolean handedOver = false;
        try {
            FinishedAttempt finished = attempt(delivery);
            if (finished != null) {
                ended.add(finished);
                handedOver = true;
            }
        } catch (RuntimeException e) {
            log.warn("Webhook delivery {} failed unexpectedly: {}", delivery.id(), e.toString());
        } finally {
            if (!handedOver) {
                freeRoom(); // its lease runs out and it is claimed again
            }
        }
    }

    private void freeRoom() {
        boolean wasFull = room.availablePermits() == 0;
        room.release();
        if (wasFull) {
            outbox.signal();
        }
    }

    /** Records the ended attempts, as many as there are at once in one transaction, until stopped and all recorded. */
    private void recordEnded() {
        List<FinishedAttempt> batch = new ArrayList<>();
        while (recording || !ended.isEmpty()) {
            try {
                FinishedAttempt first = ended.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                ended.drainTo(batch, MAX_RECORDED_AT_ONCE - 1);
                record(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.forEach(f -> freeRoom());
                batch.clear();
            }
        }
    }

    private void record(List<FinishedAttempt> batch) {
        List<Boolean> recorded;
        try {
            recorded = outbox.finishAll(batch);
        } catch (RuntimeException batchFailure) {
            // one by one, so that one that cannot be recorded does not keep the others from it
            recorded = new ArrayList<>();
            for (FinishedAttempt f : batch) {
                try {
                    recorded.add(outbox.finishAll(List.of(f)).getFirst());
                } catch (RuntimeException e) {
                    log.warn("Could not record webhook attempt {} of delivery {}: {}", f.attemptNo(), f.delivery().id(),
                            e.toString());
                    recorded.add(false);
                }
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            if (recorded.get(i)) {
                meters.told(batch.get(i));
            }
        }
    }

    /** Makes one attempt of the delivery; null when stopped before it was made. */
    private FinishedAttempt attempt(ClaimedDelivery delivery) {
        int attemptNo = delivery.attempts() + 1;
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        AttemptResult result;
        try {
            result = send(delivery, startNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null; // the lease runs out and the delivery is claimed again
        } catch (RuntimeException e) {
            result = answered(delivery, startNanos, new AttemptResult.Errored(e.getClass().getSimpleName()));
        }
        long latencyMs = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        Instant ended = clock.instant();
        DeliveryDecision decision = policy.decide(attemptNo, result, ended);
        return new FinishedAttempt(delivery, attemptNo, started, result, latencyMs, decision);
    }

    /** Each attempt a client span of its message's trace, with its {@code traceparent} in the webhook's headers. */
    public WebhookSender traces(WebhookTraces traces) {
        this.traces = traces;
        return this;
    }

    private AttemptResult send(ClaimedDelivery delivery, long startNanos) throws InterruptedException {
        Optional<AttemptResult> blocked = http.refused(delivery.url());
        if (blocked.isPresent()) {
            return answered(delivery, startNanos, blocked.get());
        }
        WebhookRequests.Prepared prepared = requests.prepare(delivery);
        if (prepared instanceof WebhookRequests.Refused(AttemptResult refusal)) {
            return answered(delivery, startNanos, refusal);
        }
        WebhookRequests.Signed request = (WebhookRequests.Signed) prepared;
        WebhookTraces known = traces;
        if (known == null) {
            return answered(delivery, startNanos, http.post(delivery.url(), request.headers(), request.body()));
        }
        try {
            // the latency is recorded in the attempt's span, so its histogram's exemplar is the message's trace
            return known.attempt(delivery.trace(), delivery.messageId(), delivery.target(), request.headers(),
                    () -> answered(delivery, startNanos, http.post(delivery.url(), request.headers(), request.body())));
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records how long the attempt took to end as it did (on the caller's thread: in its span, if any). */
    private AttemptResult answered(ClaimedDelivery delivery, long startNanos, AttemptResult result) {
        meters.answered(delivery, result, Duration.ofNanos(System.nanoTime() - startNanos));
        return result;
    }
}
