package io.mediaplatform.callback.deletion.core;

/**
 * What is told of a deleted message: enough for every service to forget its part, nothing of its content.
 *
 * @param messageId      the message
 * @param conversationId its conversation, or null
 * @param channel        its channel name, or null
 * @param direction      INBOUND or OUTBOUND
 * @param mediaId        its media, or null
 */
public record DeletedMessage(String messageId, String conversationId, String channel, String direction, String mediaId) {
}
