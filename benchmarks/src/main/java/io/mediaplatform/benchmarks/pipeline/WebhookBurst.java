package io.mediaplatform.benchmarks.pipeline;

import io.mediaplatform.common.http.GuardedHttpClient;
import io.mediaplatform.common.http.UrlGuard;
import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhooks alone, on the running stack: one status per message put straight on {@code message.status.v1} (FAILED,
 * which none of them has yet, so each is recorded and told) for messages the callback service already knows, all at
 * once, timed from the first record to the last webhook at the messages' callback URL; against the same number of
 * Standard-Webhooks-signed POSTs of a like body sent raw to the same receiver, through the same client
 * ({@link GuardedHttpClient}, keeping connections for 4 s as the callback service does by default) and with the same number
 * in flight as the callback service allows ({@code WEBHOOK_MAX_IN_FLIGHT}).
 */
final class WebhookBurst {

    /** A message the callback service knows: whose it is, where it goes, and which media it carries. */
    record Target(String tenantId, String messageId, String conversationId, String mediaId, String to) {
    }

    /** Deliveries per second of the platform and of raw signed POSTs, and whether every one arrived. */
    record Result(int count, Duration platform, Duration raw, long arrived, long rawFailures) {
        double platformPerSecond() {
            return count / Math.max(1e-9, platform.toNanos() / 1e9);
        }

        double rawPerSecond() {
            return count / Math.max(1e-9, raw.toNanos() / 1e9);
        }
    }

    private WebhookBurst() {
    }

    static Result run(String bootstrap, String registryUrl, List<Target> targets, WebhookReceiver receiver,
                      int inFlight, Duration timeout) throws Exception {
        Instant first = Instant.now();
        Map<String, Object> config = KafkaChainBaseline.avroProducerConfig(bootstrap, registryUrl);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            for (Target t : targets) {
                producer.send(new ProducerRecord<>(Topics.MESSAGE_STATUS_NAME, t.conversationId(), failed(t)));
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long arrived = 0;
        Instant last = first;
        while (System.nanoTime() < deadline) {
            arrived = 0;
            for (Target t : targets) {
                Instant at = receiver.arrival(t.messageId(), "FAILED");
                if (at != null) {
                    arrived++;
                    last = at.isAfter(last) ? at : last;
                }
            }
            if (arrived == targets.size()) {
                break;
            }
            Thread.sleep(50); // polling the receiver's record, not timing anything
        }
        Duration platform = Duration.between(first, last);

        String secret = StandardWebhooks.newSecret();
        GuardedHttpClient http = new GuardedHttpClient(new UrlGuard(List.of("127.0.0.1")), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(4));
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>(targets.size());
        long rawStart = System.nanoTime();
        for (Target t : targets) {
            slots.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    if (!post(http, receiver.url(), secret, t)) {
                        failures.incrementAndGet();
                    }
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Duration raw = Duration.ofNanos(System.nanoTime() - rawStart);
        http.close();
        slots.tryAcquire(inFlight, 1, TimeUnit.SECONDS);
        return new Result(targets.size(), platform, raw, arrived, failures.get());
    }

    private static DeliveryStatus failed(Target t) {
        return DeliveryStatus.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId(t.tenantId())
                .setMessageId(t.messageId())
                .setConversationId(t.conversationId())
                .setMediaId(t.mediaId())
                .setChannel(Channel.WHATSAPP)
                .setTo(t.to())
                .setStatus(MessageStatus.FAILED)
                .setProvider("whatsapp")
                .setReason("BENCHMARK")
                .setDetail("a status put on the topic by the webhook benchmark")
                .build();
    }

    /** One signed POST of a webhook-like body (a different path, so the receiver's record of the platform's stays). */
    private static boolean post(GuardedHttpClient http, String url, String secret, Target t) {
        String id = "msg_" + UUID.randomUUID();
        long timestamp = Instant.now().getEpochSecond();
        String body = "{\"type\":\"message.status\",\"timestamp\":\"" + Instant.now() + "\",\"data\":{\"messageId\":\""
                + t.messageId() + "\",\"status\":\"RAW\",\"tenantId\":\"" + t.tenantId() + "\",\"channel\":\"WHATSAPP\"}}";
        Map<String, String> headers = Map.of("content-type", "application/json",
                StandardWebhooks.ID_HEADER, id,
                StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp),
                StandardWebhooks.SIGNATURE_HEADER, StandardWebhooks.sign(secret, id, timestamp, body));
        try (GuardedHttpClient.Response response = http.send(GuardedHttpClient.Request.post(url, headers,
                body.getBytes(StandardCharsets.UTF_8), 64 << 10, Duration.ofSeconds(30)))) {
            return response.status() / 100 == 2;
        } catch (IOException e) {
            return false;
        }
    }
}
