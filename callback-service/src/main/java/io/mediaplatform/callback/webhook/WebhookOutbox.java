package io.mediaplatform.callback.webhook;

import io.mediaplatform.callback.inbound.core.ReceivedMessage;
import io.mediaplatform.callback.status.core.MessageRecord;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.callback.status.core.Transition;
import io.mediaplatform.callback.webhook.core.ClaimedDelivery;
import io.mediaplatform.callback.webhook.core.FinishedAttempt;
import io.mediaplatform.callback.webhook.core.NewDelivery;
import io.mediaplatform.callback.webhook.core.RetrySchedule;
import io.mediaplatform.callback.webhook.jdbc.AttemptLedger;
import io.mediaplatform.callback.webhook.jdbc.DeliveryQueue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The webhook outbox: what the status and inbound recorders and the replay enqueue, and what the sender claims and
 * records. It makes the deliveries of a webhook (one per callback URL of the message and per matching tenant
 * endpoint, their payload and first due time); the rows, their claim under a lease and the order per message and
 * target are {@link DeliveryQueue}'s, the attempts and their decisions {@link AttemptLedger}'s, both in PostgreSQL, so
 * retries (and the trace of each delivery's message) survive restarts. It wakes this instance's sender
 * ({@link OutboxSignal}) when deliveries are committed or attempts recorded.
 */
public class WebhookOutbox {

    private final DeliveryQueue queue;
    private final AttemptLedger ledger;
    private final WebhookPayloads payloads;
    private final RetrySchedule schedule;
    private final WebhookEndpoints endpoints;
    private final OutboxSignal work = new OutboxSignal();

    public WebhookOutbox(DeliveryQueue queue, AttemptLedger ledger, WebhookPayloads payloads, RetrySchedule schedule,
                         WebhookEndpoints endpoints) {
        this.queue = queue;
        this.ledger = ledger;
        this.payloads = payloads;
        this.schedule = schedule;
        this.endpoints = endpoints;
    }

    /**
     * Enqueues the status webhook: one delivery per callback URL of the message (when {@code toCallbacks}) and
     * one per tenant endpoint whose filter matches the status (when {@code toEndpoints}). A URL disabled for the
     * tenant (410) gets a delivery that is DISABLED from the start. Runs in the caller's transaction.
     *
     * @return how many deliveries were enqueued
     */
    public int enqueue(MessageRecord message, StatusEvent event, Transition transition, Instant now, boolean toCallbacks,
                       boolean toEndpoints) {
        List<NewDelivery> deliveries = statusDeliveries(message, event, transition, now, toCallbacks,
                toEndpoints ? endpoints.targets(message.tenantId()) : List.of());
        insertAll(deliveries);
        return deliveries.size();
    }

    /**
     * The deliveries of the status webhook, to be enqueued with {@link #insertAll}: one per callback URL of the
     * message (when {@code toCallbacks}) and one per endpoint of {@code tenantEndpoints} (the tenant's, from
     * {@link WebhookEndpoints#targets}, or none) whose filter matches the status.
     */
    public List<NewDelivery> statusDeliveries(MessageRecord message, StatusEvent event, Transition transition, Instant now,
                                              boolean toCallbacks, List<WebhookEndpoints.Target> tenantEndpoints) {
        List<WebhookEndpoints.Target> targets = tenantEndpoints.stream().filter(t -> t.filter().matches(event.status())).toList();
        if ((!toCallbacks || message.callbackUrls().isEmpty()) && targets.isEmpty()) {
            return List.of();
        }
        String payload = payloads.statusUpdated(message, event, transition, now);
        Instant first = firstAttempt(now);
        List<NewDelivery> deliveries = new ArrayList<>();
        if (toCallbacks) {
            for (String url : message.callbackUrls()) {
                deliveries.add(statusDelivery(message, event, url, null, payload, first, now));
            }
        }
        for (WebhookEndpoints.Target target : targets) {
            deliveries.add(statusDelivery(message, event, target.url(), target.id(), payload, first, now));
        }
        return deliveries;
    }

    /**
     * Enqueues the {@code message.received} webhook of a customer's inbound message: one delivery per tenant
     * endpoint whose filter is empty or names {@code message.received} (inbound messages have no callback URLs of
     * their own). Accepted media gets a fresh download link at each attempt. Runs in the caller's transaction.
     *
     * @return how many deliveries were enqueued
     */
    public int enqueueReceived(ReceivedMessage message, Instant now) {
        List<WebhookEndpoints.Target> targets = endpoints.targets(message.tenantId()).stream()
                .filter(t -> t.filter().matchesMessageReceived()).toList();
        if (targets.isEmpty()) {
            return 0;
        }
        String payload = payloads.messageReceived(message, now);
        Instant first = firstAttempt(now);
        insertAll(targets.stream().map(target -> new NewDelivery(message.tenantId(), message.messageId(),
                WebhookPayloads.MESSAGE_RECEIVED, message.status().name(), message.linkMediaId(), target.url(), target.id(),
                payload, first, now)).toList());
        return targets.size();
    }

    private Instant firstAttempt(Instant now) {
        return now.plus(schedule.waitBefore(1).orElse(Duration.ZERO));
    }

    private static NewDelivery statusDelivery(MessageRecord message, StatusEvent event, String url, UUID endpointId,
                                              String payload, Instant first, Instant now) {
        return new NewDelivery(message.tenantId(), message.messageId(), WebhookPayloads.TYPE, event.status().name(), null,
                url, endpointId, payload, first, now);
    }

    /**
     * Writes the deliveries, in their order (the order they reach each target), in one round trip, in the caller's
     * transaction, which holds the row lock of each delivery's message ({@link DeliveryQueue#insertAll}); wakes the
     * sender once it commits.
     *
     * @return the ids of the deliveries, in their order
     */
    public List<UUID> insertAll(List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = queue.insertAll(deliveries);
        work.signalAfterCommit();
        return ids;
    }

    /**
     * Of these status deliveries, just enqueued and committed, those held behind an earlier one that has ended
     * meanwhile are looked at again now ({@link DeliveryQueue#releaseEnded}). Run after the enqueuing transaction.
     */
    public void releaseEnded(List<UUID> enqueued, Instant now) {
        queue.releaseEnded(enqueued, now);
    }

    /** Claims up to {@code limit} due deliveries under a lease ({@link DeliveryQueue#claimDue}). */
    public List<ClaimedDelivery> claimDue(Instant now, Duration lease, int limit) {
        return queue.claimDue(now, lease, limit);
    }

    /**
     * Records the attempts and applies their decisions in one transaction ({@link AttemptLedger#recordAll}); answers,
     * for each one in order, whether it was recorded (false: another sender finished that attempt after this one's
     * lease ran out). Wakes the sender, as deliveries held behind these may go now.
     */
    public List<Boolean> finishAll(List<FinishedAttempt> attempts) {
        if (attempts.isEmpty()) {
            return List.of();
        }
        List<Boolean> recorded = ledger.recordAll(attempts);
        work.signalAfterCommit();
        return recorded;
    }

    /**
     * Waits until deliveries were enqueued or finished (by this instance) since the last wait, or {@code timeout}
     * passed; answers whether it was woken.
     */
    public boolean awaitWork(Duration timeout) throws InterruptedException {
        return work.await(timeout);
    }

    /** Wakes a sender waiting in {@link #awaitWork}. */
    public void signal() {
        work.signal();
    }
}
