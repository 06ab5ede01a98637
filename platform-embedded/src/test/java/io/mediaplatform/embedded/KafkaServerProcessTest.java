package io.mediaplatform.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs Apache Kafka's own server from the test classpath (spring-kafka-test brings kafka_2.13 along).
 */
class KafkaServerProcessTest {

    @TempDir
    Path dir;

    private KafkaServerProcess kafka;

    @AfterEach
    void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void formatsOnceAndKeepsTopicsAcrossARestart() throws Exception {
        // Given a broker started on an empty data directory, with a topic
        kafka = new KafkaServerProcess(dir, 0, 0).start();
        assertThat(dir.resolve("kraft-logs/meta.properties")).exists();
        String clusterId = Files.readString(dir.resolve("kraft-logs/meta.properties"));
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("kept.topic.v1", 3, (short) 1))).all().get();
        }

        // When it is stopped and started again on the same directory
        kafka.close();
        assertThat(kafka.isAlive()).isFalse();
        kafka = new KafkaServerProcess(dir, 0, 0).start();

        // Then the storage was not formatted again and the topic is still there
        assertThat(Files.readString(dir.resolve("kraft-logs/meta.properties"))).isEqualTo(clusterId);
        try (Admin admin = admin()) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).contains("kept.topic.v1");
        }
    }

    @Test
    void restartsOnTheSamePortsRightAfterAStopThatClosedClientConnections() throws Exception {
        // Given a broker on free ports with a topic, and a client connected to it
        kafka = new KafkaServerProcess(dir, 0, 0).start();
        int port = kafka.port();
        int controllerPort = kafka.controllerPort();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("restarted.topic.v1", 1, (short) 1))).all().get();

            // When it is stopped while that client is connected (the broker closes the connection, so its end
            // lingers in TIME_WAIT on the port) and restarted at once
            kafka.close();
            kafka.restart();
        }

        // Then it listens on the same ports again, with the topic kept
        assertThat(kafka.port()).isEqualTo(port);
        assertThat(kafka.controllerPort()).isEqualTo(controllerPort);
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get()).contains("restarted.topic.v1");
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
