package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.webhook.core.AttemptResult;
import io.mediaplatform.callback.webhook.core.DeliveryDecision;
import io.mediaplatform.callback.webhook.core.RetryAfter;
import io.mediaplatform.callback.webhook.core.WebhookRetryPolicy;
import io.mediaplatform.callback.webhook.core.WebhookSecrets;
import io.mediaplatform.common.http.BlockedUrlException;
import io.mediaplatform.common.http.GuardedHttpClient;
import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.common.http.RedirectRefusedException;
import io.mediaplatform.common.http.UrlGuard;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * deliveries in flight never hold two of one message to one target), POSTs each one's JSON with
 * Standard Webhooks headers ({@code webhook-id} = delivery id) signed with the tenant's secret, or for a tenant
 * endpoint with the endpoint's secret(s) (two during a rotation overlap), the body completed for the attempt
 * (a fresh media download link in a {@code message.received} of accepted media), records the
 * attempt, and lets the {@link WebhookRetryPolicy} decide what follows. Every attempt goes through the
 * {@link GuardedHttpClient}: the host is normalised and resolved once, every address checked by the
 * {@link UrlGuard}, and the connection pinned to a checked address, so a DNS answer that changes between check
 * and connect (rebinding) cannot point a webhook at an internal address. Redirects are not followed (a 3xx is
 * an unsuccessful answer).
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
    private static final String USER_AGENT = "media-platform-callback/1";
    /** Most attempts recorded in one transaction. */
    private static final int MAX_RECORDED_AT_ONCE = 500;

    /** The sender's settings. */
    public record Settings(Duration pollInterval, int batchSize, Duration requestTimeout, Duration claimLease,
                           int maxInFlight) {
    }

    private final WebhookOutbox outbox;
    private final WebhookRetryPolicy policy;
    private final WebhookSecrets secrets;
    private final WebhookEndpoints endpoints;
    private final WebhookPayloads payloads;
    private final GuardedHttpClient http;
    private final Clock clock;
    private final MeterRegistry meters;
    private volatile WebhookTraces traces;
    private final Settings settings;
    private final Semaphore room;
    private final BlockingQueue<WebhookOutbox.Finished> ended = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private volatile boolean recording;
    private Thread claimer;
    private Thread recorder;
    private ExecutorService senders;

    public WebhookSender(WebhookOutbox outbox, WebhookRetryPolicy policy, WebhookSecrets secrets, WebhookEndpoints endpoints,
                         WebhookPayloads payloads, GuardedHttpClient http, Clock clock, MeterRegistry meters, Settings settings) {
        this.outbox = outbox;
        this.policy = policy;
        this.secrets = secrets;
        this.endpoints = endpoints;
        this.payloads = payloads;
        this.http = http;
        this.clock = clock;
        this.meters = meters;
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
                List<WebhookOutbox.Claimed> due = free == 0 ? List.of()
                        : outbox.claimDue(clock.instant(), settings.claimLease(), Math.min(limit, free));
                for (WebhookOutbox.Claimed delivery : due) {
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

    private void attemptAndHandOver(WebhookOutbox.Claimed delivery) {
        boolean handedOver = false;
        try {
            WebhookOutbox.Finished finished = attempt(delivery);
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
        List<WebhookOutbox.Finished> batch = new ArrayList<>();
        while (recording || !ended.isEmpty()) {
            try {
                WebhookOutbox.Finished first = ended.poll(100, TimeUnit.MILLISECONDS);
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

    private void record(List<WebhookOutbox.Finished> batch) {
        List<Boolean> recorded;
        try {
            recorded = outbox.finishAll(batch);
        } catch (RuntimeException batchFailure) {
            // one by one, so that one that cannot be recorded does not keep the others from it
            recorded = new ArrayList<>();
            for (WebhookOutbox.Finished f : batch) {
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
                told(batch.get(i));
            }
        }
    }

    /** Makes one attempt of the delivery; null when stopped before it was made. */
    private WebhookOutbox.Finished attempt(WebhookOutbox.Claimed delivery) {
        int attemptNo = delivery.attempts() + 1;
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        AttemptResult result;
        try {
            result = send(delivery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null; // the lease runs out and the delivery is claimed again
        } catch (RuntimeException e) {
            result = new AttemptResult.Errored(e.getClass().getSimpleName());
        }
        long latencyMs = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        Instant ended = clock.instant();
        DeliveryDecision decision = policy.decide(attemptNo, result, ended);
        return new WebhookOutbox.Finished(delivery, attemptNo, started, result, latencyMs, decision);
    }

    private void told(WebhookOutbox.Finished finished) {
        WebhookOutbox.Claimed delivery = finished.delivery();
        AttemptResult result = finished.result();
        DeliveryDecision decision = finished.decision();
        String target = delivery.endpointId() == null ? "callback" : "endpoint";
        meters.counter("callback.webhook.attempts", "outcome", outcome(result)).increment();
        meters.counter("callback.webhook.deliveries", "result", result(decision), "target", target).increment();
        Timer.builder("callback.webhook.latency").description("Time a client webhook endpoint took to answer")
                .tag("outcome", outcome(result)).tag("target", target).publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(1)).register(meters)
                .record(Duration.ofMillis(finished.latencyMs()));
        log.info("Webhook delivery {} (message {}, tenant {}) attempt {}: {} -> {}", delivery.id(), delivery.messageId(),
                delivery.tenantId(), finished.attemptNo(), describe(result), decision.getClass().getSimpleName());
    }

    /** Each attempt a client span of its message's trace, with its {@code traceparent} in the webhook's headers. */
    public WebhookSender traces(WebhookTraces traces) {
        this.traces = traces;
        return this;
    }

    private AttemptResult send(WebhookOutbox.Claimed delivery) throws InterruptedException {
        try {
            http.check(delivery.url());
        } catch (BlockedUrlException e) {
            return new AttemptResult.Blocked(e.getMessage());
        }
        List<String> signingSecrets;
        if (delivery.endpointId() != null) {
            signingSecrets = endpoints.signingSecrets(delivery.endpointId(), clock.instant());
            if (signingSecrets.isEmpty()) {
                return new AttemptResult.Blocked("the webhook endpoint was deleted");
            }
        } else {
            Optional<String> secret = secrets.secretFor(delivery.tenantId());
            if (secret.isEmpty()) {
                return new AttemptResult.Errored("no webhook secret configured for the tenant");
            }
            signingSecrets = List.of(secret.get());
        }
        String id = delivery.id().toString();
        Instant now = clock.instant();
        long timestamp = now.getEpochSecond();
        // A message.received of accepted media gets a download link made now, so each attempt carries a fresh one
        String body = payloads.forAttempt(delivery.tenantId(), delivery.payload(), delivery.linkMediaId(), now);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.putAll(WebhookSigner.headers(signingSecrets, id, timestamp, body));
        WebhookTraces known = traces;
        if (known == null) {
            return deliver(delivery, headers, body);
        }
        try {
            return known.attempt(delivery.trace(), delivery.messageId(), delivery.endpointId() == null ? "callback" : "endpoint", headers,
                    () -> deliver(delivery, headers, body));
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One POST of the signed body (and its trace headers) to the delivery's URL. */
    private AttemptResult deliver(WebhookOutbox.Claimed delivery, Map<String, String> headers, String body)
            throws InterruptedException {
        GuardedHttpClient.Request request = GuardedHttpClient.Request.post(delivery.url(), headers,
                body.getBytes(StandardCharsets.UTF_8), Long.MAX_VALUE, settings.requestTimeout());
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("webhook sender stopping");
        }
        // The URL is checked (resolved once) again inside send and the socket connects to one of exactly those
        // checked addresses; the check above only sorts a blocked URL out before the secrets are looked up.
        try (GuardedHttpClient.Response response = http.send(request)) {
            return new AttemptResult.Responded(response.status(),
                    RetryAfter.parse(response.header("Retry-After").orElse(null), clock.instant()));
        } catch (BlockedUrlException e) {
            return new AttemptResult.Blocked(e.getMessage());
        } catch (RedirectRefusedException e) {
            return new AttemptResult.Responded(e.status(), Optional.empty());
        } catch (OutboundTimeoutException e) {
            return new AttemptResult.Errored("timed out: " + e.getMessage());
        } catch (IOException e) {
            return new AttemptResult.Errored(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static String outcome(AttemptResult result) {
        return switch (result) {
            case AttemptResult.Responded r -> r.successful() ? "delivered" : "http_" + r.statusCode();
            case AttemptResult.Errored e -> "error";
            case AttemptResult.Blocked b -> "blocked";
        };
    }

    private static String result(DeliveryDecision decision) {
        return switch (decision) {
            case DeliveryDecision.Delivered d -> "delivered";
            case DeliveryDecision.RetryAt r -> "retry";
            case DeliveryDecision.Disable d -> "disabled";
            case DeliveryDecision.GiveUp g -> "failed";
        };
    }

    private static String describe(AttemptResult result) {
        return switch (result) {
            case AttemptResult.Responded r -> "HTTP " + r.statusCode();
            case AttemptResult.Errored e -> e.error();
            case AttemptResult.Blocked b -> "blocked: " + b.error();
        };
    }
}
