package io.mediaplatform.ingest.inbound.kafka;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.PoisonRecordException;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.InboundAttachment;
import io.mediaplatform.events.InboundMessage;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.ingest.inbound.core.FetchDecision;
import io.mediaplatform.ingest.inbound.core.FetchPolicy;
import io.mediaplatform.ingest.inbound.core.FetchState;
import io.mediaplatform.ingest.inbound.core.InboundMedia;
import io.mediaplatform.ingest.inbound.core.Provider;
import io.mediaplatform.ingest.inbound.fetch.InboundMediaFetcher;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What both inbound listeners do with a record: check it (a record that can never be processed is poison, for the
 * topic's {@code .dlt}), then for each attachment try the download once and write the outcome, waiting for the
 * broker each time, before the listener lets its offset be committed (at-least-once: a crash before the commit
 * reads the record again, and media already stored is announced again without a download):
 * <ul>
 *   <li>stored: {@code MediaReceived} (direction INBOUND, the customer's message, {@code inbound} details) on
 *   {@code media.received.v1}, keyed by the conversation;</li>
 *   <li>retry: the message with just that attachment and its fetch state on {@code ingest.inbound-retry.v1}, same
 *   key (so the same partition);</li>
 *   <li>give up: {@code MediaReceived} with {@code fetchFailure} and no storage, so validation rejects it
 *   FETCH_FAILED and the client hears of it.</li>
 * </ul>
 */
public class InboundProcessor {

    /**
     * Header of a retry record: how many attachments the provider message had (a retry record holds only one, and
     * {@code InboundDetails.attachmentCount} must still tell the original count).
     */
    public static final String ATTACHMENT_COUNT_HEADER = "ingest_inbound-attachment-count";

    private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);

    private final InboundMediaFetcher fetcher;
    private final FetchPolicy policy;
    private final MediaStore store;
    private final EventPublisher publisher;
    private final KafkaTemplate<Object, Object> template;
    private final Clock clock;

    public InboundProcessor(InboundMediaFetcher fetcher, FetchPolicy policy, MediaStore store, EventPublisher publisher,
                            KafkaTemplate<Object, Object> template, Clock clock) {
        this.fetcher = fetcher;
        this.policy = policy;
        this.store = store;
        this.publisher = publisher;
        this.template = template;
        this.clock = clock;
    }

    /**
     * The record's message, checked.
     *
     * @throws PoisonRecordException when it can never be processed
     */
    static InboundMessage valid(ConsumerRecord<String, ?> record) {
        if (!(record.value() instanceof InboundMessage message)) {
            throw new PoisonRecordException("NOT_INBOUND_MESSAGE", "expected an InboundMessage on " + record.topic()
                    + " but got " + (record.value() == null ? "no value" : record.value().getClass().getSimpleName()));
        }
        String tenant = message.getTenantId();
        if (tenant == null || tenant.isBlank() || tenant.contains("/")) {
            throw new PoisonRecordException("INVALID_INBOUND", "tenantId is missing or invalid");
        }
        if (Provider.of(message.getProvider()).isEmpty()) {
            throw new PoisonRecordException("INVALID_INBOUND", "provider must be whatsapp, twilio or notify");
        }
        if (message.getChannel() == null || message.getChannel() == Channel.UNKNOWN) {
            throw new PoisonRecordException("INVALID_INBOUND", "channel is unknown");
        }
        if (blank(message.getConversationId()) && blank(record.key())) {
            throw new PoisonRecordException("INVALID_INBOUND", "conversationId is missing");
        }
        if (message.getAttachments() == null || message.getAttachments().isEmpty()) {
            throw new PoisonRecordException("INVALID_INBOUND", "the message has no attachments");
        }
        Set<String> mediaIds = new HashSet<>();
        for (InboundAttachment a : message.getAttachments()) {
            if (!MediaKeys.isMediaId(a.getMediaId()) || !MediaKeys.isMediaId(a.getMessageId())) {
                throw new PoisonRecordException("INVALID_INBOUND", "attachment " + a.getIndex()
                        + ": messageId and mediaId must be lower-case UUIDs");
            }
            if (!mediaIds.add(a.getMediaId())) {
                throw new PoisonRecordException("INVALID_INBOUND", "attachment " + a.getIndex() + ": mediaId is repeated");
            }
            boolean whatsapp = "whatsapp".equals(message.getProvider());
            if (whatsapp ? blank(a.getProviderMediaId()) : blank(a.getUrl())) {
                throw new PoisonRecordException("INVALID_INBOUND", "attachment " + a.getIndex() + ": no "
                        + (whatsapp ? "providerMediaId" : "url") + " to fetch it from");
            }
        }
        return message;
    }

    /** Processes a checked record: each attachment tried once and its outcome written. */
    void process(ConsumerRecord<String, ?> record, InboundMessage message) {
        String key = blank(record.key()) ? message.getConversationId() : record.key();
        String conversationId = blank(message.getConversationId()) ? key : message.getConversationId();
        Provider provider = Provider.of(message.getProvider()).orElseThrow();
        int count = attachmentCount(record, message);
        FetchState previous = InboundEvents.state(message.getFetch());
        for (InboundAttachment attachment : message.getAttachments()) {
            InboundMedia media = InboundEvents.media(message, provider, attachment);
            Instant now = clock.instant();
            FetchDecision decision = switch (fetcher.fetch(media)) {
                case InboundMediaFetcher.Stored stored -> new FetchDecision.Stored(stored.media(), stored.existed());
                case InboundMediaFetcher.Failed failed -> policy.afterFailure(failed.failure(), previous, now);
            };
            switch (decision) {
                case FetchDecision.Stored stored -> {
                    MediaReceived event = InboundEvents.received(message, conversationId, attachment, count,
                            stored.media(), store.bucket(), clock.instant());
                    publisher.sendAndWait(Topics.MEDIA_RECEIVED, key, event);
                    log.info("Inbound media received tenant={} messageId={} mediaId={} again={}", message.getTenantId(),
                            attachment.getMessageId(), attachment.getMediaId(), stored.existed());
                }
                case FetchDecision.RetryAt retry -> {
                    ProducerRecord<Object, Object> out = new ProducerRecord<>(Topics.INBOUND_RETRY_NAME, key,
                            InboundEvents.retry(message, attachment, retry.state()));
                    out.headers().add(ATTACHMENT_COUNT_HEADER, Integer.toString(count).getBytes(StandardCharsets.UTF_8));
                    sendAndWait(out);
                    log.info("Inbound media download will be retried tenant={} messageId={} mediaId={} attempts={} at={}"
                                    + " reason={}", message.getTenantId(), attachment.getMessageId(), attachment.getMediaId(),
                            retry.state().attempts(), retry.at(), retry.reason());
                }
                case FetchDecision.GiveUp giveUp -> {
                    MediaReceived event = InboundEvents.failed(message, conversationId, attachment, count,
                            giveUp.reason(), clock.instant());
                    publisher.sendAndWait(Topics.MEDIA_RECEIVED, key, event);
                    log.info("Inbound media could not be fetched tenant={} messageId={} mediaId={} reason={}",
                            message.getTenantId(), attachment.getMessageId(), attachment.getMediaId(), giveUp.reason());
                }
            }
        }
    }

    /** Writes {@code record} again as it is (value, key and headers), with a new timestamp. */
    void writeAgain(ConsumerRecord<String, ?> record) {
        ProducerRecord<Object, Object> out = new ProducerRecord<>(record.topic(), record.key(), record.value());
        for (Header header : record.headers()) {
            if (!header.key().startsWith("kafka_") && !header.key().startsWith("__")) {
                out.headers().add(header);
            }
        }
        sendAndWait(out);
    }

    private void sendAndWait(ProducerRecord<Object, Object> record) {
        try {
            template.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not write to " + record.topic(), e.getCause() == null ? e : e.getCause());
        }
    }

    private static int attachmentCount(ConsumerRecord<String, ?> record, InboundMessage message) {
        Header header = record.headers().lastHeader(ATTACHMENT_COUNT_HEADER);
        int fromMessage = message.getAttachments().stream().mapToInt(a -> a.getIndex() + 1).max().orElse(0);
        fromMessage = Math.max(fromMessage, message.getAttachments().size());
        if (header != null) {
            try {
                return Math.max(fromMessage, Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8).trim()));
            } catch (NumberFormatException ignored) {
                // fall back to what the message shows
            }
        }
        return message.getFetch() == null ? message.getAttachments().size() : fromMessage;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
