package io.mediaplatform.schemas.topics;

import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.InboundMessage;
import io.mediaplatform.events.InboxMediaSettings;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MessageDeleted;
import io.mediaplatform.events.SendMediaMessage;

import java.util.List;
import java.util.Optional;

/**
 * The one topic catalogue (docs/ARCHITECTURE.md §3). Every service names topics through these constants; no topic is
 * auto-created: the local stack, the compose file's init step and the Helm hook create exactly these and
 * their {@code .dlt} twins.
 */
public final class Topics {

    public static final String SEND_REQUESTED_NAME = "message.send-requested.v1";
    public static final String MEDIA_RECEIVED_NAME = "media.received.v1";
    public static final String MEDIA_ACCEPTED_NAME = "media.accepted.v1";
    public static final String MEDIA_REJECTED_NAME = "media.rejected.v1";
    public static final String MESSAGE_STATUS_NAME = "message.status.v1";
    public static final String INBOX_MEDIA_SETTINGS_NAME = "inbox.media-settings.v1";
    public static final String SEND_RETRY_NAME = "dispatch.send-retry.v1";
    public static final String MESSAGE_INBOUND_NAME = "message.inbound.v1";
    public static final String INBOUND_RETRY_NAME = "ingest.inbound-retry.v1";
    public static final String MESSAGE_DELETED_NAME = "message.deleted.v1";

    /** Upstream systems (and the ingest HTTP edge) ask for a media message to be sent. */
    public static final Topic<SendMediaMessage> SEND_REQUESTED =
            new Topic<>(SEND_REQUESTED_NAME, SendMediaMessage.class, false, "upstream systems, media-ingest-service");
    /** Media stored and waiting for validation. */
    public static final Topic<MediaReceived> MEDIA_RECEIVED =
            new Topic<>(MEDIA_RECEIVED_NAME, MediaReceived.class, false, "media-ingest-service");
    /** Media that passed validation. */
    public static final Topic<MediaAccepted> MEDIA_ACCEPTED =
            new Topic<>(MEDIA_ACCEPTED_NAME, MediaAccepted.class, false, "media-validation-service");
    /** Media refused by validation, with a reason code. */
    public static final Topic<MediaRejected> MEDIA_REJECTED =
            new Topic<>(MEDIA_REJECTED_NAME, MediaRejected.class, false, "media-validation-service");
    /** Send outcomes and normalised provider statuses. */
    public static final Topic<DeliveryStatus> MESSAGE_STATUS =
            new Topic<>(MESSAGE_STATUS_NAME, DeliveryStatus.class, false, "channel-dispatch-service");
    /** Latest media settings per inbox (compacted, key tenantId/inboxId). */
    public static final Topic<InboxMediaSettings> INBOX_MEDIA_SETTINGS =
            new Topic<>(INBOX_MEDIA_SETTINGS_NAME, InboxMediaSettings.class, true, "media-ingest-service");

    /**
     * Accepted media whose send failed for a reason that may pass (provider down, 5xx, throttled, circuit open),
     * waiting for a later round; and the media of the same conversation queued behind them, so that a conversation
     * keeps its order. Partition {@code p} holds the retries of {@code media.accepted.v1} partition {@code p}.
     * Read by channel-dispatch-service only.
     */
    public static final Topic<MediaAccepted> SEND_RETRY =
            new Topic<>(SEND_RETRY_NAME, MediaAccepted.class, false, "channel-dispatch-service");

    /**
     * A customer's message with media, taken from a signed provider webhook (WhatsApp, Twilio, notification API)
     * as soon as it is durable here; ingest fetches its media from the provider and hands them to validation.
     */
    public static final Topic<InboundMessage> MESSAGE_INBOUND =
            new Topic<>(MESSAGE_INBOUND_NAME, InboundMessage.class, false, "channel-dispatch-service");

    /**
     * Customer media whose download failed for a reason that may pass (provider 5xx, timeout, throttled), waiting
     * for its next attempt. Every record waits the same short hop before it is read again, so the topic stays in due
     * order; a record whose next attempt is later is written again unchanged. Read by media-ingest-service only.
     */
    public static final Topic<InboundMessage> INBOUND_RETRY =
            new Topic<>(INBOUND_RETRY_NAME, InboundMessage.class, false, "media-ingest-service");

    /**
     * A message deleted from callback-service's records (by the API, a contact's erasure or the message retention):
     * every service forgets what it kept of it; ingest deletes its media unless another live message still names it.
     */
    public static final Topic<MessageDeleted> MESSAGE_DELETED =
            new Topic<>(MESSAGE_DELETED_NAME, MessageDeleted.class, false, "callback-service");

    /** Every topic of the platform, in pipeline order. */
    public static final List<Topic<?>> ALL = List.of(
            MESSAGE_INBOUND, INBOUND_RETRY, SEND_REQUESTED, MEDIA_RECEIVED, MEDIA_ACCEPTED, SEND_RETRY, MEDIA_REJECTED,
            MESSAGE_STATUS, INBOX_MEDIA_SETTINGS, MESSAGE_DELETED);

    private Topics() {
    }

    /** The topic of that name, or of which that name is the dead-letter twin. */
    public static Optional<Topic<?>> byName(String name) {
        String base = name.endsWith(Topic.DLT_SUFFIX) ? name.substring(0, name.length() - Topic.DLT_SUFFIX.length()) : name;
        return ALL.stream().filter(t -> t.name().equals(base)).findFirst();
    }

    /** Every topic name including the dead-letter twins: what must exist before the services start. */
    public static List<String> allNamesWithDlt() {
        return ALL.stream().flatMap(t -> java.util.stream.Stream.of(t.name(), t.dlt())).toList();
    }

    /** Conversation key: the conversation id, or channel + recipient when there is none (docs/ARCHITECTURE.md §3). */
    public static String conversationKey(String conversationId, String channel, String to) {
        if (conversationId != null && !conversationId.isBlank()) {
            return conversationId;
        }
        return channel + ":" + to;
    }

    /** Key of the compacted settings topic. */
    public static String inboxKey(String tenantId, String inboxId) {
        return tenantId + "/" + inboxId;
    }
}
