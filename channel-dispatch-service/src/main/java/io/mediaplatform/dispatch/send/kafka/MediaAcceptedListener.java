package io.mediaplatform.dispatch.send.kafka;

import io.mediaplatform.common.kafka.BatchRecords;
import io.micrometer.observation.ObservationRegistry;
import io.mediaplatform.dispatch.DispatchApplication;
import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.retry.core.LongRetries;
import io.mediaplatform.dispatch.send.core.AcceptedPartitions;
import io.mediaplatform.dispatch.send.core.NextStep;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.support.AcceptedSends;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.dispatch.support.SendTracing;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerSeekAware;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Sends accepted outbound media: each poll of {@code media.accepted.v1} (events with a message and direction
 * OUTBOUND) is sent to the channels' providers, its conversations at once and each conversation's messages in
 * order, and then QUEUED and SENT or FAILED are published for every message (see {@link SendService}), with the
 * consumer offsets, in one Kafka transaction. Statuses are keyed by the record's own key (the conversation key), so
 * they stay in order with the conversation's other events.
 *
 * <p>No doubles: a message id found in the {@link SendLedger} (rebuilt from {@code message.status.v1} when partitions
 * are assigned, updated after each commit) is not sent again, and a send whose transaction did not commit is not
 * sent again when its record comes back to this instance: its answer is kept until a commit reports it. A send that
 * fails its in-place attempts for a reason that may pass (provider down, circuit open) goes to the retry topic for
 * later rounds ({@link LongRetries}), and the later messages of its conversation queue behind it there; without long
 * retries ({@code DISPATCH_RETRY_DELAYS} empty) it is reported FAILED and its record copied to
 * {@code media.accepted.v1.dlt} in the same transaction. A record that is not an accepted-media event, or whose send
 * threw, ends the poll there: the records before it are committed and the shared error handler retries it or
 * dead-letters it alone. {@link PollPlanner} plans a poll, {@link PollWriter} writes what its sends came to.
 */
public class MediaAcceptedListener implements ConsumerSeekAware, SmartLifecycle, AutoCloseable {

    /** Answers kept for sends whose transaction did not commit, at most. */
    private static final int MAX_UNREPORTED = 10_000;

