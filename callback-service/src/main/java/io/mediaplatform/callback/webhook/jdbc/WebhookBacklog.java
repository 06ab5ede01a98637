package io.mediaplatform.callback.webhook.jdbc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The client webhooks still to be delivered, as gauges: {@code callback.webhook.pending} (deliveries in PENDING) and
 * {@code callback.webhook.oldest.pending.age} (seconds since the oldest of them was enqueued; 0 when none is). One
 * query (the partial index of PENDING rows) answers both, reused for {@code ttl} so that a scrape costs one query
 * at most; when the database does not answer, the last known figures stay.
 */
public final class WebhookBacklog {

    private record Snapshot(long pending, Instant oldest, long takenNanos) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration ttl;
    private volatile Snapshot last = new Snapshot(0, null, Long.MIN_VALUE);

    public WebhookBacklog(JdbcClient jdbc, Clock clock, Duration ttl) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = ttl;
    }

    public WebhookBacklog bindTo(MeterRegistry registry) {
        Gauge.builder("callback.webhook.pending", this, b -> b.snapshot().pending())
                .description("Client webhook deliveries not yet delivered (PENDING)").register(registry);
        Gauge.builder("callback.webhook.oldest.pending.age", this, WebhookBacklog::oldestAgeSeconds).baseUnit("seconds")
                .description("Time since the oldest pending client webhook delivery was enqueued").register(registry);
        return this;
    }

    /** Seconds since the oldest pending delivery was enqueued, 0 when none is pending. */
    public double oldestAgeSeconds() {
        Instant oldest = snapshot().oldest();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    private Snapshot snapshot() {
        Snapshot known = last;
        long now = System.nanoTime();
        if (known.takenNanos() != Long.MIN_VALUE && now - known.takenNanos() < ttl.toNanos()) {
            return known;
        }
        try {
            Snapshot fresh = jdbc.sql("SELECT count(*) AS pending, min(created_at) AS oldest FROM webhook_deliveries"
                            + " WHERE status = 'PENDING'")
                    .query((rs, row) -> {
                        Timestamp oldest = rs.getTimestamp("oldest");
                        return new Snapshot(rs.getLong("pending"), oldest == null ? null : oldest.toInstant(), now);
                    }).single();
            last = fresh;
            return fresh;
        } catch (RuntimeException e) {
            return known;
        }
    }
}
