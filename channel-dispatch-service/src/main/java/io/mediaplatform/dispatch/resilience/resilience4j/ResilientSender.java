package io.mediaplatform.dispatch.resilience.resilience4j;

import io.mediaplatform.dispatch.resilience.core.RateShare;
import io.mediaplatform.dispatch.resilience.core.SlidingWindowLimiter;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.mediaplatform.dispatch.retry.core.ProviderHealth;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.dispatch.send.core.Sender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Resilience4j around every provider call, all on the caller's thread (no asynchronous retries, so order is kept):
 * <ol>
 *   <li>retry (per provider): retryable failures (5xx, timeouts, network errors, 429) and refusals of the layers
 *       below are tried again after an exponential backoff with jitter; a provider's {@code Retry-After} replaces
 *       the backoff, and one longer than the longest backoff ends the retries;</li>
 *   <li>circuit breaker (per provider): opens when the rate of 5xx/timeout/network failures passes the threshold,
 *       refuses calls while open ({@code CIRCUIT_OPEN}), lets a few probes through when half-open, closes when they
 *       succeed; refusals for the message's own sake (4xx) and throttling (429) do not count;</li>
 *   <li>rate limiter (per provider and sender identity, e.g. WhatsApp's phone-number-id): at most the limit in any
 *       window of one second plus a margin ({@link SlidingWindowLimiter});</li>
 *   <li>bulkhead (per provider): concurrent calls.</li>
 * </ol>
 * The outcome is always a {@link SendResult}: refusals of the layers become retryable failures
 * ({@code CIRCUIT_OPEN}, {@code RATE_LIMITED}, {@code BULKHEAD_FULL}) once the retries are spent.
 */
public final class ResilientSender implements Sender {

    /** Reason of a failure because the provider's circuit is open. */
    public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";
    /**
     * Smallest margin added to the one-second window of the per-sender limiter by default
     * ({@code DISPATCH_RATE_LIMIT_MARGIN}); the margin grows to the measured slot-to-answer time of the calls, up to
     * {@link #MAX_RATE_LIMIT_MARGIN} ({@link SlidingWindowLimiter}).
     */
    public static final Duration DEFAULT_RATE_LIMIT_MARGIN = Duration.ofMillis(10);
    /** Largest margin of the per-sender limiter. */
    public static final Duration MAX_RATE_LIMIT_MARGIN = Duration.ofMillis(250);

    /** Reason of a failure because no rate-limit permit came in time. */
    public static final String RATE_LIMITED = "RATE_LIMITED";
    /** Reason of a failure because the provider's bulkhead stayed full. */
    public static final String BULKHEAD_FULL = "BULKHEAD_FULL";

    private static final Logger log = LoggerFactory.getLogger(ResilientSender.class);
    private volatile MeterRegistry meters;
    private volatile ObservationRegistry observations;

    private final ProviderGuards guards;
    private final Map<String, Integer> ratePerSecond;
    private final Duration rateLimitWait;
    private final ProviderHealth health;

    /** As {@link #ResilientSender(Settings, Map, Duration, ProviderHealth)}, with a health record of its own. */
    public ResilientSender(Settings settings, Map<String, Integer> ratePerSecond, Duration rateLimitWait) {
        this(settings, ratePerSecond, rateLimitWait, new ProviderHealth());
    }

    /** As {@link #ResilientSender(Settings, Map, Duration, Duration, ProviderHealth)} with the default margin. */
    public ResilientSender(Settings settings, Map<String, Integer> ratePerSecond, Duration rateLimitWait,
                           ProviderHealth health) {
        this(settings, ratePerSecond, rateLimitWait, DEFAULT_RATE_LIMIT_MARGIN, RateShare.whole(), health);
    }

    /**
     * @param settings      retry, circuit breaker and bulkhead settings
     * @param ratePerSecond messages per second per sender identity, by provider name (absent: no limit)
     * @param rateLimitWait how long a call waits for a permit
     * @param rateLimitMargin smallest margin added to the limiter's one-second window ({@link SlidingWindowLimiter})
     * @param rateShare     this instance's part of each limit, when several instances share the senders
     * @param health        told the outcome of every send and each circuit transition (for the retry worker)
     */
    public ResilientSender(Settings settings, Map<String, Integer> ratePerSecond, Duration rateLimitWait,
                           Duration rateLimitMargin, RateShare rateShare, ProviderHealth health) {
        this.guards = new ProviderGuards(settings, rateLimitMargin, rateShare, health);
        this.ratePerSecond = Map.copyOf(ratePerSecond);
        this.rateLimitWait = rateLimitWait;
        this.health = health;
    }

    /** What the sends told about each provider's health. */
    public ProviderHealth health() {
        return health;
    }

    /**
     * Everything but the rate limits.
     *
     * @param maxAttempts          attempts in all
     * @param initialBackoff       first pause
     * @param maxBackoff           longest pause and longest {@code Retry-After} honoured
     * @param multiplier           backoff growth
     * @param jitter               randomisation factor (0..1)
     * @param circuitFailureRate   failure rate (percent) that opens the circuit
     * @param circuitMinimumCalls  calls before the rate counts
     * @param circuitWindow        sliding window size (calls)
     * @param circuitOpenWait      open time before half-open
     * @param circuitHalfOpenCalls probes in half-open state
     * @param bulkheadMaxCalls     concurrent calls per provider
     * @param bulkheadMaxWait      wait for a bulkhead slot
     */
    public record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier,
                           double jitter, float circuitFailureRate, int circuitMinimumCalls, int circuitWindow,
                           Duration circuitOpenWait, int circuitHalfOpenCalls, int bulkheadMaxCalls,
                           Duration bulkheadMaxWait) {
    }

    /** This instance's part of each per-sender limit. */
    public RateShare rateShare() {
        return guards.rateShare();
    }

    /** The circuit breakers, one per provider (for metrics, health and tests). */
    public CircuitBreakerRegistry circuitBreakers() {
        return guards.circuitBreakers();
    }

    /** The circuit breaker of one provider. */
    public CircuitBreaker circuitBreaker(String provider) {
        return guards.circuitBreakers().circuitBreaker(provider);
    }

    /** The retries, one per provider. */
    public RetryRegistry retries() {
        return guards.retries();
    }

    /**
     * Counts into that registry: {@code dispatch.sends} (channel, kind, provider, outcome, reason) for each send's
     * result after its in-place attempts, {@code dispatch.provider.latency} (provider, channel, outcome) for each call
     * of the provider, and {@code dispatch.provider.throttled} (provider) for each 429 it answered.
     */
    public ResilientSender meters(MeterRegistry registry) {
        this.meters = registry;
        // every provider's 429 count is there from the start (0), so a rate of them is never "no data"
        ratePerSecond.keySet().forEach(provider -> registry.counter("dispatch.provider.throttled", "provider", provider));
        return this;
    }

    @Override
    public SendResult send(ProviderConnector connector, OutboundSend send) {
        SendResult result = sendGuarded(connector, send);
        if (meters != null) {
            String reason = result instanceof SendResult.Failed failed ? failed.code() : "none";
            meters.counter("dispatch.sends", "channel", send.channel(), "kind", send.kind().name(),
                    "provider", connector.provider(), "outcome", result instanceof SendResult.Sent ? "sent" : "failed",
                    "reason", reason).increment();
        }
        return result;
    }

    /**
     * Each call of a provider is a client span (a child of the message's trace); the connectors' HTTP requests carry
     * its {@code traceparent}.
     */
    public ResilientSender observations(ObservationRegistry registry) {
        this.observations = registry;
        return this;
    }

    /** One call of the provider, in a span of its own and timed. */
    private SendResult timedCall(ProviderConnector connector, OutboundSend send) {
        ObservationRegistry registry = observations;
        if (registry == null || registry.isNoop()) {
            return meteredCall(connector, send);
        }
        return Observation.createNotStarted("dispatch.provider.call", registry)
                .contextualName(connector.provider() + " send")
                .lowCardinalityKeyValue("provider", connector.provider())
                .lowCardinalityKeyValue("channel", send.channel())
                .observe(() -> meteredCall(connector, send));
    }

    private SendResult meteredCall(ProviderConnector connector, OutboundSend send) {
        if (meters == null) {
            return connector.send(send);
        }
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            SendResult result = connector.send(send);
            outcome = result instanceof SendResult.Sent ? "sent" : "failed";
            if (result instanceof SendResult.Failed failed && ProviderGuards.throttled(failed)) {
                meters.counter("dispatch.provider.throttled", "provider", connector.provider()).increment();
            }
            return result;
        } finally {
            sample.stop(Timer.builder("dispatch.provider.latency").description("Time a provider took to answer a send")
                    .tags("provider", connector.provider(), "channel", send.channel(), "outcome", outcome)
                    .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(1)).register(meters));
        }
    }

    private SendResult sendGuarded(ProviderConnector connector, OutboundSend send) {
        String provider = connector.provider();
        Retry retry = guards.retries().retry(provider);
        CircuitBreaker circuitBreaker = guards.circuitBreakers().circuitBreaker(provider);
        Bulkhead bulkhead = guards.bulkheads().bulkhead(provider);
        Supplier<SendResult> call = () -> timedCall(connector, send);
        Supplier<SendResult> guarded = Bulkhead.decorateSupplier(bulkhead, call);
        Integer rate = ratePerSecond.get(provider);
        if (rate != null && rate > 0) {
            SlidingWindowLimiter limiter = guards.limiter(provider + ":" + connector.senderOf(send), rate);
            Supplier<SendResult> limited = guarded;
            guarded = () -> {
                long slot;
                try {
                    slot = limiter.acquire(rateLimitWait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedRetryException(e);
                }
                if (slot == Long.MIN_VALUE) {
                    throw new ProviderGuards.RequestNotPermittedException();
                }
                try {
                    return limited.get();
                } finally {
                    limiter.completed(slot);
                }
            };
        }
        guarded = CircuitBreaker.decorateSupplier(circuitBreaker, guarded);
        guarded = Retry.decorateSupplier(retry, guarded);
        try {
            SendResult result = guarded.get();
            if (result instanceof SendResult.Failed && Thread.currentThread().isInterrupted()) {
                throw new InterruptedRetryException(null);
            }
            switch (result) {
                case SendResult.Sent sent -> health.succeeded(provider, Instant.now());
                case SendResult.Failed failed when ProviderGuards.providerFault(failed) -> health.failed(provider, Instant.now());
                case SendResult.Failed failed -> {
                    // refused for the message's own sake, or throttled: says nothing of the provider's health
                }
            }
            return result;
        } catch (CallNotPermittedException e) {
            return new SendResult.Failed(CIRCUIT_OPEN, "The " + provider + " circuit is open: the provider failed too often"
                    + " lately; not called", true);
        } catch (ProviderGuards.RequestNotPermittedException e) {
            return new SendResult.Failed(RATE_LIMITED, "No " + provider + " rate-limit permit within " + rateLimitWait, true);
        } catch (BulkheadFullException e) {
            return new SendResult.Failed(BULKHEAD_FULL, "Too many concurrent " + provider + " calls", true);
        } catch (InterruptedRetryException e) {
            throw e;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedRetryException(e);
            }
            log.warn("Connector {} threw for message {}: {}", provider, send.messageId(), e.toString());
            return new SendResult.Failed("CONNECTOR_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage(), false);
        }
    }

    /**
     * The thread was interrupted while waiting to retry (the service is stopping): the outcome is unknown, the
     * message must be handed to the next owner of the partition, not reported FAILED.
     */
    public static final class InterruptedRetryException extends RuntimeException {
        public InterruptedRetryException(Throwable cause) {
            super("interrupted while retrying a send", cause);
        }
    }
}
