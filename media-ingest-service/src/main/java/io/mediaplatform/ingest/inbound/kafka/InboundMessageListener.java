package io.mediaplatform.ingest.inbound.kafka;

import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Reads {@code message.inbound.v1} (group {@code ingest}): the customer messages dispatch took from signed provider
 * webhooks. Each attachment is tried once here; one that failed for a reason that may pass continues on
 * {@code ingest.inbound-retry.v1} ({@link InboundRetryListener}). The offset is committed only after every outcome is
 * written, so a crash in between (or an ingest that was not running when dispatch answered the provider 2xx) leaves
 * the record to be read again, and nothing is lost.
 *
 * <p>One record per poll: a record holds up to 10 attachments, each download bounded by
 * {@code INGEST_FETCH_TOTAL_TIMEOUT} (120 s by default), so the poll interval is raised to 30 minutes to cover them.
 */
public class InboundMessageListener {

    private final InboundProcessor processor;

    public InboundMessageListener(InboundProcessor processor) {
        this.processor = processor;
    }

    @KafkaListener(id = "ingest-inbound", idIsGroup = false, topics = Topics.MESSAGE_INBOUND_NAME,
            properties = {"max.poll.records=1", "max.poll.interval.ms=1800000"})
    public void on(ConsumerRecord<String, Object> record) {
        processor.process(record, InboundProcessor.valid(record));
    }
}
