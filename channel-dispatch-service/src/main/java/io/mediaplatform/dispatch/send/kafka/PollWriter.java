package io.mediaplatform.dispatch.send.kafka;

import io.mediaplatform.dispatch.retry.core.LongRetries;
import io.mediaplatform.dispatch.send.core.NextStep;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.status.core.StatusUpdate;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes what each message of a {@code media.accepted.v1} poll came to, inside the poll's transaction and without
 * waiting (the broker's acknowledgements are collected): its QUEUED; then its SENT or FAILED, its forwarding to the
 * long retries (behind an earlier message of its conversation, or for a later round), or FAILED with its dead-letter
 * copy, as {@link NextStep} decided; and its log line.
 */
final class PollWriter {

    private static final Logger log = LoggerFactory.getLogger(MediaAcceptedListener.class);

    private final SendService sendService;
    private final LongRetries<ConsumerRecord<String, MediaAccepted>> retries;
    private final DeadLetters deadLetters;
    private final StatusSink statuses;

    PollWriter(SendService sendService, LongRetries<ConsumerRecord<String, MediaAccepted>> retries,
               DeadLetters deadLetters, StatusSink statuses) {
        this.sendService = sendService;
        this.retries = retries;
        this.deadLetters = deadLetters;
        this.statuses = statuses;
    }

    /** Publishes the message's QUEUED; the broker's acknowledgement. */
    CompletableFuture<?> queued(PolledSend item) {
        return status(item.key, item.queued);
    }

    /**
     * Writes what the message came to, adding the acknowledgements to wait for to {@code acks} and what to undo when
     * the transaction does not commit to {@code undo}.
     */
    void write(PolledSend item, List<CompletableFuture<?>> acks, List<Runnable> undo) {
        OutboundSend send = item.send;
        if (item.behind) {
            undo.add(retries.forward(item.record, item.key, send.messageId(), 0, Instant.EPOCH, LongRetries.BEHIND_EARLIER));
            log.info("Message {} (tenant {}) queued behind an earlier message of its conversation waiting for a retry",
                    send.messageId(), send.tenantId());
            return;
        }
        switch (item.step) {
            case NextStep.Finished finished -> {
                acks.add(status(item.key, sendService.outcome(send, item.attempt)));
                switch (finished.result()) {
                    case SendResult.Sent sent -> log.info("Message {} (tenant {}, media {}) sent on {} as {}",
                            send.messageId(), send.tenantId(), send.mediaId(), send.channel(), sent.providerMessageId());
                    case SendResult.Failed failed -> log.info("Message {} (tenant {}, media {}) failed on {}: {} {}",
                            send.messageId(), send.tenantId(), send.mediaId(), send.channel(), failed.code(),
                            failed.message());
                }
            }
            case NextStep.RetryAt retry -> {
                undo.add(retries.forward(item.record, item.key, send.messageId(), retry.round(), retry.due(),
                        retry.failed().code()));
                log.info("Message {} (tenant {}, media {}) failed on {} ({} {}): retried at {} from {}",
                        send.messageId(), send.tenantId(), send.mediaId(), send.channel(), retry.failed().code(),
                        retry.failed().message(), retry.due(), Topics.SEND_RETRY_NAME);
            }
            case NextStep.DeadLetter dead -> {
                acks.add(status(item.key, sendService.outcome(send, item.attempt)));
                // retries spent on a failure that might pass later: keep the record for an operator
                deadLetters.publish(item.record, dead.failed().code(), dead.failed().message());
                log.info("Message {} (tenant {}, media {}) failed on {}: {} {}", send.messageId(), send.tenantId(),
                        send.mediaId(), send.channel(), dead.failed().code(), dead.failed().message());
            }
        }
    }

    private CompletableFuture<?> status(String key, StatusUpdate update) {
        return statuses.send(key, update);
    }
}
