package io.mediaplatform.dispatch.send.core;

import io.mediaplatform.dispatch.status.core.Conversion;

import java.util.Objects;

/**
 * One message to hand to a channel provider, with everything a connector needs and nothing it must look up.
 *
 * @param tenantId       tenant owning the message
 * @param messageId      platform message id (for a text back to a customer: a new id)
 * @param channel        channel name ({@code WHATSAPP}, {@code MMS}, …)
 * @param from           sender address on the channel, when the client gave one
 * @param to             recipient address
 * @param kind           media kind, or {@link SendKind#TEXT}
 * @param caption        caption (kept by the connector only where the kind takes one)
 * @param fileName       file name shown to the recipient (documents)
 * @param mediaLink      signed, time-limited URL the provider fetches the bytes from (null for text)
 * @param mediaId        platform media id (null for text)
 * @param conversationId conversation id, when known
 * @param text           body of a text message (null for media)
 * @param externalId     client's own id of the message, for providers that report it back (may be null)
 * @param clientId       client (application or agent) id, likewise (may be null)
 * @param conversion     what validation converted so the media fits the channel (auto-fit: types, sizes and a
 *                       sentence such as "... converted to image/jpeg, 1.2 MB to 310 KB"), told with the QUEUED status
 *                       (its detail the sentence); null when sent as it came
 */
public record OutboundSend(String tenantId, String messageId, String channel, String from, String to, SendKind kind,
                           String caption, String fileName, String mediaLink, String mediaId, String conversationId,
                           String text, String externalId, String clientId, Conversion conversion) {

    public OutboundSend {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(kind, "kind");
        if (kind == SendKind.TEXT && (text == null || text.isBlank())) {
            throw new IllegalArgumentException("a text send needs a text");
        }
        if (kind != SendKind.TEXT && (mediaLink == null || mediaLink.isBlank())) {
            throw new IllegalArgumentException("a media send needs a media link");
        }
    }

    /** A media message. */
    public static OutboundSend media(String tenantId, String messageId, String channel, String from, String to,
                                     SendKind kind, String caption, String fileName, String mediaLink, String mediaId,
                                     String conversationId) {
        return new OutboundSend(tenantId, messageId, channel, from, to, kind, caption, fileName, mediaLink, mediaId,
                conversationId, null, null, null, null);
    }

    /** A plain text message. */
    public static OutboundSend text(String tenantId, String messageId, String channel, String to, String text,
                                    String conversationId) {
        return new OutboundSend(tenantId, messageId, channel, null, to, SendKind.TEXT, null, null, null, null,
                conversationId, text, null, null, null);
    }

    /** The same send with the client's references. */
    public OutboundSend withReferences(String externalId, String clientId) {
        return new OutboundSend(tenantId, messageId, channel, from, to, kind, caption, fileName, mediaLink, mediaId,
                conversationId, text, externalId, clientId, conversion);
    }

    /** The same send, saying what validation converted (null for nothing). */
    public OutboundSend withConversion(Conversion conversion) {
        return new OutboundSend(tenantId, messageId, channel, from, to, kind, caption, fileName, mediaLink, mediaId,
                conversationId, text, externalId, clientId, conversion);
    }

    /**
     * The text of a channel that carries media as a link (SMS): the caption (or, for a document, the file name) and
     * a newline before the signed link; the link alone when there is neither.
     */
    public String textWithLink() {
        String line = kind.takesCaption() && caption != null && !caption.isBlank() ? caption.strip()
                : kind.takesFileName() && fileName != null && !fileName.isBlank() ? fileName.strip() : null;
        return line == null ? mediaLink : line + "\n" + mediaLink;
    }

    /** The correlation a provider echoes back in its status webhooks. */
    public Correlation correlation() {
        return new Correlation(tenantId, messageId, conversationId, to);
    }
}
