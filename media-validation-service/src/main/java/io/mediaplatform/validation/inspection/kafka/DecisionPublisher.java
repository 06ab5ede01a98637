package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.policy.core.Decision;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Writes a decision as {@code media.accepted.v1} or {@code media.rejected.v1} under the key of the event it answers
 * (inside the listener's open transaction), and hands back what to count and log once that transaction is committed:
 * {@code media.validation.decisions} and {@code media.validation.bytes}, and one line per media.
 */
final class DecisionPublisher {

    private static final Logger log = LoggerFactory.getLogger(MediaReceivedListener.class);

    private final EventPublisher publisher;
    private final DecisionEvents events;
    private final MeterRegistry meters;

    DecisionPublisher(EventPublisher publisher, Clock clock, MeterRegistry meters) {
        this.publisher = publisher;
        this.events = new DecisionEvents(clock);
        this.meters = meters;
    }

    /** Sends the answer; returns what to record after the commit. */
    Runnable publish(String key, MediaReceived received, Decision decision, String detected, MediaRendition rendition) {
        MediaRef media = received.getMedia();
        String channel = String.valueOf(media.getChannel());
        switch (decision) {
            case Decision.Accepted accepted -> {
                publisher.send(Topics.MEDIA_ACCEPTED, key, events.accepted(received, accepted, rendition));
                return () -> {
                    meters.counter("media.validation.decisions", "channel", channel, "kind", accepted.kind().name(),
                            "outcome", "accepted", "reason", "none").increment();
                    judgedBytes(channel, "accepted", media.getSize());
                    log.info("media accepted tenant={} mediaId={} kind={} type={} rendition={}", received.getTenantId(),
                            media.getMediaId(), accepted.kind(), accepted.detectedType(),
                            rendition == null ? "none" : rendition.getMediaId() + " (" + rendition.getConversion() + ")");
                };
            }
            case Decision.Rejected rejected -> {
                publisher.send(Topics.MEDIA_REJECTED, key, events.rejected(received, rejected, detected));
                return () -> {
                    meters.counter("media.validation.decisions", "channel", channel, "kind", "n/a",
                            "outcome", "rejected", "reason", rejected.reason().name()).increment();
                    judgedBytes(channel, "rejected", media.getSize());
                    log.info("media rejected tenant={} mediaId={} reason={} detail={}", received.getTenantId(),
                            media.getMediaId(), rejected.reason(), rejected.message());
                };
            }
        }
    }

    /** {@code media.validation.bytes}: the size of each media judged, by channel and outcome. */
    private void judgedBytes(String channel, String outcome, long size) {
        DistributionSummary.builder("media.validation.bytes").baseUnit("bytes")
                .description("Size of the media validation judged").tags("channel", channel, "outcome", outcome)
                .register(meters).record(size);
    }
}
