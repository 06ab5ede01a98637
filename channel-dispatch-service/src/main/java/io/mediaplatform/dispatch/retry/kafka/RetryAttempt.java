package io.mediaplatform.dispatch.retry.kafka;

import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.retry.core.RetryHead;
import io.mediaplatform.dispatch.retry.core.RetryParking;
import io.mediaplatform.dispatch.retry.core.RetryRounds;
import io.mediaplatform.dispatch.send.core.NextStep;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.support.AcceptedSends;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.dispatch.support.SendTracing;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.schemas.topics.Topics;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * One round of one due retry record, inside the retry worker's Kafka transaction: sends it like a fresh record
 * (QUEUED is not repeated), in the message's trace and with its ids in the log context, writes what {@link NextStep}
 * decides (the final status, a dead-letter copy) and says where the retry consumer's offset goes and what is done
 * once that is committed.
 */
final class RetryAttempt {

    /** The span name of a retried send, a child of the message's trace. */
    static final String LISTENER_ID = "dispatch-send-retry";

    private static final Logger log = LoggerFactory.getLogger(RetryAttempt.class);

    /**
     * What a round came to: the offset (and, while the head waits, its round and due time as metadata) to commit,
     * and what to do once committed.
     *
     * @param waiting the head's next round, or null when the partition moves past the record
     */
    record Outcome(long commitOffset, RetryHead waiting, Runnable afterCommit) {

        static Outcome past(ConsumerRecord<?, ?> record, Runnable afterCommit) {
            return new Outcome(record.offset() + 1, null, afterCommit);
        }

        static Outcome waitingAt(RetryHead head) {
            return new Outcome(head.offset(), head, () -> { });
        }

        /** Whether the partition moves on to its next record. */
        boolean moveOn() {
            return waiting == null;
        }

        /** The offset metadata: the waiting head's round and due time, or none. */
        String metadata() {
            return waiting == null ? null : waiting.metadata();
        }
    }

    private final AcceptedSends sends;
    private final SendService sendService;
    private final StatusSink statuses;
    private final SendLedger ledger;
    private final RetryParking parking;
    private final RetryRounds rounds;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private volatile ObservationRegistry observations;

    RetryAttempt(AcceptedSends sends, SendService sendService, StatusSink statuses, SendLedger ledger,
                 RetryParking parking, RetryRounds rounds, DeadLetters deadLetters, Clock clock) {
        this.sends = sends;
        this.sendService = sendService;
        this.statuses = statuses;
        this.ledger = ledger;
        this.parking = parking;
        this.rounds = rounds;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** Traces retried sends in the trace their record carries (its {@code traceparent}). */
    void observations(ObservationRegistry registry) {
        this.observations = registry;
    }

    /** A record that is no accepted media with a conversation key: copied to the retry topic's {@code .dlt}. */
    Outcome unreadable(ConsumerRecord<String, ?> record) {
        deadLetters.publishTo(Topics.SEND_RETRY.dlt(), record, "UNREADABLE",
                "not an accepted-media record with a conversation key");
        return Outcome.past(record, () -> { });
    }

    /**
     * One round of a due record. An {@code early} attempt (before the round's {@code due} time, its provider being
     * back) that fails keeps the round and its due time, and is never the last round.
     */
    Outcome attempt(ConsumerRecord<String, MediaAccepted> record, int round, Instant due, boolean early) {
        Optional<OutboundSend> send = sends.toSend(record);
        if (send.isEmpty()) {
            return Outcome.past(record, () -> { });
        }
        return SendTracing.traced(observations, record, LISTENER_ID, send.get(),
                () -> attempt(record, send.get(), round, due, early));
    }

    private Outcome attempt(ConsumerRecord<String, MediaAccepted> record, OutboundSend message, int round, Instant due,
                            boolean early) {
        String key = record.key();
        String messageId = message.messageId();
        if (ledger.finished(messageId)) {
            log.info("Message {} was already sent or finally failed: retry record {}-{}@{} skipped", messageId,
                    record.topic(), record.partition(), record.offset());
            return Outcome.past(record, () -> parking.release(key, messageId));
        }
        SendService.Attempt attempt = sendService.attempt(message);
        NextStep step = NextStep.after(attempt.result(), round, rounds, clock.instant());
        if (early && attempt.result() instanceof SendResult.Failed failed && failed.retryable()) {
            // an early attempt is this round again: a failure keeps the round and its due time
            log.info("Message {} (tenant {}) failed an early attempt of round {} ({} {}): round {} still at {}",
                    messageId, message.tenantId(), round, failed.code(), failed.message(), round, due);
            return Outcome.waitingAt(new RetryHead(record.offset(), round, due, clock.instant()));
        }
        switch (step) {
            case NextStep.RetryAt retry -> {
                log.info("Message {} (tenant {}) failed round {} of {} ({} {}): round {} at {}", messageId,
                        message.tenantId(), round, rounds.rounds(), retry.failed().code(), retry.failed().message(),
                        retry.round(), retry.due());
                return Outcome.waitingAt(new RetryHead(record.offset(), retry.round(), retry.due(), clock.instant()));
            }
            case NextStep.DeadLetter dead -> {
                statuses.publish(key, sendService.outcome(message, attempt));
                deadLetters.publishTo(Topics.MEDIA_ACCEPTED.dlt(), record, dead.failed().code(), dead.failed().message());
                log.info("Message {} (tenant {}) failed for good in round {}: {} {}", messageId, message.tenantId(),
                        round, dead.failed().code(), dead.failed().message());
            }
            case NextStep.Finished finished -> {
                statuses.publish(key, sendService.outcome(message, attempt));
                switch (finished.result()) {
                    case SendResult.Sent sent -> log.info("Message {} (tenant {}) sent in round {}{} as {}", messageId,
                            message.tenantId(), round, early ? " (early, its provider being back)" : "",
                            sent.providerMessageId());
                    case SendResult.Failed failed -> log.info("Message {} (tenant {}) failed for good in round {}: {} {}",
                            messageId, message.tenantId(), round, failed.code(), failed.message());
                }
            }
        }
        Instant finished = clock.instant();
        return Outcome.past(record, () -> {
            ledger.record(messageId, finished);
            parking.release(key, messageId);
        });
    }
}
