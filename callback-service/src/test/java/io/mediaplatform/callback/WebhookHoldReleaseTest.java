package io.mediaplatform.callback;

import io.mediaplatform.callback.webhook.WebhookOutbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A status delivery enqueued behind one in flight that ended before the new one was committed (so the end could not
 * move it up) is looked at again as soon as its enqueue committed, not after its hold hint.
 */
class WebhookHoldReleaseTest extends CallbackServiceTestBase {

    @Autowired
    WebhookOutbox outbox;

    @Test
    void brings_back_a_new_delivery_whose_earlier_one_ended_while_it_was_enqueued_and_leaves_claimed_and_still_held_ones() {
        // Given, for message one, its ACCEPTED delivery ended (DELIVERED) and its SENT enqueued behind it with the hold
        // hint it got while ACCEPTED was still in flight; for message two, a SENT held behind a QUEUED still in flight;
        // and for message three, a SENT claimed by a sender (its lease as next attempt)
        String one = UUID.randomUUID().toString();
        String two = UUID.randomUUID().toString();
        String three = UUID.randomUUID().toString();
        String path = "/hold-release/" + one;
        String url = RECEIVER.url(path);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        for (String messageId : List.of(one, two, three)) {
            jdbc.sql("INSERT INTO messages (tenant_id, message_id, status, callback_urls) VALUES (?, ?, 'SENT', '[]'::jsonb)")
                    .params(TENANT, messageId).update();
        }
        insertDelivery(one, url, "ACCEPTED", "DELIVERED", null, now, 1);
        UUID released = insertDelivery(one, url, "SENT", "PENDING", now.plusSeconds(2), now.plusNanos(1_000), 0);
        insertDelivery(two, url, "QUEUED", "PENDING", now.plusMinutes(2), now, 0);
        UUID held = insertDelivery(two, url, "SENT", "PENDING", now.plusSeconds(2), now.plusNanos(1_000), 0);
        UUID claimed = insertDelivery(three, url, "SENT", "PENDING", now.plusMinutes(2), now, 0);

        // When the enqueuer looks at its new deliveries again after its commit
        outbox.releaseEnded(List.of(released, held, claimed), Instant.now());

        // Then message one's SENT goes now: no longer at its hint (due now, claimed since, or delivered already)
        assertThat("DELIVERED".equals(status(released)) || !nextAttempt(released).equals(now.plusSeconds(2).toInstant()))
                .as("released from its hold hint").isTrue();
        await().atMost(AWAIT).until(() -> "DELIVERED".equals(status(released)));
        assertThat(RECEIVER.received(path)).extracting(hook -> hook.headers().get("webhook-id")).containsExactly(released.toString());
        // And message two's SENT is still held behind its QUEUED, its hint kept; the claimed one keeps its lease
        assertThat(status(held)).isEqualTo("PENDING");
        assertThat(nextAttempt(held)).isEqualTo(now.plusSeconds(2).toInstant());
        assertThat(nextAttempt(claimed)).isEqualTo(now.plusMinutes(2).toInstant());
    }

    private UUID insertDelivery(String messageId, String url, String eventStatus, String status, OffsetDateTime nextAttemptAt,
                                OffsetDateTime createdAt, int attempts) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO webhook_deliveries (id, tenant_id, message_id, url, event_status, payload, status, attempts,
                                                        next_attempt_at, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(id, TENANT, messageId, url, eventStatus,
                        "{\"type\":\"message.status.updated\",\"data\":{\"messageId\":\"" + messageId + "\",\"status\":\"" + eventStatus + "\"}}",
                        status, attempts, nextAttemptAt, createdAt, createdAt)
                .update();
        return id;
    }

    private String status(UUID id) {
        return jdbc.sql("SELECT status FROM webhook_deliveries WHERE id = ?").params(id).query(String.class).single();
    }

    private Instant nextAttempt(UUID id) {
        OffsetDateTime next = jdbc.sql("SELECT next_attempt_at FROM webhook_deliveries WHERE id = ?").params(id)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class)).single();
        return next == null ? Instant.EPOCH : next.toInstant();
    }
}
