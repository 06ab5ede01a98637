package io.mediaplatform.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The broker's readiness probe: an admin client asking it to describe the cluster until it names a node. */
final class KafkaReadiness {

    private KafkaReadiness() {
    }

    /**
     * Waits until the broker on {@code 127.0.0.1:port} answers, up to {@code timeout}.
     *
     * @throws IllegalStateException when the process exits first or the time runs out; the message ends with
     *                               {@code logTail}
     */
    static void await(Process process, int port, Duration timeout, Supplier<String> logTail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        String lastError = "no answer yet";
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited with code " + process.exitValue()
                            + " before it was ready on 127.0.0.1:" + port + logTail.get());
                }
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for Kafka", e);
                    }
                    lastError = e.toString();
                }
                sleep(Duration.ofMillis(200));
            }
        }
        throw new IllegalStateException("Kafka did not become ready on 127.0.0.1:" + port + " within " + timeout
                + " (last error: " + lastError + ")" + logTail.get());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }
}
