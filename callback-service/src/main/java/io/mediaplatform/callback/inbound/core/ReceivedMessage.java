package io.mediaplatform.callback.inbound.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer's media message (direction INBOUND) with validation's decision about its media, as it is recorded
 * once and told to the tenant's endpoints as {@code message.received}. Any fact but the ids, the status and the
 * decision time may be null when the event did not carry it.
 *
 * @param eventId           id of the decision event (media.accepted / media.rejected) first recorded
 * @param tenantId          owner
 * @param messageId         platform message id (deterministic per provider message and attachment)
 * @param status            ACCEPTED or REJECTED
 * @param channel           channel name (WHATSAPP, MMS, RCS, WEBCHAT)
 * @param from              the customer's address
 * @param to                the business address the customer wrote to
 * @param conversationId    conversation id ({@code <CHANNEL>:<from>})
 * @param inboxId           inbox whose settings applied
 * @param kind              media kind (IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER)
 * @param caption           caption the customer gave
 * @param fileName          file name the customer gave
 * @param provider          provider connector (whatsapp, twilio, notify)
 * @param providerMessageId provider's id of the customer's message
 * @param text              text sent with the media when it is not the caption
 * @param reason            rejection reason code, null when accepted
 * @param reasonMessage     human-readable explanation of the rejection, null when accepted
 * @param receivedAt        when the customer sent it, as the provider stamped it
 * @param decidedAt         when validation decided
 * @param media             the media
 * @param customerMessage   what the customer was answered on the refusal (the inbox's rejection message on a
 *                          MEDIA_DISABLED), null when accepted or none was sent
 */
public record ReceivedMessage(String eventId, String tenantId, String messageId, InboundStatus status, String channel,
                              String from, String to, String conversationId, String inboxId, String kind, String caption,
                              String fileName, String provider, String providerMessageId, String text, String reason,
                              String reasonMessage, Instant receivedAt, Instant decidedAt, Media media,
                              String customerMessage) {

    /**
     * The media of the message.
     *
     * @param id     media id
     * @param type   content type detected from the bytes, null when they could not be read
     * @param size   size in bytes, null when the media could not be fetched
     * @param sha256 lower-case hex SHA-256, null when the media could not be fetched
     */
    public record Media(String id, String type, Long size, String sha256) {
    }

    public ReceivedMessage {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(decidedAt, "decidedAt");
        media = media == null ? new Media(null, null, null, null) : media;
        if (status == InboundStatus.ACCEPTED) {
            reason = null;
            reasonMessage = null;
            customerMessage = null;
        }
    }

    /** A message whose refusal (if any) sent the customer no answer. */
    public ReceivedMessage(String eventId, String tenantId, String messageId, InboundStatus status, String channel,
                           String from, String to, String conversationId, String inboxId, String kind, String caption,
                           String fileName, String provider, String providerMessageId, String text, String reason,
                           String reasonMessage, Instant receivedAt, Instant decidedAt, Media media) {
        this(eventId, tenantId, messageId, status, channel, from, to, conversationId, inboxId, kind, caption, fileName,
                provider, providerMessageId, text, reason, reasonMessage, receivedAt, decidedAt, media, null);
    }

    /**
     * The media the client is handed a download link to, made fresh at each delivery attempt: only accepted media
     * (a refused one, malware included, is never handed out). Null when there is none to link to.
     */
    public String linkMediaId() {
        return status == InboundStatus.ACCEPTED ? media.id() : null;
    }
}
