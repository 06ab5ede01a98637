package io.mediaplatform.dispatch.send.core;

/**
 * Hands one message to a connector, with whatever resilience applies around it (retries, circuit breaker, rate
 * limit, bulkhead). Runs on the caller's thread and returns only when the outcome is final, so one conversation's
 * messages reach the provider in the order they are given.
 */
@FunctionalInterface
public interface Sender {

    /** The final outcome of sending through that connector. */
    SendResult send(ProviderConnector connector, OutboundSend send);
}
