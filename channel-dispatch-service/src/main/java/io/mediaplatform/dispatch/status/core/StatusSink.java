package io.mediaplatform.dispatch.status.core;

import java.util.concurrent.CompletableFuture;

/** Where statuses go (the {@code message.status.v1} topic); publishing waits for the broker's acknowledgement. */
@FunctionalInterface
public interface StatusSink {

    /**
     * Publishes one status.
     *
     * @param key   partition key: the conversation key, so one conversation's statuses keep their order
     * @param update the status
     */
    void publish(String key, StatusUpdate update);

    /**
     * Publishes one status without waiting (inside a transaction whose commit fails if the send did); by default it
     * waits all the same.
     *
     * @return the broker's acknowledgement
     */
    default CompletableFuture<?> send(String key, StatusUpdate update) {
        publish(key, update);
        return CompletableFuture.completedFuture(null);
    }
}
