package io.mediaplatform.embedded;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeletionReason;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.InboundAttachment;
import io.mediaplatform.events.InboundFetchState;
import io.mediaplatform.events.InboundMessage;
import io.mediaplatform.events.InboxMediaSettings;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MessageDeleted;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.events.StorageLocation;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One realistic event per value type of the topic catalogue: an outbound PDF on WhatsApp, end to end. */
final class EventSamples {

    static final String TENANT = "acme";
    static final String CONVERSATION = "conv-5f1c9a";
    static final String MEDIA_ID = "0b6f3c7e-2a51-4f0e-9d55-7c1e93f1a2b4";
    static final String MESSAGE_ID = "6d7e2f10-98a4-4c2b-b1f3-3e0a5d2c7f88";
    static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");

    private EventSamples() {
    }

    static OutboundMessage message() {
        return OutboundMessage.newBuilder()
                .setMessageId(MESSAGE_ID)
                .setFrom("+493012345678")
                .setTo("+4915112345678")
                .setKind(MediaKind.DOCUMENT)
                .setCaption(null)
                .setFileName("Rechnung Nr. 2026-114 (Entwurf).pdf")
                .setExternalId("crm-991")
                .setClientId("agent-desk")
                .setCallbackUrls(List.of("https://client.example.com/hooks/status?tenant=acme"))
                .build();
    }

    static MediaRef media() {
        return MediaRef.newBuilder()
                .setMediaId(MEDIA_ID)
                .setConversationId(CONVERSATION)
                .setInboxId("inbox-whatsapp-de")
                .setChannel(Channel.WHATSAPP)
                .setDirection(Direction.OUTBOUND)
                .setDeclaredFileName("Rechnung Nr. 2026-114 (Entwurf).pdf")
                .setDeclaredContentType("application/pdf")
                .setSize(48_213L)
                .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setStorage(StorageLocation.newBuilder()
                        .setBucket("media")
                        .setKey("acme/2026/11/23/" + MEDIA_ID)
                        .setEtag("\"5d41402abc4b2a76b9719d911017c592\"")
                        .build())
                .build();
    }

    static SendMediaMessage sendMediaMessage() {
        return SendMediaMessage.newBuilder()
                .setEventId("a3c1e2d4-0000-4000-8000-000000000001")
                .setOccurredAt(AT)
                .setTenantId(TENANT)
                .setChannel(Channel.WHATSAPP)
                .setConversationId(CONVERSATION)
                .setInboxId("inbox-whatsapp-de")
                .setMessage(message())
                .setMediaId(null)
                .setMediaUrl("https://cdn.client.example.com/invoices/2026-114.pdf")
                .setMediaContentType("application/pdf")
                .build();
    }

    static MediaReceived mediaReceived() {
        return MediaReceived.newBuilder()
                .setEventId("a3c1e2d4-0000-4000-8000-000000000002")
                .setOccurredAt(AT.plusMillis(850))
                .setTenantId(TENANT)
                .setMedia(media())
                .setMessage(message())
                .setFetchFailure(null)
                .build();
    }

    static MediaAccepted mediaAccepted() {
        return MediaAccepted.newBuilder()
                .setEventId("a3c1e2d4-0000-4000-8000-000000000003")
                .setOccurredAt(AT.plusMillis(1_020))
                .setTenantId(TENANT)
                .setReceivedEventId("a3c1e2d4-0000-4000-8000-000000000002")
                .setMedia(media())
                .setDetectedContentType("application/pdf")
                .setKind(MediaKind.DOCUMENT)
                .setMessage(message())
                .build();
    }

    static MediaRejected mediaRejected() {
        return MediaRejected.newBuilder()
                .setEventId("a3c1e2d4-0000-4000-8000-000000000004")
                .setOccurredAt(AT.plusMillis(990))
                .setTenantId(TENANT)
                .setReceivedEventId("a3c1e2d4-0000-4000-8000-000000000002")
                .setMedia(media())
                .setDetectedContentType("application/x-msdownload")
                .setReason(RejectionReason.TYPE_MISMATCH)
                .setReasonMessage("declared application/pdf but the bytes are application/x-msdownload")
                .setCustomerMessage(null)
                .setMessage(message())
                .build();
    }

