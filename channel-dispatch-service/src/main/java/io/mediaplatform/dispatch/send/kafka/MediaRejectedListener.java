package io.mediaplatform.dispatch.send.kafka;

import io.mediaplatform.dispatch.DispatchApplication;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

import java.util.UUID;

/**
 * Sends an inbox's custom message back to a customer whose media was refused because the inbox does not take
 * media (ARCHITECTURE §5): {@code media.rejected.v1} with reason MEDIA_DISABLED, direction INBOUND and a
 * {@code customerMessage}. The customer's address is the message's {@code from} when the event carries a
 * message, else the address in a conversation key of the form {@code <CHANNEL>:<address>}; without either the
 * event is logged and skipped.
 */
public class MediaRejectedListener {

    private static final Logger log = LoggerFactory.getLogger(MediaRejectedListener.class);

    private final SendService sendService;

    public MediaRejectedListener(SendService sendService) {
        this.sendService = sendService;
    }

    @KafkaListener(topics = Topics.MEDIA_REJECTED_NAME, groupId = DispatchApplication.CONSUMER_GROUP)
    public void on(MediaRejected event) {
        MediaRef media = event.getMedia();
        if (event.getReason() != RejectionReason.MEDIA_DISABLED || media.getDirection() != Direction.INBOUND
                || event.getCustomerMessage() == null || event.getCustomerMessage().isBlank()) {
            return;
        }
        String channel = media.getChannel().name();
        String customer = customerAddress(event, channel);
        if (customer == null) {
            log.warn("Media {} of tenant {} refused (MEDIA_DISABLED) but no customer address is known: custom message not sent",
                    media.getMediaId(), event.getTenantId());
            return;
        }
        OutboundSend send = OutboundSend.text(event.getTenantId(), UUID.randomUUID().toString(), channel, customer,
                event.getCustomerMessage(), media.getConversationId());
        SendResult result = sendService.sendUntracked(send);
        switch (result) {
            case SendResult.Sent sent -> log.info("Custom message for refused media {} of tenant {} sent on {} as {}",
                    media.getMediaId(), event.getTenantId(), channel, sent.providerMessageId());
            case SendResult.Failed failed -> log.warn("Custom message for refused media {} of tenant {} not sent on {}: {} {}",
                    media.getMediaId(), event.getTenantId(), channel, failed.code(), failed.message());
        }
    }

    static String customerAddress(MediaRejected event, String channel) {
        if (event.getMessage() != null && event.getMessage().getFrom() != null && !event.getMessage().getFrom().isBlank()) {
            return event.getMessage().getFrom();
        }
        String conversation = event.getMedia().getConversationId();
        String prefix = channel + ":";
        if (conversation != null && conversation.startsWith(prefix) && conversation.length() > prefix.length()) {
            return conversation.substring(prefix.length());
        }
        return null;
    }
}
