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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies status events to the store, idempotently by event id: in one transaction it creates or completes the
 * message, runs the {@link MessageState} machine under the message's row lock, appends the history, moves the
 * current status, and enqueues one webhook delivery per callback URL and matching tenant endpoint for every
 * recorded transition. Statuses recorded before the message's callback URLs were known are told to them when
 * the URLs arrive.
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
            List<HistoryRow> history = messages.history(event.tenantId(), event.messageId());
            MessageState state = new MessageState(message.status(),
                    history.stream().map(HistoryRow::status).collect(Collectors.toSet()));
            Transition result = state.apply(event.status());
            boolean hasCallbacks = !message.callbackUrls().isEmpty();
            switch (result) {
                case Transition.Duplicate d -> {
                }
                case Transition.Advanced a -> {
                    messages.appendHistory(event, now, hasCallbacks);
                    messages.setCurrent(event.tenantId(), event.messageId(), a.to(), event.reason(), now);
                }
                case Transition.HistoryOnly h -> {
                    messages.appendHistory(event, now, hasCallbacks);
                    messages.touch(event.tenantId(), event.messageId(), now);
                }
            }
            tell(message, event, result, history, now);
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

    /**
     * Enqueues the webhooks, in history order: this status to the message's callback URLs and the tenant's
     * endpoints, and, when the message has just got its callback URLs (its ACCEPTED event came after other
     * statuses), the statuses recorded before that its callback URLs were not told of. The order they are
     * enqueued in, under the message's row lock, is the order they reach each target ({@link WebhookOutbox}).
     */
    private void tell(MessageRecord message, StatusEvent event, Transition result, List<HistoryRow> history, Instant now) {
        record Told(StatusEvent event, Transition transition, boolean current) {
        }
        List<Told> told = new ArrayList<>();
        List<Long> caughtUp = new ArrayList<>();
        if (!message.callbackUrls().isEmpty() && history.stream().anyMatch(row -> !row.callbacksEnqueued())) {
            List<Transition> replayed = MessageState.replay(history.stream().map(HistoryRow::status).toList());
            for (int i = 0; i < history.size(); i++) {
                HistoryRow row = history.get(i);
                if (!row.callbacksEnqueued()) {
                    told.add(new Told(asEvent(message, row), replayed.get(i), false));
                    caughtUp.add(row.id());
                }
            }
        }
        if (result.isRecorded()) {
            told.add(new Told(event, result, true));
        }
        told.sort(Comparator.comparing((Told t) -> t.event().at()));
        for (Told t : told) {
            outbox.enqueue(message, t.event(), t.transition(), now, true, t.current());
        }
        if (!caughtUp.isEmpty()) {
            messages.markCallbacksEnqueued(caughtUp);
            log.info("Message {} of tenant {} got its callback URLs after {} status(es): enqueued them now",
                    message.messageId(), message.tenantId(), caughtUp.size());
        }
    }

    /** A recorded history row as the event it came from, with the message's facts. */
    public static StatusEvent asEvent(MessageRecord message, HistoryRow row) {
        return new StatusEvent(row.eventId(), message.tenantId(), message.messageId(), row.status(), row.at(), message.channel(),
                message.to(), message.conversationId(), message.externalId(), message.clientId(), null,
                message.callbackUrls(), row.providerMessageId(), row.reason(), row.detail());
    }
}
