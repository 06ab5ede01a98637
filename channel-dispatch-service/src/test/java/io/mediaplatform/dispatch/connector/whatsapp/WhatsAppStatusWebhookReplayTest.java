package io.mediaplatform.dispatch.connector.whatsapp;

import io.mediaplatform.dispatch.send.core.Correlation;
import io.mediaplatform.dispatch.status.core.DeliveryState;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.status.core.StatusUpdate;
import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The WhatsApp webhook's replay defence on its own: statuses taken once, a failed publish taken again. */
class WhatsAppStatusWebhookReplayTest {

    private static final String SECRET = "unit-test-app-secret";
    private final WebhookSignature signature = new WebhookSignature(SECRET);
    private final ReplayGuard replays = new ReplayGuard(Duration.ofHours(24), 1000, Clock.systemUTC());
    private final List<StatusUpdate> published = new CopyOnWriteArrayList<>();
    private final AtomicBoolean brokerDown = new AtomicBoolean();
    private final StatusSink sink = (key, update) -> {
        // the second status of a webhook fails while the broker is down
        if (brokerDown.get() && update.state() == DeliveryState.READ) {
            throw new IllegalStateException("broker down");
        }
        published.add(update);
    };
    private final WhatsAppStatusWebhook webhook = new WhatsAppStatusWebhook(signature, sink, Clock.systemUTC());

    @Test
    void a_webhook_received_twice_publishes_its_statuses_once() {
        // Given a signed webhook with two statuses of a message
        byte[] body = webhook("m-1", "delivered", "read");

        // When it is received twice
        WhatsAppStatusWebhook.Outcome first = webhook.receive(body, signature.sign(body), replays);
        WhatsAppStatusWebhook.Outcome second = webhook.receive(body, signature.sign(body), replays);

        // Then both are accepted (200) and each status was published once
        assertThat(first).isEqualTo(WhatsAppStatusWebhook.Outcome.ACCEPTED);
        assertThat(second).isEqualTo(WhatsAppStatusWebhook.Outcome.ACCEPTED);
        assertThat(published).extracting(StatusUpdate::state).containsExactly(DeliveryState.DELIVERED, DeliveryState.READ);
    }

    @Test
    void a_webhook_that_failed_half_way_publishes_only_the_rest_when_the_provider_sends_it_again() {
        // Given a signed webhook with two statuses, and a broker that fails the second one
        byte[] body = webhook("m-2", "delivered", "read");
        brokerDown.set(true);

        // When it is received, the failure propagates (the controller answers 503 and Meta retries)
        assertThatThrownBy(() -> webhook.receive(body, signature.sign(body), replays)).hasMessage("broker down");
        assertThat(published).extracting(StatusUpdate::state).containsExactly(DeliveryState.DELIVERED);

        // When Meta sends it again with the broker back
        brokerDown.set(false);
        webhook.receive(body, signature.sign(body), replays);

        // Then the status that had failed is published, the one already taken is not published again
        assertThat(published).extracting(StatusUpdate::state).containsExactly(DeliveryState.DELIVERED, DeliveryState.READ);
    }

    @Test
    void the_same_status_with_another_provider_timestamp_is_a_new_event() {
        // Given two webhooks of the same status of a message at different provider times (two different events)
        byte[] first = webhook("m-3", 1_700_000_000L, "delivered");
        byte[] later = webhook("m-3", 1_700_000_060L, "delivered");

        // When both are received
        webhook.receive(first, signature.sign(first), replays);
        webhook.receive(later, signature.sign(later), replays);

        // Then both are published
        assertThat(published).hasSize(2);
    }

    @Test
    void a_replay_with_a_wrong_signature_is_refused_before_the_replay_check() {
        // Given a status already taken
        byte[] body = webhook("m-4", "delivered");
        webhook.receive(body, signature.sign(body), replays);

        // When it is sent again with a wrong signature
        WhatsAppStatusWebhook.Outcome outcome = webhook.receive(body, "sha256=" + "00".repeat(32), replays);

        // Then it is refused (401), not answered as a harmless replay
        assertThat(outcome).isEqualTo(WhatsAppStatusWebhook.Outcome.BAD_SIGNATURE);
        assertThat(published).hasSize(1);
    }

    private static byte[] webhook(String messageId, String... words) {
        return webhook(messageId, 1_700_000_000L, words);
    }

    private static byte[] webhook(String messageId, long timestamp, String... words) {
        String opaque = CallbackData.encode(new Correlation("tenant-a", messageId, "conv-" + messageId, "+15551110003"));
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            statuses.append(i == 0 ? "" : ",").append("""
                    {"id":"wamid.%s","status":"%s","timestamp":"%d","recipient_id":"15551110003",
                     "biz_opaque_callback_data":"%s"}""".formatted(messageId, words[i], timestamp + i, opaque));
        }
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","statuses":[%s]}}]}]}"""
                .formatted(statuses).getBytes(StandardCharsets.UTF_8);
    }
}
