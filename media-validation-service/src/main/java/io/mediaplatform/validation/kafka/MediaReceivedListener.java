package io.mediaplatform.validation.kafka;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.PoisonRecordException;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.antivirus.MalwareGate;
import io.mediaplatform.validation.detection.StoredMediaInspector;
import io.mediaplatform.validation.inbox.core.InboxSettingsBook;
import io.mediaplatform.validation.inbox.core.SettingsReadiness;
import io.mediaplatform.validation.policy.core.ContentProbe;
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
import java.time.Duration;

/**
 * Answers every {@code media.received.v1} event with exactly one {@code media.accepted.v1} or
 * {@code media.rejected.v1} event under the same key (consumer group {@code validation}). The listener runs in
 * a Kafka transaction (the producer has a {@code transactional.id}, the container a
 * {@code KafkaTransactionManager}): the answer and the consumed offset commit together, so read_committed
 * readers see one answer per event even when the service dies half-way. A record that cannot be decoded, or
 * is not a MediaReceived, goes to {@code media.received.v1.dlt} (in a transaction of its own).
 *
 * <p>Before the first record is judged it waits (bounded) until the inbox settings have been read to the end.
 * Media that passes the policy is scanned for malware when a scanner is configured; an infected one is
 * quarantined and rejected with MALWARE. When the scanner is down the listener throws and the record is retried.
 */
public class MediaReceivedListener {

    private static final Logger log = LoggerFactory.getLogger(MediaReceivedListener.class);

    private final StoredMediaInspector inspector;
    private final Validator validator;
    private final InboxSettingsBook inboxes;
    private final EventPublisher publisher;
    private final DecisionEvents events;
    private final MeterRegistry meters;
    private final MalwareGate malware;
    private final ObjectStorage storage;
    private final SettingsReadiness settings;
    private final Duration settingsWait;

    public MediaReceivedListener(StoredMediaInspector inspector, Validator validator, InboxSettingsBook inboxes,
                                 EventPublisher publisher, Clock clock, MeterRegistry meters, MalwareGate malware,
                                 ObjectStorage storage, SettingsReadiness settings, Duration settingsWait) {
        this.inspector = inspector;
        this.validator = validator;
        this.inboxes = inboxes;
        this.publisher = publisher;
        this.events = new DecisionEvents(clock);
        this.meters = meters;
        this.malware = malware;
        this.storage = storage;
        this.settings = settings;
        this.settingsWait = settingsWait;
    }

    /** Validates one received media and publishes the decision. */
    @KafkaListener(id = "validation-media-received", topics = Topics.MEDIA_RECEIVED_NAME, groupId = "validation",
            concurrency = "${validation.listener-concurrency:3}")
    public void on(ConsumerRecord<String, SpecificRecord> record) throws InterruptedException {
        if (!(record.value() instanceof MediaReceived received)) {
            throw new PoisonRecordException("NOT_MEDIA_RECEIVED", "expected a MediaReceived on " + record.topic()
                    + " but got " + (record.value() == null ? "no value" : record.value().getSchema().getFullName()));
        }
        if (!settings.isLoaded() && !settings.await(settingsWait)) {
            log.warn("inbox media settings not read to the end within {}: validating with what is loaded", settingsWait);
        }
        String detected = null;
        Decision decision;
        MediaRef media = received.getMedia();
        if (received.getFetchFailure() != null) {
            decision = new Decision.Rejected(Reason.FETCH_FAILED, "The media could not be fetched: " + received.getFetchFailure());
        } else if (media.getStorage() == null || !inspector.bucket().equals(media.getStorage().getBucket())) {
            decision = new Decision.Rejected(Reason.FETCH_FAILED, "The media is not stored in the media bucket");
        } else {
            String key = media.getStorage().getKey();
            try {
                StoredMediaInspector.Inspection inspection = inspector.inspect(key, media.getSize());
                detected = inspection.detectedType();
                decision = validator.decide(request(received, detected, inspection.probe()));
                if (decision instanceof Decision.Accepted) {
                    decision = malware.check(key).<Decision>map(rejected -> rejected).orElse(decision);
                }
            } catch (StoredMediaInspector.MediaMissingException e) {
                decision = storage.head(MalwareGate.QUARANTINE_PREFIX + key).isPresent()
                        ? new Decision.Rejected(Reason.MALWARE, "Malware found; the media was quarantined")
                        : new Decision.Rejected(Reason.FETCH_FAILED, "The stored media is gone");
            }
        }
        publish(record.key(), received, decision, detected);
    }

    private ValidationRequest request(MediaReceived received, String detected, ContentProbe probe) {
        MediaRef media = received.getMedia();
        return new ValidationRequest(
                received.getTenantId(),
                DecisionEvents.channel(media.getChannel()),
                DecisionEvents.direction(media.getDirection()),
                received.getMessage() == null ? null : DecisionEvents.kind(received.getMessage().getKind()),
                media.getDeclaredContentType(),
                media.getDeclaredFileName(),
                detected,
                media.getSize(),
                inboxes.rulesFor(received.getTenantId(), media.getInboxId()),
                probe);
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
