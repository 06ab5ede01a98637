package io.mediaplatform.validation.kafka;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.PoisonRecordException;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.detection.StoredMediaInspector;
import io.mediaplatform.validation.inbox.core.InboxSettingsBook;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Reason;
import io.mediaplatform.validation.policy.core.ValidationRequest;
import io.mediaplatform.validation.policy.core.Validator;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

import java.time.Clock;

/**
 * Answers every {@code media.received.v1} event with one {@code media.accepted.v1} or
 * {@code media.rejected.v1} event under the same key (consumer group {@code validation}). The answer is
 * published and acknowledged by the broker before the offset is committed: at-least-once, so a crash
 * between the two may answer an event twice (consumers dedupe on {@code receivedEventId}). A record that
 * cannot be decoded, or is not a MediaReceived, goes to {@code media.received.v1.dlt}.
 */
public class MediaReceivedListener {

    private static final Logger log = LoggerFactory.getLogger(MediaReceivedListener.class);

    private final StoredMediaInspector inspector;
    private final Validator validator;
    private final InboxSettingsBook inboxes;
    private final EventPublisher publisher;
    private final DecisionEvents events;
    private final MeterRegistry meters;

    public MediaReceivedListener(StoredMediaInspector inspector, Validator validator, InboxSettingsBook inboxes,
                                 EventPublisher publisher, Clock clock, MeterRegistry meters) {
        this.inspector = inspector;
        this.validator = validator;
        this.inboxes = inboxes;
        this.publisher = publisher;
        this.events = new DecisionEvents(clock);
        this.meters = meters;
    }

    /** Validates one received media and publishes the decision. */
    @KafkaListener(id = "validation-media-received", topics = Topics.MEDIA_RECEIVED_NAME, groupId = "validation")
    public void on(ConsumerRecord<String, SpecificRecord> record) {
        if (!(record.value() instanceof MediaReceived received)) {
            throw new PoisonRecordException("NOT_MEDIA_RECEIVED", "expected a MediaReceived on " + record.topic()
                    + " but got " + (record.value() == null ? "no value" : record.value().getSchema().getFullName()));
        }
        String detected = null;
        Decision decision;
        MediaRef media = received.getMedia();
        if (received.getFetchFailure() != null) {
            decision = new Decision.Rejected(Reason.FETCH_FAILED, "The media could not be fetched: " + received.getFetchFailure());
        } else if (media.getStorage() == null || !inspector.bucket().equals(media.getStorage().getBucket())) {
            decision = new Decision.Rejected(Reason.FETCH_FAILED, "The media is not stored in the media bucket");
        } else {
            try {
                detected = inspector.detect(media.getStorage().getKey(), media.getSize());
                decision = validator.decide(request(received, detected));
            } catch (StoredMediaInspector.MediaMissingException e) {
                decision = new Decision.Rejected(Reason.FETCH_FAILED, "The stored media is gone");
            }
        }
        publish(record.key(), received, decision, detected);
    }

    private ValidationRequest request(MediaReceived received, String detected) {
        MediaRef media = received.getMedia();
        return new ValidationRequest(
                DecisionEvents.channel(media.getChannel()),
                DecisionEvents.direction(media.getDirection()),
                received.getMessage() == null ? null : DecisionEvents.kind(received.getMessage().getKind()),
                media.getDeclaredContentType(),
                media.getDeclaredFileName(),
                detected,
                media.getSize(),
                inboxes.rulesFor(received.getTenantId(), media.getInboxId()));
    }

    private void publish(String key, MediaReceived received, Decision decision, String detected) {
        MediaRef media = received.getMedia();
        String channel = String.valueOf(media.getChannel());
        switch (decision) {
            case Decision.Accepted accepted -> {
                publisher.sendAndWait(Topics.MEDIA_ACCEPTED, key, events.accepted(received, accepted));
                meters.counter("media.validation.decisions", "channel", channel, "kind", accepted.kind().name(),
                        "outcome", "accepted", "reason", "none").increment();
                log.info("media accepted tenant={} mediaId={} kind={} type={}", received.getTenantId(),
                        media.getMediaId(), accepted.kind(), accepted.detectedType());
            }
            case Decision.Rejected rejected -> {
                publisher.sendAndWait(Topics.MEDIA_REJECTED, key, events.rejected(received, rejected, detected));
                meters.counter("media.validation.decisions", "channel", channel, "kind", "n/a",
                        "outcome", "rejected", "reason", rejected.reason().name()).increment();
                log.info("media rejected tenant={} mediaId={} reason={} detail={}", received.getTenantId(),
                        media.getMediaId(), rejected.reason(), rejected.message());
            }
        }
    }
}
