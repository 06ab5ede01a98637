package io.mediaplatform.callback.audit.kafka;

import io.mediaplatform.callback.audit.core.AuditEntry;
import io.mediaplatform.callback.audit.core.AuditTrail;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.OutboundMessage;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Builds the audit trail (ARCHITECTURE §16) from the events the status listeners take (same consumer group, same poll):
 * an outbound message with media ({@code media.received.v1}: who sent it, which media or asset, to whom, on which
 * channel), a customer's accepted media ({@code media.accepted.v1}, INBOUND), a rejection either way
 * ({@code media.rejected.v1}, with its reason) and every later status ({@code message.status.v1}). Each event adds what
 * it knows; replays change nothing.
 */
public class AuditEvents {

    private final AuditTrail trail;

    public AuditEvents(AuditTrail trail) {
        this.trail = trail;
    }

    /** Adds what the event tells of a shared file; other events are ignored. */
    public void record(SpecificRecord event) {
        entryOf(event).ifPresent(e -> trail.record(e.tenantId(), e.entry()));
    }

    /** Adds what each event tells, in their order and in one transaction ({@link AuditTrail#recordAll}). */
    public void recordAll(List<? extends SpecificRecord> events) {
        trail.recordAll(events.stream().map(AuditEvents::entryOf).flatMap(Optional::stream).toList());
    }

    /** What the event tells of a shared file, or empty for other events. */
    static Optional<AuditTrail.Tenanted> entryOf(SpecificRecord event) {
        AuditTrail.Tenanted tenanted = switch (event) {
            case MediaReceived e when e.getMessage() != null && e.getMedia().getDirection() != Direction.INBOUND ->
                    new AuditTrail.Tenanted(e.getTenantId(), entry(e.getMessage(), e.getMedia(), e.getOccurredAt(), "ACCEPTED", null, null));
            case MediaAccepted e when e.getMessage() != null && e.getMedia().getDirection() == Direction.INBOUND ->
                    new AuditTrail.Tenanted(e.getTenantId(), entry(e.getMessage(), e.getMedia(), e.getOccurredAt(), "ACCEPTED", null, null));
            case MediaRejected e when e.getMessage() != null -> new AuditTrail.Tenanted(e.getTenantId(), entry(e.getMessage(),
                    e.getMedia(), e.getOccurredAt(), "REJECTED", e.getReason().name(), e.getReasonMessage()));
            case DeliveryStatus e when e.getMessageId() != null && e.getStatus() != null -> new AuditTrail.Tenanted(e.getTenantId(),
                    new AuditEntry(e.getMessageId(), e.getOccurredAt(), e.getOccurredAt(), null, null, e.getMediaId(), null,
                            channel(e.getChannel()), null, e.getTo(), e.getStatus().name(),
                            e.getReason() == null ? null : e.getReason().toUpperCase(java.util.Locale.ROOT), e.getDetail()));
            default -> null; // plain uploads and other events carry no shared file
        };
        return Optional.ofNullable(tenanted);
    }

    private static AuditEntry entry(OutboundMessage message, MediaRef media, Instant at, String outcome, String reason,
                                    String reasonMessage) {
        boolean inbound = media.getDirection() == Direction.INBOUND;
        String actor = inbound ? message.getFrom()
                : message.getSentBy() != null ? message.getSentBy()
                : message.getClientId() != null ? "client:" + message.getClientId() : null;
        return new AuditEntry(message.getMessageId(), at, at, inbound ? "INBOUND" : "OUTBOUND", actor, media.getMediaId(),
                message.getAssetId(), channel(media.getChannel()), message.getFrom(), message.getTo(), outcome, reason,
                reasonMessage);
    }

    private static String channel(Channel channel) {
        return channel == null || channel == Channel.UNKNOWN ? null : channel.name();
    }
}
