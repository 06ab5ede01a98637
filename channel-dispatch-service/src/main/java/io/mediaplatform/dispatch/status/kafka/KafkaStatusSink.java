package io.mediaplatform.dispatch.status.kafka;

import java.util.concurrent.CompletableFuture;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.status.core.StatusUpdate;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MediaConversion;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.schemas.topics.Topics;

import java.util.UUID;

/** Publishes statuses as {@link DeliveryStatus} events on {@code message.status.v1}, waiting for the broker. */
public final class KafkaStatusSink implements StatusSink {

    private final EventPublisher publisher;

    public KafkaStatusSink(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void publish(String key, StatusUpdate update) {
        publisher.sendAndWait(Topics.MESSAGE_STATUS, key, toEvent(update));
    }

    /** Publishes without waiting (inside a transaction whose commit fails if the send did); the broker's ack. */
    public CompletableFuture<?> send(String key, StatusUpdate update) {
        return publisher.send(Topics.MESSAGE_STATUS, key, toEvent(update));
    }

    static DeliveryStatus toEvent(StatusUpdate update) {
        return DeliveryStatus.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(update.occurredAt())
                .setTenantId(update.tenantId())
                .setMessageId(update.messageId())
                .setConversationId(update.conversationId())
                .setMediaId(update.mediaId())
                .setChannel(channel(update.channel()))
                .setTo(update.to())
                .setStatus(MessageStatus.valueOf(update.state().name()))
                .setProvider(update.provider())
                .setProviderMessageId(update.providerMessageId())
                .setProviderStatus(update.providerStatus())
                .setReason(update.reason())
                .setDetail(update.detail())
                .setConverted(update.converted() == null ? null : MediaConversion.newBuilder()
                        .setRenditionMediaId(update.converted().renditionMediaId())
                        .setFromContentType(update.converted().fromContentType())
                        .setToContentType(update.converted().toContentType())
                        .setFromSize(update.converted().fromSize())
                        .setToSize(update.converted().toSize())
                        .setDescription(update.converted().description()).build())
                .build();
    }

    private static Channel channel(String name) {
        try {
            return Channel.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Channel.UNKNOWN;
        }
    }
}
