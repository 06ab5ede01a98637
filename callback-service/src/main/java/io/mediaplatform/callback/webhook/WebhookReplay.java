package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.inbound.core.ReceivedMessage;
import io.mediaplatform.callback.inbound.jdbc.InboundStore;
import io.mediaplatform.callback.status.StatusRecorder;
import io.mediaplatform.callback.status.core.HistoryRow;
import io.mediaplatform.callback.status.core.MessageRecord;
import io.mediaplatform.callback.status.core.MessageState;
import io.mediaplatform.callback.status.core.Status;
import io.mediaplatform.callback.status.core.Transition;
import io.mediaplatform.callback.status.jdbc.MessageStore;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Tells a message's recorded statuses again ({@code POST /v1/messages/{id}/webhooks/replay}): each one, or only
 * one status, becomes new deliveries (new webhook ids) to the message's callback URLs and the tenant endpoints
 * whose filter matches, in history order, with the payload it had (previous and current status replayed from
 * the history). An inbound message is told again as {@code message.received} (with a fresh media link at each
 * attempt) to the endpoints whose filter takes it; {@code status} then has to be its status (ACCEPTED, REJECTED).
 */
public class WebhookReplay {

    /**
     * What a replay enqueued.
     *
     * @param events     history entries told again
     * @param deliveries deliveries enqueued
     */
    public record Result(int events, int deliveries) {
    }

    private final MessageStore messages;
    private final InboundStore inbound;
    private final WebhookOutbox outbox;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public WebhookReplay(MessageStore messages, InboundStore inbound, WebhookOutbox outbox, TransactionTemplate transactions,
                         Clock clock) {
        this.messages = messages;
        this.inbound = inbound;
        this.outbox = outbox;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Replays the tenant's message's statuses, or only {@code onlyStatus} when not null.
     *
     * @return empty when the tenant has no such message
     */
    public Optional<Result> replay(String tenantId, String messageId, Status onlyStatus) {
        return transactions.execute(tx -> {
            Optional<MessageRecord> found = messages.lockIfPresent(tenantId, messageId);
            if (found.isEmpty()) {
                return Optional.<Result>empty();
            }
            MessageRecord message = found.get();
            Instant now = clock.instant();
            Optional<ReceivedMessage> received = inbound.find(tenantId, messageId);
            if (received.isPresent()) {
                if (onlyStatus != null && !onlyStatus.name().equals(received.get().status().name())) {
                    return Optional.of(new Result(0, 0));
                }
                return Optional.of(new Result(1, outbox.enqueueReceived(received.get(), now)));
            }
            List<HistoryRow> history = messages.history(tenantId, messageId);
            List<Transition> transitions = MessageState.replay(history.stream().map(HistoryRow::status).toList());
            List<Integer> order = IntStream.range(0, history.size()).boxed()
                    .filter(i -> onlyStatus == null || history.get(i).status() == onlyStatus)
                    .sorted(Comparator.comparing((Integer i) -> history.get(i).at()).thenComparing(i -> history.get(i).id()))
                    .toList();
            int deliveries = 0;
            for (int i : order) {
                deliveries += outbox.enqueue(message, StatusRecorder.asEvent(message, history.get(i)), transitions.get(i), now,
                        true, true);
            }
            return Optional.of(new Result(order.size(), deliveries));
        });
    }
}
