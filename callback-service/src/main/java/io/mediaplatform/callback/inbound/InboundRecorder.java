package io.mediaplatform.callback.inbound;

import io.mediaplatform.callback.inbound.core.ReceivedMessage;
import io.mediaplatform.callback.inbound.jdbc.InboundStore;
import io.mediaplatform.callback.webhook.WebhookOutbox;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;

/**
 * Records a customer's inbound message from validation's decision and tells the tenant's endpoints of it
 * ({@code message.received}), exactly once per message id: the insert-if-absent and the outbox deliveries are one
 * database transaction, so a decision that arrives again (a redelivered record, a second decision event) records
 * nothing and enqueues nothing. The listener returns only after the transaction, so the Kafka offset is committed
 * after it.
 */
public class InboundRecorder {

    private static final Logger log = LoggerFactory.getLogger(InboundRecorder.class);

    private final InboundStore store;
    private final WebhookOutbox outbox;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final MeterRegistry meters;

    public InboundRecorder(InboundStore store, WebhookOutbox outbox, TransactionTemplate transactions, Clock clock,
                           MeterRegistry meters) {
        this.store = store;
        this.outbox = outbox;
        this.transactions = transactions;
        this.clock = clock;
        this.meters = meters;
    }

    /** Records the message; answers whether it was new (false: already recorded, nothing done). */
    public boolean record(ReceivedMessage message) {
        Integer deliveries = transactions.execute(tx -> {
            Instant now = clock.instant();
            if (!store.insertIfAbsent(message, now)) {
                return null;
            }
            return outbox.enqueueReceived(message, now);
        });
        boolean recorded = deliveries != null;
        meters.counter("callback.inbound.messages", "status", message.status().name(),
                "outcome", recorded ? "recorded" : "duplicate").increment();
        if (recorded) {
            log.info("Inbound message {} of tenant {} recorded {}{} (event {}): {} message.received deliveries enqueued",
                    message.messageId(), message.tenantId(), message.status(),
                    message.reason() == null ? "" : " " + message.reason(), message.eventId(), deliveries);
        } else {
            log.info("Inbound message {} of tenant {} is recorded already: decision event {} ignored",
                    message.messageId(), message.tenantId(), message.eventId());
        }
        return recorded;
    }
}
