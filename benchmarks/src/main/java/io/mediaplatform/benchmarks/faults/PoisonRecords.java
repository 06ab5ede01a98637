package io.mediaplatform.benchmarks.faults;

import io.mediaplatform.schemas.topics.Topic;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Hostile records on every topic of the catalogue: on each partition, bytes that are no Avro at all, a wrong magic byte,
 * and the Confluent framing with a schema id the registry never issued. Each must be copied to the topic's
 * {@code .dlt} (its key kept) and the partition must go on.
 */
final class PoisonRecords {

    /** The three spellings of a poison value. */
    static final Map<String, byte[]> KINDS = Map.of(
            "not-avro", "{\"this is\":\"not avro\"}".getBytes(StandardCharsets.UTF_8),
            "wrong-magic", ByteBuffer.allocate(9).put((byte) 7).putInt(1).putInt(0xdeadbeef).array(),
            "unknown-schema", ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).putInt(0xdeadbeef).array());

    private final String bootstrap;
    private final String marker;
    private final Map<String, Long> dltEnds = new LinkedHashMap<>();
    private final Map<String, Set<String>> expected = new TreeMap<>();

    PoisonRecords(String bootstrap, String marker) {
        this.bootstrap = bootstrap;
        this.marker = marker;
    }

    /** Writes the poison records (keys {@code <marker>-<kind>-<partition>}), after noting where each .dlt ends. */
    void inject() throws Exception {
        List<String> topics = Topics.ALL.stream().map(Topic::name).toList();
        Map<String, TopicDescription> described;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            for (String topic : topics) {
                List<TopicPartition> partitions = dltPartitions(described.get(topic));
                consumer.endOffsets(partitions).forEach((tp, end) -> dltEnds.put(tp.topic() + "/" + tp.partition(), end));
            }
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (String topic : topics) {
                Set<String> keys = new HashSet<>();
                for (int p = 0; p < described.get(topic).partitions().size(); p++) {
                    for (Map.Entry<String, byte[]> kind : KINDS.entrySet()) {
                        String key = marker + "-" + kind.getKey() + "-" + p;
                        keys.add(key);
                        producer.send(new ProducerRecord<>(topic, p, key, kind.getValue()));
                    }
                }
                expected.put(topic, keys);
            }
            producer.flush();
        }
    }

    /** Per topic, how many of its poison records are on its .dlt (distinct keys) of how many written. */
    Map<String, String> landed(Duration within) throws InterruptedException {
        Map<String, Set<String>> found = new TreeMap<>();
        expected.keySet().forEach(t -> found.put(t, new HashSet<>()));
        long deadline = System.nanoTime() + within.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = dltEnds.keySet().stream().map(k -> {
                String[] parts = k.split("/");
                return new TopicPartition(parts[0], Integer.parseInt(parts[1]));
            }).toList();
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, dltEnds.get(tp.topic() + "/" + tp.partition()));
            }
            while (System.nanoTime() < deadline && !allFound(found)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String topic = record.topic().substring(0, record.topic().length() - Topic.DLT_SUFFIX.length());
                    if (record.key() != null && expected.getOrDefault(topic, Set.of()).contains(record.key())) {
                        found.get(topic).add(record.key());
                    }
                }
            }
        }
        Map<String, String> landed = new TreeMap<>();
        expected.forEach((topic, keys) -> landed.put(topic, found.get(topic).size() + "/" + keys.size()));
        return landed;
    }

    private boolean allFound(Map<String, Set<String>> found) {
        return expected.entrySet().stream().allMatch(e -> found.get(e.getKey()).size() == e.getValue().size());
    }

    private static List<TopicPartition> dltPartitions(TopicDescription topic) {
        return topic.partitions().stream().map(p -> new TopicPartition(topic.name() + Topic.DLT_SUFFIX, p.partition())).toList();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
