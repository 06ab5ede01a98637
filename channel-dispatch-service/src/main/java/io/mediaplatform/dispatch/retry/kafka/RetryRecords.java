package io.mediaplatform.dispatch.retry.kafka;

import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static io.mediaplatform.dispatch.retry.kafka.SendRetries.DUE_HEADER;
import static io.mediaplatform.dispatch.retry.kafka.SendRetries.REASON_HEADER;
import static io.mediaplatform.dispatch.retry.kafka.SendRetries.ROUND_HEADER;

/**
 * The retry topic's records: a {@code media.accepted.v1} record forwarded, in its partition number, with the round it
 * waits for, when that is due and why in headers (its other headers, its {@code traceparent} among them, copied, so
 * its later rounds continue the message's trace), and the round and due time read back.
 */
final class RetryRecords {

    private static final String OWN_HEADERS = "dispatch_retry-";

    private RetryRecords() {
    }

    /** The retry record of an accepted-media record. */
    static ProducerRecord<Object, Object> forwarded(ConsumerRecord<String, MediaAccepted> record, String key, int round,
                                                    Instant due, String reason) {
        ProducerRecord<Object, Object> retry = new ProducerRecord<>(Topics.SEND_RETRY_NAME, record.partition(), key,
                record.value());
        for (Header header : record.headers()) {
            if (!header.key().startsWith(OWN_HEADERS)) {
                retry.headers().add(header);
            }
        }
        retry.headers().add(ROUND_HEADER, Integer.toString(round).getBytes(StandardCharsets.UTF_8));
        retry.headers().add(DUE_HEADER, Long.toString(due.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
        retry.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        return retry;
    }

    /** The round a retry record waits for (0 without the header: due at once). */
    static int round(ConsumerRecord<?, ?> record) {
        return (int) header(record, ROUND_HEADER, 0);
    }

    /** When a retry record's round is due (the epoch without the header: at once). */
    static Instant due(ConsumerRecord<?, ?> record) {
        return Instant.ofEpochMilli(header(record, DUE_HEADER, 0));
    }

    private static long header(ConsumerRecord<?, ?> record, String name, long fallback) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            return fallback;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