    private final SendService sendService;
    private final SendLedger ledger;
    private final List<AcceptedPartitions> followers;
    private final LongRetries<ConsumerRecord<String, MediaAccepted>> retries;
    private final Clock clock;
    private final KafkaTemplate<Object, Object> template;
    private final PollPlanner planner;
    private final PollWriter writer;
    private final Semaphore parallel;
    private final ExecutorService sending = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("dispatch-send-", 0).factory());
    /** Sends made whose SENT or FAILED no transaction has committed yet, by message id. */
    private final Map<String, SendService.Attempt> unreported = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile ObservationRegistry observations;

    /**
     * @param followers told of partition assignments and revocations, in order (the ledger's rebuild before the
     *                  retries' parking rebuild, which asks it)
     * @param statuses  where statuses go; its non-waiting {@link StatusSink#send} is used
     */
    public MediaAcceptedListener(SendService sendService, AcceptedSends sends, SendLedger ledger,
                                 List<AcceptedPartitions> followers,
                                 LongRetries<ConsumerRecord<String, MediaAccepted>> retries, DeadLetters deadLetters,
                                 Clock clock, KafkaTemplate<Object, Object> template, StatusSink statuses,
                                 int parallelSends) {
        this.sendService = sendService;
        this.ledger = ledger;
        this.followers = List.copyOf(followers);
        this.retries = retries;
        this.clock = clock;
        this.template = template;
        this.planner = new PollPlanner(sends, ledger, sendService, retries);
        this.writer = new PollWriter(sendService, retries, deadLetters, statuses);
        this.parallel = new Semaphore(Math.max(1, parallelSends));
    }

    /**
     * Traces each message's work as a consumer span continuing its record's {@code traceparent} (Spring Kafka observes
     * record listeners only): its QUEUED, its provider call and what follows it, each a child of the upstream span.
     */
    public MediaAcceptedListener observations(ObservationRegistry registry) {
        this.observations = registry;
        return this;
    }

    /** Before records of newly assigned partitions are delivered: learn what was already sent from them. */
    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        followers.forEach(follower -> follower.assigned(acceptedPartitions(assignments.keySet())));
    }

    /** Before partitions are taken away: stop retrying their conversations here (after the poll in hand). */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        followers.forEach(follower -> follower.revoked(acceptedPartitions(partitions)));
    }

    @KafkaListener(id = "dispatch-media-accepted", idIsGroup = false, topics = Topics.MEDIA_ACCEPTED_NAME,
            groupId = DispatchApplication.CONSUMER_GROUP, containerFactory = "mediaAcceptedContainerFactory")
    public void on(List<ConsumerRecord<String, Object>> records, Consumer<?, ?> consumer) {
        PollPlanner.Plan plan = planner.plan(records);
        List<PolledSend> items = plan.items();
        int end = plan.end();
        RuntimeException failure = plan.failure();
        Outcome outcome = end == 0 ? new Outcome(0, null) : sendAndReport(items, records, end, consumer);
        if (outcome.failure() != null) {
            throw BatchRecords.failed(records.get(outcome.end()), outcome.failure());
        }
        if (failure != null) {
            throw BatchRecords.failed(records.get(end), failure);
        }
    }

    /** How far a poll was committed, and why the record there failed (null: the whole given prefix was). */
    private record Outcome(int end, RuntimeException failure) {
    }

    /**
     * Sends the items, conversations at once (at most the configured number of calls), each conversation in its
     * order, and in one transaction publishes each one's statuses as soon as its provider answered (so they come
     * before the provider's own webhooks about it) and commits the offsets of {@code records[0, end)}, or of the
     * records before the first item whose send threw.
     */
    private Outcome sendAndReport(List<PolledSend> items, List<ConsumerRecord<String, Object>> records, int end,
                                  Consumer<?, ?> consumer) {
        List<Runnable> undo = new ArrayList<>();
        List<PolledSend> reported = new ArrayList<>();
        Outcome outcome;
        try {
            outcome = template.executeInTransaction(operations -> {
                // QUEUED before the provider is called, as the transaction's first writes: the statuses written
                // when the providers answer then go straight to partitions already in the transaction
                List<CompletableFuture<?>> acks = new ArrayList<>();
                for (PolledSend item : items) {
                    acks.add(traced(item, () -> writer.queued(item)));
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                BlockingQueue<PolledSend> done = new LinkedBlockingQueue<>();
                for (List<PolledSend> conversation : byConversation(items)) {
                    sending.submit(() -> sendInOrder(conversation, done));
                }
                int committed = end;
                RuntimeException failed = null;
                for (int taken = 0; taken < items.size(); taken++) {
                    PolledSend item = take(done);
                    if ((item.failure != null || item.left) && item.index < committed) {
                        committed = item.index;
                        failed = item.failure;
                    }
                    if (item.behind || item.step != null) {
                        traced(item, () -> {
                            writer.write(item, acks, undo);
                            return null;
                        });
                        reported.add(item);
                    }
                }
                if (committed > 0) {
                    operations.sendOffsetsToTransaction(BatchRecords.nextOffsets(records.subList(0, committed)),
                            consumer.groupMetadata());
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                return new Outcome(committed, failed);
            });
        } catch (RuntimeException e) {
            undo.forEach(Runnable::run);
            // nothing of the poll was written: it comes again, and the answers of its sends are kept for then
            return new Outcome(0, e);
        }
        Instant now = clock.instant();
        for (PolledSend item : reported) {
            unreported.remove(item.send.messageId());
            if (item.step != null && item.step.reported()) {
                ledger.record(item.send.messageId(), now);
            }
        }
        return outcome;
    }

    private static Collection<List<PolledSend>> byConversation(List<PolledSend> items) {
        Map<String, List<PolledSend>> conversations = new LinkedHashMap<>();
        for (PolledSend item : items) {
            conversations.computeIfAbsent(item.key, k -> new ArrayList<>()).add(item);
        }
        return conversations.values();
    }

    private static PolledSend take(BlockingQueue<PolledSend> done) {
        try {
            return done.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
    }

    /**
     * One conversation's messages of the poll, in order, each handed to {@code done} when its send is over; once one
     * waits for a retry the rest queue behind it, and once one threw the rest are not tried.
     */
    private void sendInOrder(List<PolledSend> conversation, BlockingQueue<PolledSend> done) {
        boolean waiting = false;
        boolean broken = false;
        for (PolledSend item : conversation) {
            if (!broken && !running) {
                item.left = true;
                broken = true;
            } else if (!broken && (waiting || item.behind)) {
                item.behind = true;
                waiting = true;
            } else if (!broken) {
                try {
                    item.attempt = unreported.remove(item.send.messageId());
                    if (item.attempt == null) {
                        parallel.acquireUninterruptibly();
                        try {
                            item.attempt = traced(item, () -> sendService.attempt(item.send));
                        } finally {
                            parallel.release();
                        }
                    }
                    if (unreported.size() < MAX_UNREPORTED) {
                        unreported.put(item.send.messageId(), item.attempt);
                    }
                    item.step = NextStep.after(item.attempt.result(), 0, retries.rounds(), clock.instant());
                    waiting = item.step instanceof NextStep.RetryAt;
                } catch (RuntimeException e) {
                    item.failure = e;
                    broken = true;
                }
            }
            done.add(item);
        }
    }

    /** Runs a message's work in its trace, with its ids in the log context (as record listeners have them). */
    private <T> T traced(PolledSend item, Supplier<T> work) {
        return SendTracing.traced(observations, item.record, "dispatch-media-accepted", item.send, work);
    }

    private static List<Integer> acceptedPartitions(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(p -> Topics.MEDIA_ACCEPTED_NAME.equals(p.topic()))
                .map(TopicPartition::partition).toList();
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Before the listener containers stop: the poll in hand sends nothing more, commits what it sent and leaves the
     * rest of its records to the partitions' next owner (instead of sending while the instance is going away).
     */
    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the listener containers (it is running from its creation, so no poll finds it stopped). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 50;
    }

    /** Stops the sends under way (at shutdown). */
    @Override
    public void close() {
        sending.shutdownNow();
    }
}
