package io.mediaplatform.callback.status;

import io.mediaplatform.callback.status.core.MessageState;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.callback.status.core.Transition;
import io.mediaplatform.callback.webhook.WebhookOutbox;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;

/**
 * Applies status events to the store, idempotently by event id: in one transaction it creates or completes the
 * message, runs the {@link MessageState} machine under the message's row lock, appends the history, moves the
 * current status, and enqueues one webhook delivery per callback URL for every recorded transition.
 */
public class StatusRecorder {

    private static final Logger log = LoggerFactory.getLogger(StatusRecorder.class);

    private final MessageStore messages;
    private final WebhookOutbox outbox;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final MeterRegistry meters;

    public StatusRecorder(MessageStore messages, WebhookOutbox outbox, TransactionTemplate transactions, Clock clock,
                          MeterRegistry meters) {
        this.messages = messages;
        this.outbox = outbox;
        this.transactions = transactions;
        this.clock = clock;
        this.meters = meters;
    }

    /** Records the event; answers what it did to the message. */
    public Transition record(StatusEvent event) {
        Transition transition = transactions.execute(tx -> {
            Instant now = clock.instant();
            messages.upsert(event, now);
            MessageRecord message = messages.lock(event.tenantId(), event.messageId());
            if (messages.eventRecorded(event.eventId())) {
                return new Transition.Duplicate(event.status());
            }
            MessageState state = new MessageState(message.status(), messages.historyStatuses(event.tenantId(), event.messageId()));
            Transition result = state.apply(event.status());
            switch (result) {
                case Transition.Duplicate d -> {
                }
                case Transition.Advanced a -> {
                    messages.appendHistory(event, now);
                    messages.setCurrent(event.tenantId(), event.messageId(), a.to(), event.reason(), now);
                }
                case Transition.HistoryOnly h -> {
                    messages.appendHistory(event, now);
                    messages.touch(event.tenantId(), event.messageId(), now);
                }
            }
            if (result.isRecorded()) {
                outbox.enqueue(message, event, result, now);
            }
            return result;
        });
        String outcome = switch (transition) {
            case Transition.Advanced a -> "advanced";
            case Transition.HistoryOnly h -> "history_only";
            case Transition.Duplicate d -> "duplicate";
        };
        meters.counter("callback.status.events", "status", event.status().name(), "outcome", outcome).increment();
        log.info("Status event {} for message {} of tenant {}: {}", event.eventId(), event.messageId(), event.tenantId(), transition);
        return transition;
    }
}
