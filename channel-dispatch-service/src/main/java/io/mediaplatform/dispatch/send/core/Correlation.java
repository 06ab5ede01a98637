package io.mediaplatform.dispatch.send.core;

import java.util.Objects;

/**
 * What ties a provider's status webhook back to a platform message without any stored state: the connector
 * gives it to the provider with the send, the provider echoes it in every status.
 *
 * @param tenantId       tenant owning the message
 * @param messageId      platform message id
 * @param conversationId conversation id, or null
 * @param to             recipient address
 */
public record Correlation(String tenantId, String messageId, String conversationId, String to) {

    public Correlation {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(messageId, "messageId");
    }
}
