package io.mediaplatform.common.health;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code kafka}: UP when the cluster answers a describe-cluster call within the check timeout (details: cluster id
 * and the number of brokers it names), DOWN otherwise with the client's error. One admin client, made on first use
 * with the service's own Kafka settings (bootstrap servers, security); answers are cached ({@link CachedHealth}).
 */
public class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private final Map<String, Object> adminConfig;
    private final Duration timeout;
    private final CachedHealth cached;
    private final ReentrantLock adminLock = new ReentrantLock();
    private Admin admin;
    private boolean closed;

    /**
     * @param adminConfig the admin client settings (e.g. {@code KafkaAdmin.getConfigurationProperties()})
     * @param timeout     longest one check may take
     * @param cacheTtl    how long an answer is reused
     */
    public KafkaHealthIndicator(Map<String, Object> adminConfig, Duration timeout, Duration cacheTtl) {
        Map<String, Object> config = new HashMap<>(adminConfig);
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "health-" + Integer.toHexString(System.identityHashCode(this)));
        this.adminConfig = Map.copyOf(config);
        this.timeout = timeout;
        this.cached = new CachedHealth(this::check, cacheTtl);
    }

    @Override
    public Health health() {
        return cached.get();
    }

    private Health check() {
        try {
            DescribeClusterResult cluster = admin().describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            long waitMillis = timeout.toMillis() + 500;
            String clusterId = cluster.clusterId().get(waitMillis, TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(waitMillis, TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("clusterId", String.valueOf(clusterId)).withDetail("brokers", brokers).build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause() != null ? e.getCause() : e).build();
        } catch (TimeoutException e) {
            return Health.down(e).withDetail("timeout", timeout.toString()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).build();
        }
    }

    /** The admin client, made on first use (a failure to make it, e.g. no resolvable bootstrap server, is DOWN). */
    private Admin admin() {
        adminLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("shutting down");
            }
            if (admin == null) {
                admin = Admin.create(adminConfig);
            }
            return admin;
        } finally {
            adminLock.unlock();
        }
    }

    @Override
    public void destroy() {
        adminLock.lock();
        try {
            closed = true;
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
                admin = null;
            }
        } finally {
            adminLock.unlock();
        }
    }
}
