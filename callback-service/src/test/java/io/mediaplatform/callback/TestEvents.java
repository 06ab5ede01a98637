package io.mediaplatform.callback;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.InboundDetails;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.StorageLocation;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The events and JSON helpers the callback tests build and read, free of any running infrastructure (so a test
 * with its own broker can use them without starting {@link CallbackServiceTestBase}'s).
 */
final class TestEvents {

    private TestEvents() {
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.path(field).asString()));
        return values;
    }

    static MediaRef media(String messageId) {
        return MediaRef.newBuilder().setMediaId("media-" + messageId).setConversationId("conv-" + messageId)
                .setChannel(Channel.WHATSAPP).setDirection(Direction.OUTBOUND).setDeclaredFileName("photo.jpg")
                .setDeclaredContentType("image/jpeg").setSize(1234).setSha256("ab".repeat(32))
                .setStorage(StorageLocation.newBuilder().setBucket("media").setKey("k/" + messageId).build()).build();
    }

    static OutboundMessage outbound(String messageId, String externalId, String clientId, List<String> callbacks) {
        return OutboundMessage.newBuilder().setMessageId(messageId).setTo("+15551234567").setKind(MediaKind.IMAGE)
                .setExternalId(externalId).setClientId(clientId).setCallbackUrls(callbacks).build();
    }

    /** A customer's media as ingest stores it (direction INBOUND); without storage when it could not be fetched. */
    static MediaRef inboundMedia(String mediaId, String conversationId, boolean stored) {
        return MediaRef.newBuilder().setMediaId(mediaId).setConversationId(conversationId).setInboxId("demo-inbox")
                .setChannel(Channel.WHATSAPP).setDirection(Direction.INBOUND).setDeclaredContentType("image/jpeg")
                .setSize(stored ? 4321 : 0).setSha256(stored ? "cd".repeat(32) : "")
                .setStorage(stored ? StorageLocation.newBuilder().setBucket("media").setKey("tenants/t/media/" + mediaId).build() : null)
                .build();
    }

    /** The customer's message an inbound media travels with: from the customer to the business address. */
    static OutboundMessage inboundMessage(String messageId, String from) {
        return OutboundMessage.newBuilder().setMessageId(messageId).setFrom(from).setTo("106540352242922")
                .setKind(MediaKind.IMAGE).setCaption("Broken lid").setCallbackUrls(List.of()).build();
    }

    /** What WhatsApp said about the customer's message. */
    static InboundDetails inboundDetails(String providerMessageId, Instant sentAt) {
        return InboundDetails.newBuilder().setProvider("whatsapp").setProviderMessageId(providerMessageId).setSentAt(sentAt)
                .setAttachmentIndex(0).setAttachmentCount(1).setText(null).build();
    }

    static DeliveryStatus statusEvent(String tenantId, String messageId, MessageStatus status, Instant at,
                                      String providerMessageId, String reason) {
        return DeliveryStatus.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at).setTenantId(tenantId)
                .setMessageId(messageId).setConversationId("conv-" + messageId).setChannel(Channel.WHATSAPP)
                .setTo("+15551234567").setStatus(status).setProvider("whatsapp").setProviderMessageId(providerMessageId)
                .setReason(reason).build();
    }
}
