package io.mediaplatform.dispatch.send.kafka;

import io.mediaplatform.dispatch.send.core.NextStep;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.status.core.StatusUpdate;
import io.mediaplatform.events.MediaAccepted;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What one record of a {@code media.accepted.v1} poll comes to, as the listener plans and sends it: its send, its
 * QUEUED status, whether it queues behind an earlier message of its conversation, and once tried its attempt and the
 * next step (or the exception, or that it was left to the partition's next owner).
 */
final class PolledSend {

    final int index;
    final ConsumerRecord<String, MediaAccepted> record;
    final OutboundSend send;
    final String key;
    StatusUpdate queued;
    boolean behind;
    SendService.Attempt attempt;
    NextStep step;
    RuntimeException failure;
    /** Not tried: the service is stopping (its record goes to the partition's next owner). */
    boolean left;

PolledSend(int index, ConsumerRecord<String, MediaAccepted> record, OutboundSend send, String key) {
        this.index = index;
        this.record = record;
        this.send = send;
        this.key = key;
    }
}
