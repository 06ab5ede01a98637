package io.mediaplatform.dispatch.kafka;

import io.mediaplatform.dispatch.DispatchApplication;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.dispatch.ledger.core.SendLedger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.util.Map;

/**
 * Sends accepted outbound media: for each {@code media.accepted.v1} event with a message and direction
 * OUTBOUND, publishes QUEUED, signs a media link and hands the message to the channel's connector, then
 * publishes SENT or FAILED (see {@link SendService}). Statuses are keyed by the record's own key (the
 * conversation key), so they stay in order with the conversation's other events.
 *
 * <p>No doubles: the statuses, a dead-letter copy and the consumer offset are written in one Kafka transaction
 * (the container's transaction manager), and a message id found in the {@link SendLedger} (rebuilt from
 * {@code message.status.v1} when partitions are assigned, updated after each commit) is not sent again. A send that
 * finally fails after its retries (provider down, circuit open) is reported FAILED and its record copied to
 * {@code media.accepted.v1.dlt} in the same transaction.
 */
public class MediaAcceptedListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(MediaAcceptedListener.class);

    private final SendService sendService;
    private final MediaLinks links;
    private final SendLedger ledger;
    private final LedgerRebuilder rebuilder;
    private final DeadLetters deadLetters;
    private final Clock clock;

    public MediaAcceptedListener(SendService sendService, MediaLinks links, SendLedger ledger, LedgerRebuilder rebuilder,
                                 DeadLetters deadLetters, Clock clock) {
        this.sendService = sendService;
        this.links = links;
        this.ledger = ledger;
        this.rebuilder = rebuilder;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** Before records of newly assigned partitions are delivered: learn what was already sent from them. */
    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        rebuilder.rebuild(assignments.keySet().stream().filter(p -> Topics.MEDIA_ACCEPTED_NAME.equals(p.topic()))
                .map(TopicPartition::partition).toList());
    }

    @KafkaListener(topics = Topics.MEDIA_ACCEPTED_NAME, groupId = DispatchApplication.CONSUMER_GROUP)
    public void on(ConsumerRecord<String, MediaAccepted> record) {
        MediaAccepted event = record.value();
        OutboundMessage message = event.getMessage();
        MediaRef media = event.getMedia();
        if (message == null || media.getDirection() != Direction.OUTBOUND) {
            return;
        }
        if (ledger.finished(message.getMessageId())) {
            log.info("Message {} (tenant {}) was already sent or finally failed: record {}-{}@{} skipped, not sent again",
                    message.getMessageId(), event.getTenantId(), record.topic(), record.partition(), record.offset());
            return;
        }
        String channel = media.getChannel().name();
        String key = record.key() != null ? record.key()
                : Topics.conversationKey(media.getConversationId(), channel, message.getTo());
        OutboundSend send = OutboundSend.media(event.getTenantId(), message.getMessageId(), channel, message.getFrom(),
                message.getTo(), kind(message.getKind(), event.getKind()), message.getCaption(), message.getFileName(),
                links.linkTo(event.getTenantId(), media.getMediaId()), media.getMediaId(), media.getConversationId())
                .withReferences(message.getExternalId(), message.getClientId());
        SendResult result = sendService.dispatch(send, key);
        switch (result) {
            case SendResult.Sent sent -> log.info("Message {} (tenant {}, media {}) sent on {} as {}",
                    send.messageId(), send.tenantId(), send.mediaId(), channel, sent.providerMessageId());
            case SendResult.Failed failed -> {
                log.info("Message {} (tenant {}, media {}) failed on {}: {} {}", send.messageId(), send.tenantId(),
                        send.mediaId(), channel, failed.code(), failed.message());
                if (failed.retryable()) {
                    // retries spent on a failure that might pass later: keep the record for an operator
                    deadLetters.publish(record, failed.code(), failed.message());
                }
            }
        }
        rememberAfterCommit(send.messageId());
    }

    private void rememberAfterCommit(String messageId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    ledger.record(messageId, clock.instant());
                }
            });
        } else {
            ledger.record(messageId, clock.instant());
        }
    }

    private static SendKind kind(MediaKind asked, MediaKind accepted) {
        MediaKind kind = asked == null || asked == MediaKind.UNKNOWN ? accepted : asked;
        return switch (kind) {
            case IMAGE -> SendKind.IMAGE;
            case VIDEO -> SendKind.VIDEO;
            case AUDIO -> SendKind.AUDIO;
            case STICKER -> SendKind.STICKER;
            case DOCUMENT, UNKNOWN -> SendKind.DOCUMENT;
        };
    }
}
