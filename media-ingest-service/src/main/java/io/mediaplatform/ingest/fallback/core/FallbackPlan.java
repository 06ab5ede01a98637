package io.mediaplatform.ingest.fallback.core;

import java.util.List;
import java.util.Objects;

/**
 * What ingest keeps about a message that has fallback channels (ARCHITECTURE §4, channel fallback): enough to make the next
 * attempt when this one ends FAILED or REJECTED.
 *
 * @param tenantId          owner of the message
 * @param messageId         this attempt's message id
 * @param rootMessageId     the client's message (the first attempt); equal to {@code messageId} on the first attempt
 * @param attempt           1 for the client's message, 2 for the first fallback, ...
 * @param channel           this attempt's channel
 * @param remainingChannels channels still to try, in order (never empty for a stored plan)
 * @param send              the facts every attempt carries over
 */
public record FallbackPlan(String tenantId, String messageId, String rootMessageId, int attempt, String channel,
                           List<String> remainingChannels, Send send) {

    public FallbackPlan {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(rootMessageId, "rootMessageId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(send, "send");
        remainingChannels = remainingChannels == null ? List.of() : List.copyOf(remainingChannels);
    }

    /**
     * The message and media of an attempt, as the client asked for it.
     *
     * @param conversationId   the conversation id the client gave, or null (the conversation is then channel + to)
     * @param mediaId          stored media id, or null when the client gave a URL
     * @param mediaUrl         URL to fetch the media from, or null
     * @param mediaContentType declared content type of the media at the URL
     * @param callbackUrls     client webhook URLs
     */
    public record Send(String conversationId, String mediaId, String mediaUrl, String mediaContentType, String from,
                       String to, String kind, String caption, String fileName, String externalId, String clientId,
                       List<String> callbackUrls) {

        public Send {
            callbackUrls = callbackUrls == null ? List.of() : List.copyOf(callbackUrls);
        }

        /** The same send with stored media instead of whatever the client named. */
        Send withMedia(String storedMediaId) {
            return new Send(conversationId, storedMediaId, null, null, from, to, kind, caption, fileName, externalId,
                    clientId, callbackUrls);
        }
    }
}
