package io.mediaplatform.dispatch.connector.notify;

import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.status.core.StatusUpdate;
import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import io.mediaplatform.dispatch.webhook.core.TimestampTolerance;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The notification API webhook's replay defence on its own: signed timestamp tolerance, events taken once. */
class NotifyStatusWebhookReplayTest {

    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("unit-test-notify-secret-32-bytes".getBytes(StandardCharsets.UTF_8));
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Map<String, String> QUERY = Map.of("t", "tenant-a", "m", "m-1", "c", "conv-1",
            "to", "+15551110003", "ch", "RCS");

    private final List<StatusUpdate> published = new CopyOnWriteArrayList<>();
    private final StatusSink sink = (key, update) -> published.add(update);
    private final NotifyStatusWebhook webhook = new NotifyStatusWebhook(SECRET, sink, Clock.fixed(NOW, ZoneOffset.UTC));
    private final ReplayGuard replays = new ReplayGuard(Duration.ofHours(24), 1000, Clock.fixed(NOW, ZoneOffset.UTC));
    private final TimestampTolerance tolerance = new TimestampTolerance(Duration.ofMinutes(5));

    @Test
    void a_rightly_signed_callback_older_or_newer_than_the_tolerance_is_stale_and_publishes_nothing() {
        // Given a callback signed six minutes ago, and one signed six minutes ahead
        String body = "{\"transactionId\":\"tx-1\",\"status\":\"DELIVERED\",\"timestamp\":1763892000000}";

        // When they are received
        NotifyStatusWebhook.Outcome old = receive("msg_1", NOW.minus(Duration.ofMinutes(6)), body, SECRET);
        NotifyStatusWebhook.Outcome ahead = receive("msg_2", NOW.plus(Duration.ofMinutes(6)), body, SECRET);

        // Then both are stale (401) and nothing is published
        assertThat(old).isEqualTo(NotifyStatusWebhook.Outcome.STALE);
        assertThat(ahead).isEqualTo(NotifyStatusWebhook.Outcome.STALE);
        assertThat(published).isEmpty();
    }

    @Test
    void a_stale_callback_with_a_wrong_signature_is_a_bad_signature() {
        // When a callback signed with another secret and an old timestamp is received
        String other = "whsec_" + java.util.Base64.getEncoder()
                .encodeToString("another-notify-secret-of-32-bytes".getBytes(StandardCharsets.UTF_8));
        NotifyStatusWebhook.Outcome outcome = receive("msg_1", NOW.minus(Duration.ofHours(1)),
                "{\"transactionId\":\"tx-1\",\"status\":\"DELIVERED\"}", other);

        // Then it is refused as badly signed
        assertThat(outcome).isEqualTo(NotifyStatusWebhook.Outcome.BAD_SIGNATURE);
    }

    @Test
    void the_same_event_redelivered_with_a_fresh_signature_is_taken_once() {
        // Given a callback taken
        String body = "{\"transactionId\":\"tx-2\",\"status\":\"READ\",\"timestamp\":1763892000000}";
        assertThat(receive("msg_1", NOW, body, SECRET)).isEqualTo(NotifyStatusWebhook.Outcome.ACCEPTED);

        // When the provider delivers it again with a new timestamp and signature
        NotifyStatusWebhook.Outcome again = receive("msg_1", NOW.plusSeconds(30), body, SECRET);

        // Then it is a replay and published once only
        assertThat(again).isEqualTo(NotifyStatusWebhook.Outcome.REPLAYED);
        assertThat(published).hasSize(1);
    }

    @Test
    void without_a_provider_time_the_signed_webhook_id_names_the_event() {
        // Given a status body without its own timestamp
        String body = "{\"transactionId\":\"tx-3\",\"status\":\"SENT\"}";

        // When it comes under one webhook-id twice, then under another id
        NotifyStatusWebhook.Outcome first = receive("msg_a", NOW, body, SECRET);
        NotifyStatusWebhook.Outcome redelivered = receive("msg_a", NOW.plusSeconds(10), body, SECRET);
        NotifyStatusWebhook.Outcome anotherEvent = receive("msg_b", NOW.plusSeconds(20), body, SECRET);

        // Then the re-delivery is a replay, the other id a new event
        assertThat(first).isEqualTo(NotifyStatusWebhook.Outcome.ACCEPTED);
        assertThat(redelivered).isEqualTo(NotifyStatusWebhook.Outcome.REPLAYED);
        assertThat(anotherEvent).isEqualTo(NotifyStatusWebhook.Outcome.ACCEPTED);
        assertThat(published).hasSize(2);
    }

    private NotifyStatusWebhook.Outcome receive(String id, Instant signedAt, String body, String secret) {
        long ts = signedAt.getEpochSecond();
        return webhook.receive(QUERY, body.getBytes(StandardCharsets.UTF_8), id, Long.toString(ts),
                StandardWebhooks.sign(secret, id, ts, body), replays, tolerance);
    }
}
