package io.mediaplatform.benchmarks.pipeline;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Samples, every half second while the load runs, each service's consumer lag on the topic it consumes (end offsets
 * minus the group's committed offsets, summed over partitions) and keeps the largest: where records queued up is
 * the stage that could not keep up.
 */
final class LagSampler implements AutoCloseable {

    /** A consumer group on its topic, named for the table. */
    record Stage(String name, String group, String topic) {
    }

    private final Admin admin;
    private final Map<Stage, Long> maxLag = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    LagSampler(String bootstrap, Iterable<Stage> stages) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        stages.forEach(s -> maxLag.put(s, 0L));
        thread = Thread.ofPlatform().daemon().name("lag-sampler").start(this::loop);
    }

    private void loop() {
        while (running) {
            for (Stage stage : maxLag.keySet()) {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(stage.group())
                            .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                    int partitions = admin.describeTopics(java.util.List.of(stage.topic())).allTopicNames()
                            .get(5, TimeUnit.SECONDS).get(stage.topic()).partitions().size();
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    for (int p = 0; p < partitions; p++) {
                        latest.put(new TopicPartition(stage.topic(), p), OffsetSpec.latest());
                    }
                    long lag = 0;
                    for (var end : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
                        OffsetAndMetadata c = committed.get(end.getKey());
                        lag += end.getValue().offset() - (c == null ? 0 : c.offset());
                    }
                    long observed = lag;
                    synchronized (maxLag) {
                        maxLag.merge(stage, observed, Math::max);
                    }
                } catch (Exception e) {
                    // a sample missed; the next one counts
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The largest lag seen per stage. */
    Map<Stage, Long> maxLag() {
        synchronized (maxLag) {
            return new LinkedHashMap<>(maxLag);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close();
    }
}
