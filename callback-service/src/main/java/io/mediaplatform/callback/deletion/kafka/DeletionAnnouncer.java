package io.mediaplatform.callback.deletion.kafka;

import io.mediaplatform.callback.deletion.core.DeletedMessage;
import io.mediaplatform.callback.deletion.core.DeletionReason;
import io.mediaplatform.callback.deletion.core.MediaFate;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MessageDeleted;
import io.mediaplatform.schemas.topics.Topics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells {@code message.deleted.v1} (callback is its one writer) of deleted messages, one event each, keyed by the
 * message's conversation like its other events, and waits until the broker has them all.
 */
public class DeletionAnnouncer {

    private final EventPublisher publisher;

    public DeletionAnnouncer(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Publishes the deletions and waits for every ack; throws when one was not written. */
    public void announce(String tenantId, List<MediaFate.Deletion> deletions, DeletionReason reason, Instant at) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (MediaFate.Deletion deletion : deletions) {
            DeletedMessage message = deletion.message();
            MessageDeleted event = MessageDeleted.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(at)
                    .setTenantId(tenantId)
                    .setMessageId(message.messageId())
                    .setConversationId(message.conversationId())
                    .setDirection("INBOUND".equals(message.direction()) ? Direction.INBOUND : Direction.OUTBOUND)
                    .setMediaId(message.mediaId())
                    .setMediaStillReferenced(deletion.mediaStillReferenced())
                    .setReason(io.mediaplatform.events.DeletionReason.valueOf(reason.name()))
                    .build();
            String key = Topics.conversationKey(message.conversationId(), message.channel(), message.messageId());
            sends.add(publisher.send(Topics.MESSAGE_DELETED, key, event));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(EventPublisher.ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventPublisher.EventPublishException(Topics.MESSAGE_DELETED_NAME, e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException | CompletionException e) {
            throw new EventPublisher.EventPublishException(Topics.MESSAGE_DELETED_NAME, e);
        }
    }
}
