package io.mediaplatform.callback.status;

import io.mediaplatform.callback.status.core.HistoryRow;
import io.mediaplatform.callback.status.core.MessageRecord;
import io.mediaplatform.callback.status.core.MessageState;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.callback.status.core.Transition;
import io.mediaplatform.callback.status.jdbc.MessageStore;
import io.mediaplatform.callback.webhook.WebhookEndpoints;
import io.mediaplatform.callback.webhook.WebhookOutbox;
import io.mediaplatform.callback.webhook.core.NewDelivery;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Applies status events to the store, idempotently by event id: in one transaction (for all the events of a poll)
 * it creates or completes the messages, runs the {@link MessageState} machine under each message's row lock,
 * appends the history, moves the current status, and enqueues one webhook delivery per callback URL and matching
 * tenant endpoint for every recorded transition. Statuses recorded before the message's callback URLs were known
 * are told to them when the URLs arrive. The database work of a batch is a few round trips whatever its size
 * (JDBC batches and set queries), the events of one message applied in their order.
 */
public class StatusRecorder {

    private static final Logger log = LoggerFactory.getLogger(StatusRecorder.class);

    private final MessageStore messages;
    private final WebhookOutbox outbox;
    private final WebhookEndpoints endpoints;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final MeterRegistry meters;

    public StatusRecorder(MessageStore messages, WebhookOutbox outbox, WebhookEndpoints endpoints,
                          TransactionTemplate transactions, Clock clock, MeterRegistry meters) {
        this.messages = messages;
        this.outbox = outbox;
        this.endpoints = endpoints;
        this.transactions = transactions;
        this.clock = clock;
        this.meters = meters;
    }

    /** Records the event; answers what it did to the message. */
    public Transition record(StatusEvent event) {
        return recordAll(List.of(event)).getFirst();
    }

    /**
     * Records the events in one transaction, each message's events in their order (as {@link #record} of each
     * one after the other would); answers what each one did, in the order of {@code events}. The messages' rows
     * are locked in key order, the same for every batch, so concurrent batches do not deadlock.
     */
    public List<Transition> recordAll(List<StatusEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Integer> order = IntStream.range(0, events.size()).boxed()
                .sorted(Comparator.comparing((Integer i) -> events.get(i).tenantId()).thenComparing(i -> events.get(i).messageId()))
                .toList();
        record Recorded(Transition[] transitions, List<UUID> enqueued) {
        }
        Recorded recorded = transactions.execute(tx -> {
            Instant now = clock.instant();
            List<StatusEvent> sorted = order.stream().map(events::get).toList();
            messages.upsertAll(sorted, now);
            Set<MessageStore.Key> keys = new LinkedHashSet<>(sorted.stream().map(MessageStore.Key::of).toList());
            Map<MessageStore.Key, MessageRecord> locked = messages.lockAll(keys);
            Set<MessageStore.Key> deleted = locked.size() == keys.size() ? Set.of()
                    : messages.deletedAmong(keys.stream().filter(key -> !locked.containsKey(key)).toList());
            Batch batch = new Batch(now, locked, messages.historiesOf(keys),
                    new HashSet<>(messages.recordedEvents(sorted.stream().map(StatusEvent::eventId).toList())), deleted);
            Transition[] results = new Transition[events.size()];
            for (int i : order) {
                results[i] = batch.apply(events.get(i));
            }
            return new Recorded(results, batch.write());
        });
        releaseEnded(recorded.enqueued());
        Transition[] transitions = recorded.transitions();
        for (int i = 0; i < events.size(); i++) {
            StatusEvent event = events.get(i);
            Transition transition = transitions[i];
            String outcome = switch (transition) {
                case Transition.Advanced a -> "advanced";
                case Transition.HistoryOnly h -> "history_only";
                case Transition.Duplicate d -> "duplicate";
            };
            meters.counter("callback.status.events", "status", event.status().name(), "outcome", outcome).increment();
            log.info("Status event {} for message {} of tenant {}: {}", event.eventId(), event.messageId(), event.tenantId(), transition);
        }
        return List.of(transitions);
    }

    /** The state of one batch's messages while its events are applied, and what is written at its end. */
    private final class Batch {

        private final Instant now;
        private final Map<MessageStore.Key, MessageRecord> locked;
        private final Map<MessageStore.Key, List<HistoryRow>> histories;
        private final Set<String> recordedEvents;
        private final Set<MessageStore.Key> deleted;
        private final Map<String, List<WebhookEndpoints.Target>> tenantEndpoints = new HashMap<>();
        /** Events appended to the history in this batch; their rows carry the id {@code -(index + 1)} until written. */
        private final List<StatusEvent> appended = new ArrayList<>();
        private final Map<MessageStore.Key, MessageStore.Current> changes = new LinkedHashMap<>();
        private final List<Long> caughtUp = new ArrayList<>();
        private final List<NewDelivery> deliveries = new ArrayList<>();

        Batch(Instant now, Map<MessageStore.Key, MessageRecord> locked, Map<MessageStore.Key, List<HistoryRow>> histories,
              Set<String> recordedEvents, Set<MessageStore.Key> deleted) {
            this.now = now;
            this.locked = locked;
            this.histories = histories;
            this.recordedEvents = recordedEvents;
            this.deleted = deleted;
        }

