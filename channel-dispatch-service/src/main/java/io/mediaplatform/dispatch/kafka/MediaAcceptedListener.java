package io.mediaplatform.dispatch.kafka;

import io.mediaplatform.dispatch.DispatchApplication;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.resilience.core.RateShare;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends accepted outbound media: for each {@code media.accepted.v1} event with a message and direction
 * OUTBOUND, publishes QUEUED, signs a media link and hands the message to the channel's connector, then
 * publishes SENT or FAILED (see {@link SendService}). Statuses are keyed by the record's own key (the
 * conversation key), so they stay in order with the conversation's other events.
 *
 * <p>No doubles: the statuses, a dead-letter copy and the consumer offset are written in one Kafka transaction
 * (the container's transaction manager), and a message id found in the {@link SendLedger} (rebuilt from
 * {@code message.status.v1} when partitions are assigned, updated after each commit) is not sent again. A send that
 * fails its in-place attempts for a reason that may pass (provider down, circuit open) goes to the retry topic for
 * later rounds ({@link SendRetries}), and the later messages of its conversation queue behind it there; without long
 * retries ({@code DISPATCH_RETRY_DELAYS} empty) it is reported FAILED and its record copied to
 * {@code media.accepted.v1.dlt} in the same transaction.
 */
public class MediaAcceptedListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(MediaAcceptedListener.class);

    private final SendService sendService;
    private final AcceptedSends sends;
    private final SendLedger ledger;
    private final LedgerRebuilder rebuilder;
    private final SendRetries retries;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final RateShare rateShare;

    public MediaAcceptedListener(SendService sendService, AcceptedSends sends, SendLedger ledger,
                                 LedgerRebuilder rebuilder, SendRetries retries, DeadLetters deadLetters, Clock clock,
                                 RateShare rateShare) {
        this.rateShare = rateShare;
        this.sendService = sendService;
        this.sends = sends;
        this.retries = retries;
        this.ledger = ledger;
        this.rebuilder = rebuilder;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** Before records of newly assigned partitions are delivered: learn what was already sent from them. */
    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        List<Integer> partitions = acceptedPartitions(assignments.keySet());
        rebuilder.rebuild(partitions);
        retries.assigned(partitions);
        rateShare.assigned(partitions);
    }

    /** Before partitions are taken away: stop retrying their conversations here (after the record in hand). */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        retries.revoked(acceptedPartitions(partitions));
        rateShare.revoked(acceptedPartitions(partitions));
    }

    @KafkaListener(topics = Topics.MEDIA_ACCEPTED_NAME, groupId = DispatchApplication.CONSUMER_GROUP)
    public void on(ConsumerRecord<String, MediaAccepted> record) {
        Optional<OutboundSend> outbound = sends.toSend(record);
        if (outbound.isEmpty()) {
            return;
        }
        OutboundSend send = outbound.get();
        if (ledger.finished(send.messageId())) {
            log.info("Message {} (tenant {}) was already sent or finally failed: record {}-{}@{} skipped, not sent again",
                    send.messageId(), send.tenantId(), record.topic(), record.partition(), record.offset());
            return;
        }
        String key = AcceptedSends.key(record);
        if (retries.parked(key)) {
            // an earlier message of this conversation waits for a retry: queue behind it, never overtake it
            sendService.queued(send, key);
            retries.forward(record, key, send.messageId(), 0, Instant.EPOCH, SendRetries.BEHIND_EARLIER);
            log.info("Message {} (tenant {}) queued behind an earlier message of its conversation waiting for a retry",
                    send.messageId(), send.tenantId());
            return;
        }
        SendResult result = sendService.dispatch(send, key, false, !retries.enabled());
        switch (result) {
            case SendResult.Sent sent -> log.info("Message {} (tenant {}, media {}) sent on {} as {}",
                    send.messageId(), send.tenantId(), send.mediaId(), send.channel(), sent.providerMessageId());
            case SendResult.Failed failed when failed.retryable() && retries.enabled() -> {
                Instant due = retries.rounds().nextAfter(0, clock.instant()).orElseThrow();
                retries.forward(record, key, send.messageId(), 1, due, failed.code());
                log.info("Message {} (tenant {}, media {}) failed on {} ({} {}): retried at {} from {}",
                        send.messageId(), send.tenantId(), send.mediaId(), send.channel(), failed.code(),
                        failed.message(), due, Topics.SEND_RETRY_NAME);
                return;
            }
            case SendResult.Failed failed -> {
                log.info("Message {} (tenant {}, media {}) failed on {}: {} {}", send.messageId(), send.tenantId(),
                        send.mediaId(), send.channel(), failed.code(), failed.message());
                if (failed.retryable()) {
                    // retries spent on a failure that might pass later: keep the record for an operator
                    deadLetters.publish(record, failed.code(), failed.message());
                }
            }
        }
        rememberAfterCommit(send.messageId());
    }

    private static List<Integer> acceptedPartitions(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(p -> Topics.MEDIA_ACCEPTED_NAME.equals(p.topic()))
                .map(TopicPartition::partition).toList();
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
}
