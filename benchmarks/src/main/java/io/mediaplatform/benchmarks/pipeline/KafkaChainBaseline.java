package io.mediaplatform.benchmarks.pipeline;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.AvroSerializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline's Kafka hops with no work: {@code hops} topics with the platform's partition count on the same
 * broker; {@code clients} sources each produce their share of {@code messages} real {@link SendMediaMessage} values
 * synchronously (as {@code POST /v1/messages} waits for its send), keyed by conversation, with the platform's Avro
 * serde and acks=all; stage i (one consumer of its own group) forwards every record of topic i to topic i+1, flushes
 * and commits after each poll; the last stage only records arrival. Every stage records when each message reached
 * it, so the chain has per-hop latencies too.
 */
final class KafkaChainBaseline {

    /** What the chain measured: per message the send start, the ack and the arrival at each stage. */
    record Result(int messages, int produced, int arrived, Instant firstSend, Instant lastAck, Instant lastArrival,
                  Latencies endToEnd, List<Latencies> hops, Map<String, Latencies> spans, Latencies produce,
                  Instant[] lastAtStage, long errors) {

        /** When the last record reached stage 1..hops. */
        Instant lastAt(int stage) {
            return lastAtStage[stage] == null ? firstSend : lastAtStage[stage];
        }
    }

