package io.mediaplatform.ingest.inbound.kafka;

import io.mediaplatform.events.InboundMessage;
import io.mediaplatform.ingest.inbound.core.FetchState;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads {@code ingest.inbound-retry.v1} (group {@code ingest}), keeping it in due order with a constant hop: a record
 * is read no earlier than its Kafka timestamp + {@code INBOUND_RETRY_HOP}. Since every record waits the same hop, the
 * head of a partition is always the first to become readable; until it is, the listener negatively acknowledges it
 * with the remaining wait, which makes the container seek back and pause the partitions for that long while it keeps
 * polling (so the wait never counts against {@code max.poll.interval.ms}). A readable record whose
 * {@code fetch.nextAttemptAt} is still ahead is written again unchanged (a fresh timestamp: one more hop); a due one
 * is attempted like a fresh message. The offset is acknowledged only after that output is written, and the container
 * commits it (at-least-once); one record per poll, so a nack throws nothing away and a download never holds a poll
 * for longer than one attempt.
 */
public class InboundRetryListener {

    private static final Logger log = LoggerFactory.getLogger(InboundRetryListener.class);

    private final InboundProcessor processor;
    private final Duration hop;
    private final Clock clock;

    public InboundRetryListener(InboundProcessor processor, Duration hop, Clock clock) {
        this.processor = processor;
        this.hop = hop;
        this.clock = clock;
    }

    @KafkaListener(id = "ingest-inbound-retry", idIsGroup = false, topics = Topics.INBOUND_RETRY_NAME,
            containerFactory = "inboundRetryContainerFactory", properties = {"max.poll.records=1"})
    public void on(ConsumerRecord<String, Object> record, Acknowledgment ack) {
        Instant now = clock.instant();
        Instant readable = Instant.ofEpochMilli(record.timestamp()).plus(hop);
        if (readable.isAfter(now)) {
            // at most one hop: a timestamp from a clock far ahead must not pause the partitions for longer
            Duration wait = Duration.between(now, readable);
            ack.nack(wait.compareTo(hop) > 0 ? hop : wait);
            return;
        }
        InboundMessage message = InboundProcessor.valid(record);
        FetchState state = InboundEvents.state(message.getFetch());
        if (state != null && state.waiting(now)) {
            processor.writeAgain(record);
            log.debug("Inbound retry not due yet mediaId={} nextAttemptAt={}",
                    message.getAttachments().getFirst().getMediaId(), state.nextAttemptAt());
        } else {
            processor.process(record, message);
        }
        ack.acknowledge();
    }
}
