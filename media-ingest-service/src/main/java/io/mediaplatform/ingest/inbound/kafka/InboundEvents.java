package io.mediaplatform.ingest.inbound.kafka;

import io.mediaplatform.events.Direction;
import io.mediaplatform.events.InboundAttachment;
import io.mediaplatform.events.InboundDetails;
import io.mediaplatform.events.InboundFetchState;
import io.mediaplatform.events.InboundMessage;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.ingest.inbound.core.FetchState;
import io.mediaplatform.ingest.inbound.core.InboundContent;
import io.mediaplatform.ingest.inbound.core.InboundMedia;
import io.mediaplatform.ingest.inbound.core.Provider;
import io.mediaplatform.ingest.media.core.FileNames;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.MediaKeys;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Translates between the inbound Avro records and the core's plain values, and builds the records ingest writes. */
final class InboundEvents {

    private InboundEvents() {
    }

    /** The core's view of one attachment of {@code message}. */
    static InboundMedia media(InboundMessage message, Provider provider, InboundAttachment attachment) {
        return new InboundMedia(message.getTenantId(), provider, attachment.getMediaId(), message.getConversationId(),
                message.getChannel().name(), message.getInboxId(), kind(attachment.getKind()), attachment.getVoice(),
                attachment.getProviderMediaId(), attachment.getUrl(), attachment.getContentType(), attachment.getSha256(),
                attachment.getFileName());
    }

    static InboundContent.Kind kind(MediaKind kind) {
        return kind == null ? InboundContent.Kind.UNKNOWN : InboundContent.Kind.valueOf(kind.name());
    }

    /** The fetch state a retry record carries, or null. */
    static FetchState state(InboundFetchState fetch) {
        if (fetch == null) {
            return null;
        }
        return new FetchState(fetch.getAttempts(), fetch.getFirstAttemptAt(), fetch.getNextAttemptAt(), fetch.getLastFailure());
    }

    /** The retry record: {@code message} with just {@code attachment}, and the fetch state. */
    static InboundMessage retry(InboundMessage message, InboundAttachment attachment, FetchState state) {
        return InboundMessage.newBuilder(message)
                .setAttachments(List.of(attachment))
                .setFetch(InboundFetchState.newBuilder()
                        .setAttempts(state.attempts())
                        .setFirstAttemptAt(state.firstAttemptAt())
                        .setNextAttemptAt(state.nextAttemptAt())
                        .setLastFailure(state.lastFailure())
                        .build())
                .build();
    }

    /** {@code media.received.v1} for stored customer media. */
    static MediaReceived received(InboundMessage message, String conversationId, InboundAttachment attachment,
                                  int attachmentCount, MediaInfo media, String bucket, Instant now) {
        MediaRef ref = ref(message, conversationId, attachment)
                .setDeclaredContentType(InboundContent.normalise(attachment.getContentType()).orElse(media.contentType()))
                .setSize(media.size())
                .setSha256(media.sha256() == null ? "" : media.sha256())
                .setStorage(StorageLocation.newBuilder().setBucket(bucket)
                        .setKey(MediaKeys.media(media.tenantId(), media.mediaId())).setEtag(media.etag()).build())
                .build();
        return event(message, attachment, attachmentCount, ref, null, now);
    }

    /** {@code media.received.v1} for customer media that could not be fetched. */
    static MediaReceived failed(InboundMessage message, String conversationId, InboundAttachment attachment,
                                int attachmentCount, String reason, Instant now) {
        MediaRef ref = ref(message, conversationId, attachment)
                .setDeclaredContentType(InboundContent.normalise(attachment.getContentType()).orElse(null))
                .setSize(0)
                .setSha256("")
                .setStorage(null)
                .build();
        return event(message, attachment, attachmentCount, ref, reason, now);
    }

    private static MediaRef.Builder ref(InboundMessage message, String conversationId, InboundAttachment attachment) {
        return MediaRef.newBuilder()
                .setMediaId(attachment.getMediaId())
                .setConversationId(conversationId)
                .setInboxId(message.getInboxId())
                .setChannel(message.getChannel())
                .setDirection(Direction.INBOUND)
                .setDeclaredFileName(attachment.getFileName() == null ? null : FileNames.sanitize(attachment.getFileName()));
    }

    private static MediaReceived event(InboundMessage message, InboundAttachment attachment, int attachmentCount,
                                       MediaRef ref, String fetchFailure, Instant now) {
        OutboundMessage customerMessage = OutboundMessage.newBuilder()
                .setMessageId(attachment.getMessageId())
                .setFrom(message.getFrom())
                .setTo(message.getTo())
                .setKind(attachment.getKind())
                .setCaption(attachment.getCaption())
                .setFileName(attachment.getFileName())
                .setCallbackUrls(List.of())
                .build();
        InboundDetails details = InboundDetails.newBuilder()
                .setProvider(message.getProvider())
                .setProviderMessageId(message.getProviderMessageId())
                .setSentAt(message.getOccurredAt())
                .setAttachmentIndex(attachment.getIndex())
                .setAttachmentCount(attachmentCount)
                .setText(message.getText())
                .build();
        return MediaReceived.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now)
                .setTenantId(message.getTenantId())
                .setMedia(ref)
                .setMessage(customerMessage)
                .setFetchFailure(fetchFailure)
                .setInbound(details)
                .build();
    }
}
