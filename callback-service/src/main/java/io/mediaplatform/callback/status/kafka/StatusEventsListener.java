package io.mediaplatform.callback.status.kafka;

import io.mediaplatform.callback.audit.kafka.AuditEvents;
import io.mediaplatform.callback.status.core.Conversion;
import io.mediaplatform.events.MediaConversion;
import io.mediaplatform.callback.inbound.InboundRecorder;
import io.mediaplatform.callback.inbound.kafka.InboundDecisionEvents;
import io.mediaplatform.callback.status.StatusRecorder;
import io.mediaplatform.callback.status.core.Status;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.callback.webhook.WebhookTraces;
import io.mediaplatform.common.kafka.PoisonRecordException;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

import java.util.List;

/**
 * Turns the events of {@code media.received.v1} (ACCEPTED), {@code media.rejected.v1} (REJECTED) and
 * {@code message.status.v1} into {@link StatusEvent}s for the {@link StatusRecorder}. Media without a message
 * (plain uploads, inbound media uploaded without one) is ignored. A customer's media (direction INBOUND) is no outbound message: its media.received
 * is ignored (the message is recorded from validation's decision), and its media.rejected is handed to the
 * {@link InboundRecorder} (as {@code media.accepted.v1} is by
 * {@link io.mediaplatform.callback.inbound.kafka.InboundMediaListener}). Consumer group:
 * {@code spring.kafka.consumer.group-id} ({@code callback}). Each listener takes a whole poll at once and records
 * its events in one transaction ({@link PollBatch}); a record it cannot take goes to the topic's {@code .dlt} alone.
 */
public class StatusEventsListener {

    private final StatusRecorder recorder;
    private final InboundRecorder inbound;
    private final AuditEvents audit;

    private volatile WebhookTraces traces;

    public StatusEventsListener(StatusRecorder recorder, InboundRecorder inbound, AuditEvents audit) {
        this.recorder = recorder;
        this.inbound = inbound;
        this.audit = audit;
    }

    /** Where the trace of each message is noted for its webhooks. */
    public StatusEventsListener traces(WebhookTraces traces) {
        this.traces = traces;
        return this;
    }

    private void noteTraces(List<? extends ConsumerRecord<?, ?>> records) {
        WebhookTraces known = traces;
        if (known != null) {
            records.forEach(known::remember);
        }
    }

    @KafkaListener(id = "callback-media-received", idIsGroup = false, topics = Topics.MEDIA_RECEIVED_NAME,
            concurrency = "${callback.listener-concurrency:3}", batch = "true")
    public void onReceived(List<ConsumerRecord<String, MediaReceived>> records) {
        noteTraces(records);
        PollBatch.process(records, recorder, audit, this::takeReceived);
    }

    private void takeReceived(PollBatch batch, MediaReceived event) {
        batch.audit(event);
        OutboundMessage message = event.getMessage();
        if (message == null || InboundDecisionEvents.isInbound(event.getMedia())) {
            return;
        }
        batch.add(new StatusEvent(event.getEventId(), event.getTenantId(), message.getMessageId(), Status.ACCEPTED,
                event.getOccurredAt(), channel(event.getMedia().getChannel()), message.getTo(),
                event.getMedia().getConversationId(), message.getExternalId(), message.getClientId(),
                event.getMedia().getMediaId(), message.getCallbackUrls(), null, null, null, message.getFallbackOf(),
                attempt(message)));
    }

    @KafkaListener(id = "callback-media-rejected", idIsGroup = false, topics = Topics.MEDIA_REJECTED_NAME,
            concurrency = "${callback.listener-concurrency:3}", batch = "true")
    public void onRejected(List<ConsumerRecord<String, MediaRejected>> records) {
        PollBatch.process(records, recorder, audit, this::takeRejected);
    }

    private void takeRejected(PollBatch batch, MediaRejected event) {
        batch.audit(event);
        OutboundMessage message = event.getMessage();
        if (message == null) {
            return;
        }
        if (InboundDecisionEvents.isInbound(event.getMedia())) {
            batch.then(() -> inbound.record(InboundDecisionEvents.rejected(event)));
            return;
        }
        batch.add(new StatusEvent(event.getEventId(), event.getTenantId(), message.getMessageId(), Status.REJECTED,
                event.getOccurredAt(), channel(event.getMedia().getChannel()), message.getTo(),
                event.getMedia().getConversationId(), message.getExternalId(), message.getClientId(),
                event.getMedia().getMediaId(), message.getCallbackUrls(), null, event.getReason().name(),
                event.getReasonMessage(), message.getFallbackOf(), attempt(message)));
    }

    @KafkaListener(id = "callback-message-status", idIsGroup = false, topics = Topics.MESSAGE_STATUS_NAME,
            concurrency = "${callback.listener-concurrency:3}", batch = "true")
    public void onStatuses(List<ConsumerRecord<String, DeliveryStatus>> records) {
        noteTraces(records);
        PollBatch.process(records, recorder, audit, this::takeStatus);
    }

    private void takeStatus(PollBatch batch, DeliveryStatus event) {
        Status status = status(event);
        batch.audit(event);
        batch.add(new StatusEvent(event.getEventId(), event.getTenantId(), event.getMessageId(), status,
                event.getOccurredAt(), channel(event.getChannel()), event.getTo(), event.getConversationId(), null, null,
                event.getMediaId(), List.of(), event.getProviderMessageId(),
                event.getReason() == null ? null : event.getReason().toUpperCase(java.util.Locale.ROOT), event.getDetail(),
                null, null, converted(event.getConverted())));
    }

    /** What auto-fit converted, as QUEUED tells it; null when nothing was. */
    private static Conversion converted(MediaConversion conversion) {
        return conversion == null ? null : new Conversion(conversion.getRenditionMediaId(),
                conversion.getFromContentType(), conversion.getToContentType(), conversion.getFromSize(),
                conversion.getToSize());
    }

    private static Status status(DeliveryStatus event) {
        MessageStatus status = event.getStatus();
        if (status == null || status == MessageStatus.UNKNOWN) {
            throw new PoisonRecordException("UNKNOWN_STATUS", "event " + event.getEventId() + " has a status this service does not know");
        }
        return Status.valueOf(status.name());
    }

    /** The attempt number of a channel-fallback attempt; null for a message that is not one. */
    private static Integer attempt(OutboundMessage message) {
        return message.getFallbackOf() == null ? null : message.getAttempt();
    }

    private static String channel(Channel channel) {
        return channel == null || channel == Channel.UNKNOWN ? null : channel.name();
    }
}
