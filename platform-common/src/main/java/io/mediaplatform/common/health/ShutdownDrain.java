package io.mediaplatform.common.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * The first step of a shutdown. When the context closes, Spring Boot publishes {@code ReadinessState.REFUSING_TRAFFIC}
 * (readiness answers 503 OUT_OF_SERVICE) before it stops anything; this lifecycle, stopped first of all (highest
 * phase), then keeps everything running for {@code drainDelay} so that load balancers and Kubernetes Services see the
 * 503 (or the endpoint removal) while requests are still served. After it: the Kafka listener containers stop after
 * the record in hand and commit, then the web server stops accepting and waits for the requests in flight (graceful
 * shutdown), each phase bounded by {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
public class ShutdownDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    private final Duration drainDelay;
    private volatile boolean running;

    public ShutdownDrain(Duration drainDelay) {
        this.drainDelay = drainDelay.isNegative() ? Duration.ZERO : drainDelay;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        if (drainDelay.isZero()) {
            callback.run();
            return;
        }
        log.info("Shutting down: readiness is OUT_OF_SERVICE; requests are still taken for {}", drainDelay);
        Thread.ofVirtual().name("shutdown-drain").start(() -> {
            try {
                Thread.sleep(drainDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                callback.run();
            }
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped before every other lifecycle (the Kafka listener containers' phase is {@code Integer.MAX_VALUE - 100}). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
