package io.mediaplatform.common.health;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code kafka} indicator against a real KRaft broker, and against an address where no broker listens. */
class KafkaHealthIndicatorTest {

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void is_up_with_the_cluster_id_and_its_brokers_when_the_cluster_answers() {
        KafkaHealthIndicator kafka = indicator(broker.getBrokersAsString(), Duration.ofSeconds(5), Duration.ZERO);
        try {
            Health health = kafka.health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("brokers", 1).containsKey("clusterId");
        } finally {
            kafka.destroy();
        }
    }

    @Test
    void is_down_within_the_check_timeout_when_no_broker_answers_and_keeps_that_answer_for_the_ttl() throws IOException {
        // Given an indicator pointed at a port where nothing listens, with a 1 s timeout and a 1 min cache
        KafkaHealthIndicator kafka = indicator("127.0.0.1:" + freePort(), Duration.ofSeconds(1), Duration.ofMinutes(1));
        try {
            // When it is asked
            long start = System.nanoTime();
            Health health = kafka.health();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // Then it is DOWN with the client's error, after about the timeout
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("error").toString()).contains("TimeoutException");
            assertThat(took).isLessThan(Duration.ofSeconds(5));

            // And asked again within the TTL it answers at once, without another call
            long again = System.nanoTime();
            assertThat(kafka.health()).isSameAs(health);
            assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofMillis(100));
        } finally {
            kafka.destroy();
        }
    }

    private static KafkaHealthIndicator indicator(String bootstrapServers, Duration timeout, Duration ttl) {
        return new KafkaHealthIndicator(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), timeout, ttl);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
