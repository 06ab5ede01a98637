package io.mediaplatform.embedded;

import io.mediaplatform.schemas.topics.Topic;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the platform's topics (docs/ARCHITECTURE.md §3; no topic is auto-created): every topic of {@link Topics#ALL} and its
 * {@code .dlt} twin. A compacted topic gets {@code cleanup.policy=compact}; its dead-letter twin keeps the default
 * delete policy, since a dead-letter topic must keep every failed record, not only the latest per key. Topics that
 * exist already are left as they are, so calling it again is harmless.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicProvisioner() {
    }

    /**
     * Creates every topic and dead-letter twin that does not exist yet.
     *
     * @param bootstrapServers Kafka cluster
     * @param partitions       partitions of each new topic (3 locally, 12 in production)
     * @param replication      replication factor of each new topic
     * @return the names of the topics this call created (empty when all existed)
     * @throws IllegalStateException when the cluster refuses a topic or does not answer within 60 s
     */
    public static List<String> createAll(String bootstrapServers, int partitions, short replication) {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topic<?> topic : Topics.ALL) {
            NewTopic main = new NewTopic(topic.name(), partitions, replication);
            if (topic.compacted()) {
                main.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            wanted.add(main);
            wanted.add(new NewTopic(topic.dlt(), partitions, replication));
        }
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            CreateTopicsResult result = admin.createTopics(wanted);
            for (var entry : result.values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + entry.getKey() + " on "
                                + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not create the topics within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
        if (!created.isEmpty()) {
            log.info("Created topics {} on {}", created, bootstrapServers);
        }
        return List.copyOf(created);
    }
}
