package io.mediaplatform.dispatch.inbound.kafka;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.dispatch.inbound.core.InboundAttachment;
import io.mediaplatform.dispatch.inbound.core.InboundMessage;
import io.mediaplatform.dispatch.inbound.core.InboundSink;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes inbound messages as Avro {@code InboundMessage} on {@code message.inbound.v1}, keyed by the
 * conversation id, waiting for the broker (acks=all) so the webhook is answered only once the record is durable.
 * A message that cannot be taken (no route) goes to {@code message.inbound.v1.dlt} instead, with the headers the
 * platform's dead letters carry: {@value DeadLetters#REASON_HEADER} (the reason code, e.g. {@code NO_ROUTE}),
 * {@code kafka_dlt-exception-message} ({@code <reason>: <detail>}) and {@code kafka_dlt-original-topic}
 * ({@code message.inbound.v1}, the topic it was meant for). Both throw
 * {@link EventPublisher.EventPublishException} when the broker did not take the record.
 */
public final class KafkaInboundSink implements InboundSink {

    private final EventPublisher publisher;
    private final KafkaTemplate<Object, Object> template;

    public KafkaInboundSink(EventPublisher publisher, KafkaTemplate<Object, Object> template) {
        this.publisher = publisher;
        this.template = template;
    }

    @Override
    public void publish(InboundMessage message) {
        publisher.sendAndWait(Topics.MESSAGE_INBOUND, message.conversationId(), toEvent(message));
    }

    @Override
    public void deadLetter(InboundMessage message, String reason, String detail) {
        String topic = Topics.MESSAGE_INBOUND.dlt();
        ProducerRecord<Object, Object> record = new ProducerRecord<>(topic, null, message.conversationId(),
                toEvent(message));
        record.headers().add(KafkaHeaders.DLT_ORIGINAL_TOPIC,
                Topics.MESSAGE_INBOUND_NAME.getBytes(StandardCharsets.UTF_8));
        record.headers().add(KafkaHeaders.DLT_EXCEPTION_MESSAGE,
                (reason + ": " + (detail == null ? "" : detail)).getBytes(StandardCharsets.UTF_8));
        record.headers().add(DeadLetters.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        try {
            template.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventPublisher.EventPublishException(topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EventPublisher.EventPublishException(topic, e.getCause() == null ? e : e.getCause());
        }
    }

    /** The Avro event of a message (a new event id each time; the message and media ids are the message's own). */
    static io.mediaplatform.events.InboundMessage toEvent(InboundMessage message) {
        return io.mediaplatform.events.InboundMessage.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(message.occurredAt())
                .setReceivedAt(message.receivedAt())
                .setTenantId(message.tenantId())
                .setInboxId(message.inboxId())
                .setChannel(channel(message.channel()))
                .setProvider(message.provider())
                .setProviderMessageId(message.providerMessageId())
                .setFrom(message.from())
                .setTo(message.to())
                .setConversationId(message.conversationId())
                .setText(message.text())
                .setAttachments(message.attachments().stream().map(KafkaInboundSink::toEvent).toList())
                .setFetch(null)
                .build();
    }

    private static io.mediaplatform.events.InboundAttachment toEvent(InboundAttachment attachment) {
        return io.mediaplatform.events.InboundAttachment.newBuilder()
                .setIndex(attachment.index())
                .setMessageId(attachment.messageId())
                .setMediaId(attachment.mediaId())
                .setKind(MediaKind.valueOf(attachment.kind().name()))
                .setVoice(attachment.voice())
                .setProviderMediaId(attachment.providerMediaId())
                .setUrl(attachment.url())
                .setContentType(attachment.contentType())
                .setSha256(attachment.sha256())
                .setCaption(attachment.caption())
                .setFileName(attachment.fileName())
                .build();
    }

    private static Channel channel(String name) {
        try {
            return Channel.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Channel.UNKNOWN;
        }
    }
}
