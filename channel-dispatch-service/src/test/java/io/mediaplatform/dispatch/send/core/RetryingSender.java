package io.mediaplatform.dispatch.send.core;

import java.time.Duration;
import java.util.Optional;

/**
 * Sends through a connector and retries retryable failures in place as the {@link RetryPolicy} says. A
 * connector that throws is taken as a failure that is not retried. A plain {@link Sender} for connector tests that
 * want retries without resilience4j; the service sends through {@code ResilientSender}.
 */
public final class RetryingSender implements Sender {

    /** Waits between attempts. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final RetryPolicy policy;
    private final Pause pause;

    public RetryingSender(RetryPolicy policy, Pause pause) {
        this.policy = policy;
        this.pause = pause;
    }

    /** A sender that waits with {@link Thread#sleep(Duration)}. */
    public static RetryingSender sleeping(RetryPolicy policy) {
        return new RetryingSender(policy, Thread::sleep);
    }

    /** The final outcome of up to {@link RetryPolicy#maxAttempts()} attempts. */
    @Override
    public SendResult send(ProviderConnector connector, OutboundSend send) {
        for (int attempt = 1; ; attempt++) {
            SendResult result;
            try {
                result = connector.send(send);
            } catch (RuntimeException e) {
                return new SendResult.Failed("CONNECTOR_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage(), false);
            }
            if (!(result instanceof SendResult.Failed failed)) {
                return result;
            }
            Optional<Duration> wait = policy.pauseAfter(attempt, failed);
            if (wait.isEmpty()) {
                return failed;
            }
            try {
                pause.sleep(wait.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed;
            }
        }
    }
}
