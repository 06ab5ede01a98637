package io.mediaplatform.callback.inbound.kafka;

import io.mediaplatform.callback.inbound.InboundRecorder;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.callback.audit.kafka.AuditEvents;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Records customers' accepted media ({@code media.accepted.v1} with direction INBOUND) as inbound messages. Accepted
 * outbound media is dispatch's business (it sends it) and is ignored here: its ACCEPTED status comes from
 * {@code media.received.v1}; so is inbound media without a customer's message (an upload), as before. Inbound rejections arrive on {@code media.rejected.v1}, whose one listener here
 * ({@link io.mediaplatform.callback.status.kafka.StatusEventsListener}) hands them over, so that the consumer group
 * reads each topic once. Consumer group: {@code spring.kafka.consumer.group-id} ({@code callback}).
 */
public class InboundMediaListener {

    private final InboundRecorder recorder;

    private final AuditEvents audit;

    public InboundMediaListener(InboundRecorder recorder, AuditEvents audit) {
        this.recorder = recorder;
        this.audit = audit;
    }

    @KafkaListener(id = "callback-media-accepted", idIsGroup = false, topics = Topics.MEDIA_ACCEPTED_NAME,
            concurrency = "${callback.listener-concurrency:3}")
    public void onAccepted(MediaAccepted event) {
        if (event.getMessage() == null || !InboundDecisionEvents.isInbound(event.getMedia())) {
            return;
        }
        recorder.record(InboundDecisionEvents.accepted(event));
        audit.record(event);
    }
}
