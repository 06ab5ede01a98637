package io.mediaplatform.embedded;

import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TopicProvisionerTest {

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startKafka() {
        broker = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopKafka() {
        broker.destroy();
    }

    @Test
    void createsEveryTopicAndItsDeadLetterTwinOnceWithTheirCleanupPolicies() throws Exception {
        // Given an empty cluster
        String bootstrap = broker.getBrokersAsString();

        // When the topics are provisioned twice
        List<String> first = TopicProvisioner.createAll(bootstrap, 3, (short) 1);
        List<String> second = TopicProvisioner.createAll(bootstrap, 3, (short) 1);

        // Then the first call created every topic and twin, the second nothing
        assertThat(first).containsExactlyInAnyOrderElementsOf(Topics.allNamesWithDlt());
        assertThat(second).isEmpty();

        // And each has 3 partitions, only the inbox settings topic is compacted
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, TopicDescription> descriptions = admin.describeTopics(Topics.allNamesWithDlt()).allTopicNames().get();
            assertThat(descriptions.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(3));
            List<ConfigResource> resources = Topics.allNamesWithDlt().stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            Map<String, String> policies = configs.entrySet().stream().collect(Collectors.toMap(
                    e -> e.getKey().name(), e -> e.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG).value()));
            assertThat(policies).hasSize(Topics.allNamesWithDlt().size()).allSatisfy((name, policy) -> assertThat(policy).as(name)
                    .isEqualTo(name.equals(Topics.INBOX_MEDIA_SETTINGS_NAME)
                            ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE));
        }
    }
}
