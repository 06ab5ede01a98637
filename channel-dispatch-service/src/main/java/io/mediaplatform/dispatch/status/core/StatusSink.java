package io.mediaplatform.dispatch.status.core;

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
}