    static DeliveryStatus deliveryStatus() {
        return DeliveryStatus.newBuilder()
                .setEventId("a3c1e2d4-0000-4000-8000-000000000005")
                .setOccurredAt(AT.plusSeconds(4))
                .setTenantId(TENANT)
                .setMessageId(MESSAGE_ID)
                .setConversationId(CONVERSATION)
                .setMediaId(MEDIA_ID)
                .setChannel(Channel.WHATSAPP)
                .setTo("+4915112345678")
                .setStatus(MessageStatus.DELIVERED)
                .setProvider("whatsapp")
                .setProviderMessageId("wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjQ1RTk3QkJBQjc0RkQ0MjM5AA==")
                .setProviderStatus("delivered")
                .setReason(null)
                .setDetail(null)
                .build();
    }

    static InboxMediaSettings inboxMediaSettings() {
        return InboxMediaSettings.newBuilder()
                .setTenantId(TENANT)
                .setInboxId("inbox-whatsapp-de")
                .setSendEnabled(true)
                .setReceiveEnabled(false)
                .setRejectionMessage("Wir können hier leider keine Dateien empfangen. Bitte schicken Sie sie per E-Mail.")
                .setUpdatedAt(AT.minusSeconds(86_400))
                .build();
    }

    static InboundMessage inboundMessage() {
        return InboundMessage.newBuilder()
                .setEventId("a3c1e2d4-0000-4000-8000-000000000006")
                .setOccurredAt(AT.minusSeconds(2))
                .setReceivedAt(AT)
                .setTenantId(TENANT)
                .setInboxId("inbox-whatsapp-de")
                .setChannel(Channel.WHATSAPP)
                .setProvider("whatsapp")
                .setProviderMessageId("wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDMjU2RTk0RjlCNTJBQjQ0AA==")
                .setFrom("+4915112345678")
                .setTo("106540352242922")
                .setConversationId("WHATSAPP:+4915112345678")
                .setText(null)
                .setAttachments(java.util.List.of(InboundAttachment.newBuilder()
                        .setIndex(0)
                        .setMessageId(MESSAGE_ID)
                        .setMediaId(MEDIA_ID)
                        .setKind(MediaKind.AUDIO)
                        .setVoice(true)
                        .setProviderMediaId("1139585531046716")
                        .setUrl(null)
                        .setContentType("audio/ogg; codecs=opus")
                        .setSha256("q1MKE+RZFJgrefm34/uplM/R8/si9xzqGvvwK0YMbR0=")
                        .setCaption(null)
                        .setFileName(null)
                        .build()))
                .setFetch(InboundFetchState.newBuilder()
                        .setAttempts(2)
                        .setFirstAttemptAt(AT.plusSeconds(1))
                        .setNextAttemptAt(AT.plusSeconds(71))
                        .setLastFailure("the provider answered 503")
                        .build())
                .build();
    }

    static MessageDeleted messageDeleted() {
        return MessageDeleted.newBuilder()
                .setEventId("a3c1e2d4-0000-4000-8000-000000000007")
                .setOccurredAt(AT.plusSeconds(3_600))
                .setTenantId(TENANT)
                .setMessageId(MESSAGE_ID)
                .setConversationId("WHATSAPP:+4915112345678")
                .setDirection(Direction.INBOUND)
                .setMediaId(MEDIA_ID)
                .setMediaStillReferenced(false)
                .setReason(DeletionReason.CONTACT_ERASURE)
                .build();
    }

    /** A sample of every value type, by generated class. */
    static Map<Class<?>, SpecificRecord> byType() {
        return Map.of(
                SendMediaMessage.class, sendMediaMessage(),
                MediaReceived.class, mediaReceived(),
                MediaAccepted.class, mediaAccepted(),
                MediaRejected.class, mediaRejected(),
                DeliveryStatus.class, deliveryStatus(),
                InboxMediaSettings.class, inboxMediaSettings(),
                InboundMessage.class, inboundMessage(),
                MessageDeleted.class, messageDeleted());
    }
}
