package io.mediaplatform.callback.status.core;

import io.mediaplatform.callback.status.core.Status;

import java.util.List;

/**
 * A stored message as the status recorder sees it while holding its row lock.
 *
 * @param tenantId       owner
 * @param messageId      platform message id
 * @param status         current status, null before the first one
 * @param channel        channel name
 * @param to             recipient
 * @param conversationId conversation id
 * @param externalId     client's own id
 * @param clientId       client id
 * @param callbackUrls   client webhook URLs
 * @param fallbackOf     for a channel-fallback attempt, the client's message it falls back from; else null
 * @param attempt        attempt number of a channel-fallback attempt; else null
 */
public record MessageRecord(String tenantId, String messageId, Status status, String channel, String to,
                            String conversationId, String externalId, String clientId, List<String> callbackUrls,
                            String fallbackOf, Integer attempt) {

    /** The same message with another current status. */
    public MessageRecord withStatus(Status newStatus) {
        return new MessageRecord(tenantId, messageId, newStatus, channel, to, conversationId, externalId, clientId,
                callbackUrls, fallbackOf, attempt);
    }
}
