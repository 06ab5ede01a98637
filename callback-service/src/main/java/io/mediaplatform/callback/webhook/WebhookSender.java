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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends client webhooks: every poll interval it claims the due PENDING deliveries (not those held behind an
 * earlier pending delivery of the same message to the same target: {@link WebhookOutbox#claimDue}, so a batch
 * never holds two deliveries of one message to one target), POSTs each one's JSON with
 * Standard Webhooks headers ({@code webhook-id} = delivery id) signed with the tenant's secret, or for a tenant
 * endpoint with the endpoint's secret(s) (two during a rotation overlap), the body completed for the attempt
 * (a fresh media download link in a {@code message.received} of accepted media), records the
 * attempt, and lets the {@link WebhookRetryPolicy} decide what follows. Every attempt goes through the
 * {@link GuardedHttpClient}: the host is normalised and resolved once, every address checked by the
 * {@link UrlGuard}, and the connection pinned to a checked address, so a DNS answer that changes between check
 * and connect (rebinding) cannot point a webhook at an internal address. Redirects are not followed (a 3xx is
 * an unsuccessful answer).
 */
public class WebhookSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final String USER_AGENT = "media-platform-callback/1";

    /** The sender's settings. */
    public record Settings(Duration pollInterval, int batchSize, Duration requestTimeout, Duration claimLease) {
    }

    private final WebhookOutbox outbox;
    private final WebhookRetryPolicy policy;
    private final WebhookSecrets secrets;
    private final WebhookEndpoints endpoints;
    private final WebhookPayloads payloads;
    private final GuardedHttpClient http;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Settings settings;
    private ScheduledExecutorService poller;

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
    }

    @Override
    public synchronized void start() {
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("webhook-poller").daemon().factory());
            long interval = Math.max(1, settings.pollInterval().toMillis());
            poller.scheduleWithFixedDelay(this::pollQuietly, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (poller != null) {
            poller.shutdown();
            try {
                poller.awaitTermination(settings.requestTimeout().toSeconds() + 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            poller = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return poller != null;
    }

    private void pollQuietly() {
        try {
            int sent;
            do {
                sent = pollOnce();
            } while (sent == settings.batchSize() && !Thread.currentThread().isInterrupted());
        } catch (RuntimeException e) {
            log.warn("Webhook poll failed: {}", e.toString());
        }
    }

    /** Claims the due deliveries and makes one attempt of each, concurrently; answers how many. */
    public int pollOnce() {
        List<WebhookOutbox.Claimed> due = outbox.claimDue(clock.instant(), settings.claimLease(), settings.batchSize());
        if (due.isEmpty()) {
            return 0;
        }
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            due.forEach(delivery -> senders.submit(() -> attempt(delivery)));
        }
        return due.size();
    }

    private void attempt(WebhookOutbox.Claimed delivery) {
        int attemptNo = delivery.attempts() + 1;
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        AttemptResult result;
        try {
            result = send(delivery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the lease runs out and the delivery is claimed again
        } catch (RuntimeException e) {
            result = new AttemptResult.Errored(e.getClass().getSimpleName());
        }
        long latencyMs = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        Instant ended = clock.instant();
        DeliveryDecision decision = policy.decide(attemptNo, result, ended);
        try {
            outbox.finish(delivery, attemptNo, started, result, latencyMs, decision);
        } catch (RuntimeException e) {
            log.warn("Could not record webhook attempt {} of delivery {}: {}", attemptNo, delivery.id(), e.toString());
            return;
        }
        String target = delivery.endpointId() == null ? "callback" : "endpoint";
        meters.counter("callback.webhook.attempts", "outcome", outcome(result)).increment();
        meters.counter("callback.webhook.deliveries", "result", result(decision), "target", target).increment();
        Timer.builder("callback.webhook.latency").description("Time a client webhook endpoint took to answer")
                .tag("outcome", outcome(result)).tag("target", target).register(meters)
                .record(Duration.ofMillis(latencyMs));
        log.info("Webhook delivery {} (message {}, tenant {}) attempt {}: {} -> {}", delivery.id(), delivery.messageId(),
                delivery.tenantId(), attemptNo, describe(result), decision.getClass().getSimpleName());
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
