package io.mediaplatform.ingest.messages.kafka;

import io.mediaplatform.common.kafka.BatchRecords;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.PendingSends;
import io.mediaplatform.common.kafka.PoisonRecordException;
import io.mediaplatform.common.tracing.Traces;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.ingest.config.IngestProperties;
import io.mediaplatform.ingest.fallback.core.FallbackPlans;
import io.mediaplatform.ingest.fallback.core.TenantFallbacks;
import io.mediaplatform.ingest.fallback.kafka.FallbackCommands;
import io.mediaplatform.ingest.media.kafka.MediaIngestor;
import io.mediaplatform.ingest.media.core.FileNames;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.fetch.MediaFetcher;
import io.mediaplatform.ingest.media.kafka.MediaEvents;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.schemas.topics.Topics;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Resolves the media of each {@code message.send-requested.v1} command (stored media by id, or fetched from
 * its URL) and hands it to validation on {@code media.received.v1} with the message, keyed by conversation.
 * A command that can never be processed (unknown media for the tenant, neither or both of mediaId and
 * mediaUrl) goes to {@code message.send-requested.v1.dlt}, and, when it names a message, that message is rejected
 * like one whose media could not be fetched (so {@code GET /v1/messages/{id}} and its callbacks tell the sender). A URL that cannot be fetched still produces a
 * {@code media.received} event, with {@code fetchFailure} set, so validation rejects it as FETCH_FAILED and
 * the client hears about it. Commands are taken a poll at a time: their events are sent without waiting for each
 * ack and the poll's offsets commit once the broker has all of them (see {@link #on}). A message with fallback
 * channels (its own, else its tenant's defaults, {@code FALLBACK_TENANTS}) has its plan kept first
 * ({@link FallbackPlans}), so that its FAILED or REJECTED leads to the next channel.
 */
@Component
public class SendRequestedListener {

    private static final Logger log = LoggerFactory.getLogger(SendRequestedListener.class);

    private final MediaStore store;
    private final MediaFetcher fetcher;
    private final MediaIngestor ingestor;
    private final EventPublisher publisher;
    private final FallbackPlans fallbackPlans;
    private final TenantFallbacks tenantFallbacks;
    private final Clock clock;
    private final ObservationRegistry observations;

    public SendRequestedListener(MediaStore store, MediaFetcher fetcher, MediaIngestor ingestor,
                                 EventPublisher publisher, FallbackPlans fallbackPlans, IngestProperties properties,
                                 Clock clock, ObjectProvider<ObservationRegistry> observations) {
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
        this.store = store;
        this.fetcher = fetcher;
        this.ingestor = ingestor;
        this.publisher = publisher;
        this.fallbackPlans = fallbackPlans;
        this.tenantFallbacks = TenantFallbacks.parse(properties.fallback().tenants());
        this.clock = clock;
    }

    /**
     * Resolves a poll's commands in order, publishing without waiting for each ack, then waits for all of them
     * before the container commits the poll's offsets (one broker round trip per poll, not per command). A
     * command that fails is handed to the error handler once everything before it is durable: the records
     * before it are committed, it is retried or dead-lettered, the rest are delivered again.
     */
    @KafkaListener(id = "ingest-send-requested", idIsGroup = false, topics = Topics.SEND_REQUESTED_NAME,
            concurrency = "${ingest.listener-concurrency:3}", batch = "true")
    public void on(List<ConsumerRecord<String, Object>> records) {
        PendingSends sends = publisher.pending();
        for (ConsumerRecord<String, Object> record : records) {
            try {
                if (!(BatchRecords.value(record) instanceof SendMediaMessage command)) {
                    throw new PoisonRecordException("INVALID_COMMAND", "expected a SendMediaMessage on " + record.topic());
                }
                // a batch listener: the command's own trace is continued here, so media.received carries it on
                Traces.observe(observations, record, "ingest-send-requested", () -> {
                    resolve(command, (key, event) -> sends.send(record, Topics.MEDIA_RECEIVED, key, event));
                    return null;
                });
            } catch (RuntimeException e) {
                sends.awaitAll();
                throw BatchRecords.failed(record, e);
            }
        }
        sends.awaitAll();
    }

    private void resolve(SendMediaMessage command, BiConsumer<String, MediaReceived> announce) {
        String tenantId = command.getTenantId();
        OutboundMessage message = command.getMessage();
        if (tenantId == null || tenantId.isBlank() || tenantId.contains("/")) {
            throw new PoisonRecordException("INVALID_COMMAND", "tenantId is missing or invalid");
        }
        if (command.getChannel() == null || command.getChannel() == Channel.UNKNOWN) {
            throw new PoisonRecordException("INVALID_COMMAND", "channel is unknown");
        }
        if (message == null || message.getTo() == null || message.getTo().isBlank()) {
            throw new PoisonRecordException("INVALID_COMMAND", "message.to is required");
        }
        // before the media is announced, so that the attempt cannot end before its plan is kept
        FallbackCommands.planOf(command, tenantFallbacks).ifPresent(fallbackPlans::record);
        boolean hasId = notBlank(command.getMediaId());
        boolean hasUrl = notBlank(command.getMediaUrl());
        String conversation = Topics.conversationKey(command.getConversationId(), command.getChannel().name(), message.getTo());
        if (hasId == hasUrl) {
            throw refused(command, conversation, announce, "INVALID_COMMAND", "exactly one of mediaId and mediaUrl must be set");
        }
        if (hasId) {
            MediaInfo media = store.findForSend(tenantId, command.getMediaId()).orElseThrow(() ->
                    refused(command, conversation, announce, "UNKNOWN_MEDIA", "no media " + command.getMediaId() + " for the tenant"));
            MediaRef ref = MediaEvents.ref(media, store.bucket(), MediaKeys.media(tenantId, media.mediaId()), conversation,
                    command.getChannel(), Direction.OUTBOUND,
                    command.getInboxId() != null ? command.getInboxId() : media.inboxId());
            announce.accept(conversation, MediaEvents.received(tenantId, ref, message, null, clock.instant()));
            log.info("Send request resolved tenant={} messageId={} mediaId={}", tenantId, message.getMessageId(), media.mediaId());
            return;
        }
        MediaFetcher.Context context = new MediaFetcher.Context(tenantId, conversation, command.getChannel().name(),
                Direction.OUTBOUND.name(), command.getInboxId());
        switch (fetcher.fetch(context, command.getMediaUrl(), command.getMediaContentType(), message.getFileName())) {
            case MediaFetcher.Fetched fetched -> {
                MediaInfo media = fetched.media();
                ingestor.announce(media, MediaEvents.ref(media, store.bucket(), MediaKeys.media(tenantId, media.mediaId())),
                        message);
            }
            case MediaFetcher.Failed failed -> {
                announceUnavailable(command, conversation, announce, MediaKeys.newMediaId(), failed.reason());
                log.info("Media fetch failed tenant={} messageId={} reason={}", tenantId, message.getMessageId(), failed.reason());
            }
        }
    }

    /**
     * A command that can never be carried out but names a message: the sender learns its fate like any other
     * message's. A media.received without stored media and with the reason as {@code fetchFailure} makes validation
     * reject it (FETCH_FAILED, the reason in its message), so the message ends REJECTED in the message API and its
     * callbacks are told; the command itself still goes to the .dlt (the returned exception).
     */
    private PoisonRecordException refused(SendMediaMessage command, String conversation,
                                          BiConsumer<String, MediaReceived> announce, String code, String reason) {
        OutboundMessage message = command.getMessage();
        if (message.getMessageId() != null && !message.getMessageId().isBlank()) {
            announceUnavailable(command, conversation, announce,
                    MediaKeys.isMediaId(command.getMediaId()) ? command.getMediaId() : MediaKeys.newMediaId(), code + ": " + reason);
            log.info("Send request refused tenant={} messageId={} reason={}", command.getTenantId(), message.getMessageId(), code);
        }
        return new PoisonRecordException(code, reason);
    }

    /** Hands validation the command's message with no stored media and why: validation rejects it FETCH_FAILED. */
    private void announceUnavailable(SendMediaMessage command, String conversation,
                                     BiConsumer<String, MediaReceived> announce, String mediaId, String why) {
        OutboundMessage message = command.getMessage();
        MediaRef ref = MediaRef.newBuilder()
                .setMediaId(mediaId)
                .setConversationId(conversation)
                .setInboxId(command.getInboxId())
                .setChannel(command.getChannel())
                .setDirection(Direction.OUTBOUND)
                .setDeclaredFileName(message.getFileName() == null ? null : FileNames.sanitize(message.getFileName()))
                .setDeclaredContentType(command.getMediaContentType())
                .setSize(0)
                .setSha256("")
                .setStorage(null)
                .build();
        announce.accept(conversation, MediaEvents.received(command.getTenantId(), ref, message, why, clock.instant()));
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
