package io.mediaplatform.benchmarks.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the accepted messages of one measured run reached, counted once for the tables: how many got to ACCEPTED,
 * QUEUED, SENT and the SENT webhook and when the last did, and the latencies (the POST, ACCEPTED→SENT, send→SENT
 * webhook, each hop), from the sends, the callback API's histories and the receiver's arrivals.
 */
record RunTally(int sent, int accepted, Instant firstSend, Instant lastAnswer,
                int reachedAccepted, Instant lastAccepted, int reachedQueued, Instant lastQueued,
                int reachedSent, Instant lastSent, int webhooks, Instant lastWebhook, int lateWebhooks,
                Latencies post, Latencies acceptedToSent, Latencies sendToWebhook, List<Latencies> hops) {

    /** Counts one run. */
    static RunTally of(List<Sent> sent, Map<String, History> histories, WebhookReceiver receiver) {
        List<Sent> accepted = sent.stream().filter(s -> s.status() == 202).toList();
        Instant firstSend = sent.stream().map(Sent::start).min(Comparator.naturalOrder()).orElseThrow();
        Instant lastAnswer = accepted.stream().map(Sent::answered).max(Comparator.naturalOrder()).orElse(firstSend);
        List<Long> acceptedToSent = new ArrayList<>();
        List<Long> sendToWebhook = new ArrayList<>();
        List<List<Long>> hops = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Long> postLatency = new ArrayList<>();
        Instant lastSent = firstSend;
        Instant lastWebhook = firstSend;
        Instant lastAccepted = firstSend;
        Instant lastQueued = firstSend;
        int reachedAccepted = 0;
        int reachedQueued = 0;
        int reachedSent = 0;
        int lateWebhooks = 0;
        int webhooks = 0;
        for (Sent s : accepted) {
            postLatency.add(Latencies.micros(s.start(), s.answered()));
            History h = histories.get(s.messageId());
            Instant acceptedAt = h == null ? null : h.at().get("ACCEPTED");
            Instant queuedAt = h == null ? null : h.at().get("QUEUED");
            Instant sentAt = h == null ? null : h.at().get("SENT");
            Instant webhookAt = receiver.arrival(s.messageId(), "SENT");
            if (acceptedAt != null) {
                reachedAccepted++;
                lastAccepted = max(lastAccepted, acceptedAt);
            }
            if (queuedAt != null) {
                reachedQueued++;
                lastQueued = max(lastQueued, queuedAt);
            }
            if (sentAt != null) {
                reachedSent++;
                lastSent = max(lastSent, sentAt);
                if (acceptedAt != null) {
                    acceptedToSent.add(Latencies.micros(acceptedAt, sentAt));
                }
            }
            if (webhookAt != null) {
                webhooks++;
                lastWebhook = max(lastWebhook, webhookAt);
                sendToWebhook.add(Latencies.micros(s.start(), webhookAt));
                if (sentAt != null && Duration.between(sentAt, webhookAt).compareTo(Duration.ofSeconds(100)) > 0) {
                    lateWebhooks++;
                }
            }
            addHop(hops.get(0), s.start(), acceptedAt);
            addHop(hops.get(1), acceptedAt, queuedAt);
            addHop(hops.get(2), queuedAt, sentAt);
            addHop(hops.get(3), sentAt, webhookAt);
        }
        return new RunTally(sent.size(), accepted.size(), firstSend, lastAnswer, reachedAccepted, lastAccepted,
                reachedQueued, lastQueued, reachedSent, lastSent, webhooks, lastWebhook, lateWebhooks,
                Latencies.of(postLatency), Latencies.of(acceptedToSent), Latencies.of(sendToWebhook),
                hops.stream().map(Latencies::of).toList());
    }

    /** 202s (or input acks) per second. */
    double postsPerSecond() {
        return accepted / seconds(firstSend, lastAnswer);
    }

    double sentPerSecond() {
        return reachedSent / seconds(firstSend, lastSent);
    }

    double webhooksPerSecond() {
        return webhooks / seconds(firstSend, lastWebhook);
    }

    /** Seconds between two instants, at least a millisecond. */
    static double seconds(Instant from, Instant to) {
        return Math.max(1e-3, Duration.between(from, to).toNanos() / 1e9);
    }

    private static Instant max(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    private static void addHop(List<Long> into, Instant from, Instant to) {
        if (from != null && to != null) {
            into.add(Latencies.micros(from, to));
        }
    }
}