        Transition apply(StatusEvent event) {
            MessageStore.Key key = MessageStore.Key.of(event);
            MessageRecord message = locked.get(key);
            if (message == null && deleted.contains(key)) {
                // the message was deleted (ARCHITECTURE §10): a late status is dropped, like a duplicate
                log.info("Status event {} for deleted message {} of tenant {} ignored", event.eventId(), event.messageId(),
                        event.tenantId());
                return new Transition.Duplicate(event.status());
            }
            if (message == null) {
                throw new IllegalStateException("message " + event.messageId() + " of tenant " + event.tenantId() + " is not stored");
            }
            if (recordedEvents.contains(event.eventId())) {
                return new Transition.Duplicate(event.status());
            }
            List<HistoryRow> history = histories.computeIfAbsent(key, k -> new ArrayList<>());
            List<HistoryRow> before = List.copyOf(history);
            MessageState state = new MessageState(message.status(),
                    history.stream().map(HistoryRow::status).collect(Collectors.toSet()));
            Transition result = state.apply(event.status());
            boolean hasCallbacks = !message.callbackUrls().isEmpty();
            switch (result) {
                case Transition.Duplicate d -> {
                }
                case Transition.Advanced a -> {
                    append(history, event, hasCallbacks);
                    locked.put(key, message.withStatus(a.to()));
                    changes.put(key, new MessageStore.Current(key, a.to(), event.reason()));
                }
                case Transition.HistoryOnly h -> {
                    append(history, event, hasCallbacks);
                    changes.putIfAbsent(key, new MessageStore.Current(key, null, null));
                }
            }
            tell(message, event, result, before, history);
            return result;
        }

        private void append(List<HistoryRow> history, StatusEvent event, boolean callbacksEnqueued) {
            appended.add(event);
            recordedEvents.add(event.eventId());
            history.add(new HistoryRow(-appended.size(), event.eventId(), event.status(), event.at(), event.providerMessageId(),
                    event.reason(), event.detail(), callbacksEnqueued));
        }

        /**
         * Enqueues the webhooks, in history order: this status to the message's callback URLs and the tenant's
         * endpoints, and, when the message has just got its callback URLs (its ACCEPTED event came after other
         * statuses), the statuses recorded before that its callback URLs were not told of. The order they are
         * enqueued in, under the message's row lock, is the order they reach each target ({@link WebhookOutbox}).
         */
        private void tell(MessageRecord message, StatusEvent event, Transition result, List<HistoryRow> before,
                          List<HistoryRow> history) {
            record Told(StatusEvent event, Transition transition, boolean current) {
            }
            List<Told> told = new ArrayList<>();
            int caughtUpBefore = caughtUp.size();
            if (!message.callbackUrls().isEmpty() && before.stream().anyMatch(row -> !row.callbacksEnqueued())) {
                List<Transition> replayed = MessageState.replay(before.stream().map(HistoryRow::status).toList());
                for (int i = 0; i < before.size(); i++) {
                    HistoryRow row = before.get(i);
                    if (!row.callbacksEnqueued()) {
                        told.add(new Told(asEvent(message, row), replayed.get(i), false));
                        history.set(i, new HistoryRow(row.id(), row.eventId(), row.status(), row.at(), row.providerMessageId(),
                                row.reason(), row.detail(), true));
                        if (row.id() > 0) {
                            caughtUp.add(row.id());
                        }
                    }
                }
            }
            if (result.isRecorded()) {
                told.add(new Told(event, result, true));
            }
            told.sort(Comparator.comparing((Told t) -> t.event().at()));
            for (Told t : told) {
                deliveries.addAll(outbox.statusDeliveries(message, t.event(), t.transition(), now, true,
                        t.current() ? tenantEndpoints.computeIfAbsent(message.tenantId(), endpoints::targets) : List.of()));
            }
            if (caughtUp.size() > caughtUpBefore) {
                log.info("Message {} of tenant {} got its callback URLs after {} status(es): enqueued them now",
                        message.messageId(), message.tenantId(), caughtUp.size() - caughtUpBefore);
            }
        }

        /** Writes the batch: history, current statuses, catch-up marks, deliveries (each one round trip); answers their ids. */
        List<UUID> write() {
            List<MessageStore.Appended> rows = new ArrayList<>();
            histories.values().forEach(history -> history.stream().filter(row -> row.id() < 0)
                    .forEach(row -> rows.add(new MessageStore.Appended(appended.get((int) -row.id() - 1), row.callbacksEnqueued()))));
            messages.appendHistoryAll(rows, now);
            messages.setCurrentAll(List.copyOf(changes.values()), now);
            messages.markCallbacksEnqueued(caughtUp);
            return outbox.insertAll(deliveries);
        }
    }

    /** See {@link WebhookOutbox#releaseEnded}: a scheduling hint only, so a failure costs at most that delay. */
    private void releaseEnded(List<UUID> enqueued) {
        if (enqueued.isEmpty()) {
            return;
        }
        try {
            outbox.releaseEnded(enqueued, clock.instant());
        } catch (RuntimeException e) {
            log.warn("Could not look at {} new webhook deliveries again: {}", enqueued.size(), e.toString());
        }
    }

    /** A recorded history row as the event it came from, with the message's facts. */
    public static StatusEvent asEvent(MessageRecord message, HistoryRow row) {
        return new StatusEvent(row.eventId(), message.tenantId(), message.messageId(), row.status(), row.at(), message.channel(),
                message.to(), message.conversationId(), message.externalId(), message.clientId(), null,
                message.callbackUrls(), row.providerMessageId(), row.reason(), row.detail(), message.fallbackOf(),
                message.attempt());
    }
}
