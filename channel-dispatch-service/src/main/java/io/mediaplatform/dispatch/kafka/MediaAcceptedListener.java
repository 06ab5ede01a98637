package io.mediaplatform.dispatch.kafka;

import io.mediaplatform.dispatch.DispatchApplication;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Sends accepted outbound media: for each {@code media.accepted.v1} event with a message and direction
 * OUTBOUND, publishes QUEUED, signs a media link and hands the message to the channel's connector, then
 * publishes SENT or FAILED (see {@link SendService}). Statuses are keyed by the record's own key (the
 * conversation key), so they stay in order with the conversation's other events.
 */
public class MediaAcceptedListener {

    private static final Logger log = LoggerFactory.getLogger(MediaAcceptedListener.class);

    private final SendService sendService;
    private final MediaLinks links;

    public MediaAcceptedListener(SendService sendService, MediaLinks links) {
        this.sendService = sendService;
        this.links = links;
    }

    @KafkaListener(topics = Topics.MEDIA_ACCEPTED_NAME, groupId = DispatchApplication.CONSUMER_GROUP)
    public void on(ConsumerRecord<String, MediaAccepted> record) {
        MediaAccepted event = record.value();
        OutboundMessage message = event.getMessage();
        MediaRef media = event.getMedia();
        if (message == null || media.getDirection() != Direction.OUTBOUND) {
            return;
        }
        String channel = media.getChannel().name();
        String key = record.key() != null ? record.key()
                : Topics.conversationKey(media.getConversationId(), channel, message.getTo());
        OutboundSend send = OutboundSend.media(event.getTenantId(), message.getMessageId(), channel, message.getFrom(),
                message.getTo(), kind(message.getKind(), event.getKind()), message.getCaption(), message.getFileName(),
                links.linkTo(event.getTenantId(), media.getMediaId()), media.getMediaId(), media.getConversationId());
        SendResult result = sendService.dispatch(send, key);
        switch (result) {
            case SendResult.Sent sent -> log.info("Message {} (tenant {}, media {}) sent on {} as {}",
                    send.messageId(), send.tenantId(), send.mediaId(), channel, sent.providerMessageId());
            case SendResult.Failed failed -> log.info("Message {} (tenant {}, media {}) failed on {}: {} {}",
                    send.messageId(), send.tenantId(), send.mediaId(), channel, failed.code(), failed.message());
        }
    }

    private static SendKind kind(MediaKind asked, MediaKind accepted) {
        MediaKind kind = asked == null || asked == MediaKind.UNKNOWN ? accepted : asked;
        return switch (kind) {
            case IMAGE -> SendKind.IMAGE;
            case VIDEO -> SendKind.VIDEO;
            case AUDIO -> SendKind.AUDIO;
            case STICKER -> SendKind.STICKER;
            case DOCUMENT, UNKNOWN -> SendKind.DOCUMENT;
        };
    }
}
