package io.mediaplatform.dispatch.send.kafka;

import io.mediaplatform.common.kafka.BatchRecords;
import io.mediaplatform.common.kafka.PoisonRecordException;
import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.retry.core.LongRetries;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.support.AcceptedSends;
import io.mediaplatform.events.MediaAccepted;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans a {@code media.accepted.v1} poll before anything is sent: which records are sends (outbound media with a
 * message, not already sent or finally failed by the {@link SendLedger}), each one's QUEUED, and whether it queues
 * behind an earlier message of its conversation waiting for a retry; a record that is not an accepted-media event ends
 * the plan there.
 */
final class PollPlanner {

    private static final Logger log = LoggerFactory.getLogger(MediaAcceptedListener.class);

    /**
     * The poll's sends among {@code records[0, end)}, and why the record at {@code end} failed (null: none did).
     */
    record Plan(List<PolledSend> items, int end, RuntimeException failure) {
    }

    private final AcceptedSends sends;
    private final SendLedger ledger;
    private final SendService sendService;
    private final LongRetries<ConsumerRecord<String, MediaAccepted>> retries;

    PollPlanner(AcceptedSends sends, SendLedger ledger, SendService sendService,
                LongRetries<ConsumerRecord<String, MediaAccepted>> retries) {
        this.sends = sends;
        this.ledger = ledger;
        this.sendService = sendService;
        this.retries = retries;
    }

    @SuppressWarnings("unchecked")
    Plan plan(List<ConsumerRecord<String, Object>> records) {
        List<PolledSend> items = new ArrayList<>();
        int end = records.size();
        RuntimeException failure = null;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, Object> raw = records.get(i);
            try {
                if (!(BatchRecords.value(raw) instanceof MediaAccepted)) {
                    throw new PoisonRecordException("NOT_MEDIA_ACCEPTED", "record at offset " + raw.offset()
                            + " is not an accepted-media event");
                }
                ConsumerRecord<String, MediaAccepted> record = (ConsumerRecord<String, MediaAccepted>) (ConsumerRecord<?, ?>) raw;
                Optional<OutboundSend> send = sends.toSend(record);
                if (send.isEmpty()) {
                    continue;
                }
                if (ledger.finished(send.get().messageId())) {
                    log.info("Message {} (tenant {}) was already sent or finally failed: record {}-{}@{} skipped, not sent again",
                            send.get().messageId(), send.get().tenantId(), raw.topic(), raw.partition(), raw.offset());
                    continue;
                }
                PolledSend item = new PolledSend(i, record, send.get(), AcceptedSends.key(record));
                item.queued = sendService.queuedStatus(item.send);
                // an earlier message of this conversation waits for a retry: queue behind it, never overtake it
                item.behind = retries.parked(item.key);
                items.add(item);
            } catch (RuntimeException e) {
                end = i;
                failure = e;
                break;
            }
        }
        return new Plan(items, end, failure);
    }
}
