package io.mediaplatform.ingest.fallback.kafka;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.ingest.fallback.core.FallbackDecision;
import io.mediaplatform.ingest.fallback.core.FallbackPlan;
import io.mediaplatform.ingest.fallback.core.FallbackPlans;
import io.mediaplatform.ingest.fallback.core.FallbackTrigger;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Optional;

/**
 * Channel fallback (ARCHITECTURE §4): a message with a plan that ends FAILED ({@code message.status.v1}) or REJECTED
 * ({@code media.rejected.v1}) has its plan claimed and, when {@link FallbackDecision} finds a next channel, the next
 * attempt published on {@code message.send-requested.v1} before the claim commits. Its own consumer group, so that
 * it sees every rejection beside {@code ValidationOutcomeListener}.
 */
@Component
public class FallbackListener {

    private static final Logger log = LoggerFactory.getLogger(FallbackListener.class);

    private final FallbackPlans plans;
    private final EventPublisher publisher;
    private final Clock clock;

    public FallbackListener(FallbackPlans plans, EventPublisher publisher, Clock clock) {
        this.plans = plans;
        this.publisher = publisher;
        this.clock = clock;
    }

    @KafkaListener(id = "ingest-fallback-rejected", groupId = "ingest-fallback", topics = Topics.MEDIA_REJECTED_NAME)
    public void onRejected(MediaRejected event) {
        if (event.getMessage() == null || event.getMedia() == null || event.getMedia().getDirection() != Direction.OUTBOUND) {
            return;
        }
        String stored = event.getMedia().getStorage() == null ? null : event.getMedia().getMediaId();
        trigger(event.getTenantId(), event.getMessage().getMessageId(),
                new FallbackTrigger(FallbackTrigger.Outcome.REJECTED, event.getReason().name(), stored));
    }

    @KafkaListener(id = "ingest-fallback-status", groupId = "ingest-fallback", topics = Topics.MESSAGE_STATUS_NAME)
    public void onStatus(DeliveryStatus event) {
        if (event.getStatus() != MessageStatus.FAILED) {
            return;
        }
        trigger(event.getTenantId(), event.getMessageId(),
                new FallbackTrigger(FallbackTrigger.Outcome.FAILED, event.getReason(), event.getMediaId()));
    }

    private void trigger(String tenantId, String messageId, FallbackTrigger trigger) {
        if (tenantId == null || messageId == null) {
            return;
        }
        Optional<FallbackPlan> claimed = plans.claim(tenantId, messageId, plan -> {
            switch (FallbackDecision.next(plan, trigger)) {
                case FallbackDecision.TryNext next -> {
                    SendMediaMessage command = FallbackCommands.command(next.followUp(), clock.instant());
                    publisher.sendAndWait(Topics.SEND_REQUESTED, Topics.conversationKey(command.getConversationId(),
                            command.getChannel().name(), command.getMessage().getTo()), command);
                    log.info("Fallback tenant={} messageId={} ended {} ({}): attempt {} messageId={} on {}", tenantId,
                            messageId, trigger.outcome(), trigger.reason(), next.followUp().attempt(),
                            next.followUp().messageId(), next.followUp().channel());
                }
                case FallbackDecision.Stop stop -> log.info("No fallback for tenant={} messageId={} after {}: {}",
                        tenantId, messageId, trigger.outcome(), stop.why());
            }
        });
        if (claimed.isEmpty()) {
            log.debug("No open fallback plan tenant={} messageId={}", tenantId, messageId);
        }
    }
}