    private final String bootstrap;
    private final String registryUrl;
    private final int hops;
    private final int partitions;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    KafkaChainBaseline(String bootstrap, String registryUrl, int hops, int partitions) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.hops = hops;
        this.partitions = partitions;
    }

    private String topic(int hop) {
        return "benchmark.chain-" + runId + ".hop" + hop;
    }

    Result run(int messages, int conversations, int clients, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (int hop = 1; hop <= hops; hop++) {
                topics.add(new NewTopic(topic(hop), partitions, (short) 1));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
        // per message: [0] send start, [1..hops] arrival at stage 1..hops
        Map<String, Instant[]> times = new ConcurrentHashMap<>();
        AtomicInteger arrived = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(messages);
        List<KafkaConsumer<String, SpecificRecord>> consumers = new ArrayList<>();
        List<Thread> stages = new ArrayList<>();
        CountDownLatch assigned = new CountDownLatch(hops);
        for (int hop = 1; hop <= hops; hop++) {
            int stage = hop;
            KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(consumerConfig("benchmark-chain-" + runId + "-stage" + hop));
            consumers.add(consumer);
            KafkaProducer<String, Object> forward = hop < hops ? new KafkaProducer<>(producerConfig()) : null;
            stages.add(Thread.ofPlatform().name("chain-stage-" + hop).start(() -> {
                boolean signalled = false;
                try (consumer) {
                    consumer.subscribe(List.of(topic(stage)));
                    while (true) {
                        ConsumerRecords<String, SpecificRecord> records = consumer.poll(Duration.ofMillis(100));
                        if (!signalled && !consumer.assignment().isEmpty()) {
                            signalled = true;
                            assigned.countDown();
                        }
                        for (ConsumerRecord<String, SpecificRecord> record : records) {
                            Instant now = Instant.now();
                            SendMediaMessage value = (SendMediaMessage) record.value();
                            Instant[] t = times.get(value.getMessage().getMessageId());
                            if (t != null) {
                                t[stage] = now;
                            }
                            if (forward != null) {
                                forward.send(new ProducerRecord<>(topic(stage + 1), record.key(), value), (m, e) -> {
                                    if (e != null) {
                                        errors.incrementAndGet();
                                    }
                                });
                            } else if (t != null) {
                                arrived.incrementAndGet();
                                done.countDown();
                            }
                        }
                        if (!records.isEmpty()) {
                            if (forward != null) {
                                forward.flush();
                            }
                            consumer.commitSync();
                        }
                    }
                } catch (WakeupException e) {
                    // stopped
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    System.err.println("chain stage " + stage + " failed: " + e);
                } finally {
                    if (forward != null) {
                        forward.close(Duration.ofSeconds(5));
                    }
                }
            }));
        }
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            System.err.println("chain: not every stage got its partitions within 60 s");
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger produced = new AtomicInteger();
        List<Instant> acks = new ArrayList<>();
        List<Long> produceLatency = new ArrayList<>();
        Object acksLock = new Object();
        List<Thread> sources = new ArrayList<>();
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig())) {
            // one warm-up record through the source producer so its metadata is fetched before the clock starts
            producer.send(new ProducerRecord<>(topic(1) , "warm-up", command("warm-up", 0))).get(30, TimeUnit.SECONDS);
            Instant firstSend = Instant.now();
            for (int c = 0; c < clients; c++) {
                sources.add(Thread.ofVirtual().start(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < messages) {
                        String messageId = UUID.randomUUID().toString();
                        Instant[] t = new Instant[hops + 1];
                        t[0] = Instant.now();
                        times.put(messageId, t);
                        try {
                            producer.send(new ProducerRecord<>(topic(1), "conversation-" + (i % conversations),
                                    command(messageId, i % conversations))).get(30, TimeUnit.SECONDS);
                            produced.incrementAndGet();
                            Instant ack = Instant.now();
                            synchronized (acksLock) {
                                acks.add(ack);
                                produceLatency.add(Latencies.micros(t[0], ack));
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            times.remove(messageId);
                            done.countDown();
                        }
                    }
                }));
            }
            for (Thread source : sources) {
                source.join();
            }
            done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            consumers.forEach(KafkaConsumer::wakeup);
            for (Thread stage : stages) {
                stage.join(10_000);
            }
            Instant lastAck = acks.stream().max(Instant::compareTo).orElse(firstSend);
            List<Long> endToEnd = new ArrayList<>();
            List<List<Long>> perHop = new ArrayList<>();
            for (int hop = 0; hop < hops; hop++) {
                perHop.add(new ArrayList<>());
            }
            Map<String, List<Long>> spans = new HashMap<>();
            Instant lastArrival = firstSend;
            Instant[] lastAtStage = new Instant[hops + 1];
            for (Instant[] t : times.values()) {
                for (int stage = 1; stage <= hops; stage++) {
                    if (t[stage] != null && (lastAtStage[stage] == null || t[stage].isAfter(lastAtStage[stage]))) {
                        lastAtStage[stage] = t[stage];
                    }
                }
                for (int hop = 1; hop <= hops; hop++) {
                    if (t[hop] != null && t[hop - 1] != null) {
                        perHop.get(hop - 1).add(Latencies.micros(t[hop - 1], t[hop]));
                    }
                }
                for (int from = 1; from <= hops; from++) {
                    for (int to = from + 1; to <= hops; to++) {
                        if (t[from - 1] != null && t[to] != null) {
                            spans.computeIfAbsent(from + "-" + to, k -> new ArrayList<>())
                                    .add(Latencies.micros(t[from - 1], t[to]));
                        }
                    }
                }
                if (t[hops] != null) {
                    endToEnd.add(Latencies.micros(t[0], t[hops]));
                    if (t[hops].isAfter(lastArrival)) {
                        lastArrival = t[hops];
                    }
                }
            }
            return new Result(messages, produced.get(), arrived.get(), firstSend, lastAck, lastArrival,
                    Latencies.of(endToEnd), perHop.stream().map(Latencies::of).toList(),
                    spans.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                            e -> Latencies.of(e.getValue()))),
                    Latencies.of(produceLatency), lastAtStage, errors.get());
        }
    }

    private static SendMediaMessage command(String messageId, int conversation) {
        OutboundMessage message = OutboundMessage.newBuilder()
                .setMessageId(messageId)
                .setFrom("+15550100001")
                .setTo("+15557654321")
                .setKind(MediaKind.IMAGE)
                .setCallbackUrls(List.of("http://127.0.0.1:1/hooks"))
                .build();
        return SendMediaMessage.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId("demo")
                .setChannel(Channel.WHATSAPP)
                .setConversationId("conversation-" + conversation)
                .setMessage(message)
                .setMediaId(UUID.randomUUID().toString())
                .build();
    }

    private Map<String, Object> producerConfig() {
        return avroProducerConfig(bootstrap, registryUrl);
    }

    /**
     * A producer as the platform's services and upstream systems write catalogue topics: String keys, Avro values in
     * the Confluent wire format through the registry, acks=all. Every producer of the pipeline benchmark uses it.
     */
    static Map<String, Object> avroProducerConfig(String bootstrap, String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        return config;
    }

    private Map<String, Object> consumerConfig(String group) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        return config;
    }
}
