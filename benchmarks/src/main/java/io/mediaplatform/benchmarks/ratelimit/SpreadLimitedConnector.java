package io.mediaplatform.benchmarks.ratelimit;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendResult;

import java.time.Duration;
import java.util.Set;

/**
 * A connector behind a rate limiter that spreads its permits over the second: {@code n} cycles of
 * {@code permits} each per second instead of one cycle of the whole rate. A provider window of one second overlaps
 * at most {@code n + 1} such cycles, so with {@code (n + 1) * permits <= rate} no provider window can see more than
 * the rate, whatever the phase between the limiter's cycles and the provider's windows. This is the alternative
 * the benchmark measures against {@code ResilientSender}'s own limiter (one cycle per second); it is wrapped inside
 * the same {@code ResilientSender} (without its limit), so retries, circuit breaker and bulkhead are unchanged.
 */
final class SpreadLimitedConnector implements ProviderConnector {

    /**
     * Cycles per second and permits per cycle.
     *
     * @param cyclesPerSecond cycles per second (the cycle is {@code 1 s / cyclesPerSecond})
     * @param permits         permits per cycle
     */
    record Shape(int cyclesPerSecond, int permits) {

        /**
         * The shape with cycles of at least 100 ms giving the most messages per second while no one-second window
         * can hold more than {@code rate} ({@code (cycles + 1) * permits <= rate}).
         */
        static Shape within(int rate) {
            Shape best = new Shape(1, Math.max(1, rate / 2));
            for (int cycles = 1; cycles <= 10; cycles++) {
                int permits = rate / (cycles + 1);
                if (permits >= 1 && cycles * permits >= best.perSecond()) {
                    best = new Shape(cycles, permits);
                }
            }
            return best;
        }

        int perSecond() {
            return cyclesPerSecond * permits;
        }

        Duration cycle() {
            return Duration.ofNanos(1_000_000_000L / cyclesPerSecond);
        }

        @Override
        public String toString() {
            return permits + " per " + cycle().toMillis() + " ms";
        }
    }

    private final ProviderConnector connector;
    private final RateLimiter limiter;

    SpreadLimitedConnector(ProviderConnector connector, Shape shape) {
        this.connector = connector;
        this.limiter = RateLimiter.of("spread", RateLimiterConfig.custom().limitForPeriod(shape.permits())
                .limitRefreshPeriod(shape.cycle()).timeoutDuration(Duration.ofSeconds(5)).build());
    }

    @Override
    public String provider() {
        return connector.provider();
    }

    @Override
    public String channel() {
        return connector.channel();
    }

    @Override
    public Set<String> channels() {
        return connector.channels();
    }

    @Override
    public String senderOf(OutboundSend send) {
        return connector.senderOf(send);
    }

    @Override
    public SendResult send(OutboundSend send) {
        return RateLimiter.decorateSupplier(limiter, () -> connector.send(send)).get();
    }
}
