package io.mediaplatform.callback;

import io.mediaplatform.events.MessageStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status webhooks of one message reach each target (a callback URL of the message, a tenant endpoint) in the
 * order they were enqueued: a delivery waits while an earlier one of the same message to the same target is
 * pending, and goes once that one is delivered or given up. Other messages and other targets are not held.
 */
class WebhookOrderTest extends CallbackServiceTestBase {

    private static final List<String> PATH = List.of("ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ");

    @AfterEach
    void deleteTheTenantsEndpoints() {
        // Endpoints are tenant-wide: remove them so that no other test's message is told to them.
        deleteAllEndpoints();
    }

    @Test
    void holds_the_later_statuses_of_a_message_until_the_retried_QUEUED_is_delivered_but_not_other_messages_or_targets() {
        // Given a callback URL that fails the QUEUED webhook of message one twice (503, retry after 3 s), then
        // accepts it, and a tenant endpoint that accepts everything
        String one = UUID.randomUUID().toString();
        String two = UUID.randomUUID().toString();
        String path = "/ordered/" + one;
        String endpointPath = "/ordered-endpoint/" + one;
        createEndpoint(endpointPath, null);
        RECEIVER.script(path, body -> is(body, one, "QUEUED"), new WebhookReceiver.Answer(503, Map.of("Retry-After", "3")),
                new WebhookReceiver.Answer(503, Map.of("Retry-After", "3")), WebhookReceiver.Answer.of(200));

        // When message one goes ACCEPTED, QUEUED, SENT, DELIVERED, READ
        Instant t0 = Instant.now();
        received(one, null, null, List.of(RECEIVER.url(path)), t0);
        // (ACCEPTED and the statuses travel on two topics: the tenant endpoint gets them in the order they are
        // recorded, so ACCEPTED is recorded first, as it is in the pipeline)
        await().atMost(AWAIT).until(() -> get(one, KEY).status() == 200);
        publishStatuses(one, t0);
        // And, once its QUEUED webhook has failed, message two with the same callback URL goes ACCEPTED, SENT
        await().atMost(AWAIT).until(() -> told(path, one).contains("QUEUED"));
        received(two, null, null, List.of(RECEIVER.url(path)), Instant.now());
        status(two, MessageStatus.SENT, Instant.now().plusSeconds(1), null, null);

        // Then the callback URL gets message one's webhooks in status order, QUEUED three times (the same delivery)
        await().atMost(AWAIT).until(() -> told(path, one).size() == 7);
        assertThat(told(path, one)).containsExactly("ACCEPTED", "QUEUED", "QUEUED", "QUEUED", "SENT", "DELIVERED", "READ");
        assertThat(hooks(path, one, "QUEUED").stream().map(h -> h.headers().get("webhook-id")).distinct()).hasSize(1);
        assertThat(attempts(one, RECEIVER.url(path))).extracting(Attempt::status, Attempt::statusCode).containsExactly(
                tuple("ACCEPTED", 200), tuple("QUEUED", 503), tuple("QUEUED", 503), tuple("QUEUED", 200), tuple("SENT", 200),
                tuple("DELIVERED", 200), tuple("READ", 200));
        // And SENT, DELIVERED and READ were enqueued while QUEUED was still pending: they waited for it
        Instant queuedDelivered = attempts(one, RECEIVER.url(path)).get(3).at();
        assertThat(enqueuedAt(one, RECEIVER.url(path), "SENT", "DELIVERED", "READ")).allSatisfy(at -> assertThat(at).isBefore(queuedDelivered));
        // And message two's webhooks to the same URL were not held up behind message one's QUEUED
        await().atMost(AWAIT).until(() -> told(path, two).size() == 2);
        assertThat(told(path, two)).containsExactly("ACCEPTED", "SENT");
        assertThat(attempts(two, RECEIVER.url(path))).allSatisfy(a -> assertThat(a.at()).isBefore(queuedDelivered));
        // And the tenant endpoint, another target of message one, got all five in order without waiting either
        await().atMost(AWAIT).until(() -> told(endpointPath, one).size() == 5);
        assertThat(told(endpointPath, one)).containsExactlyElementsOf(PATH);
        assertThat(attempts(one, RECEIVER.url(endpointPath))).hasSize(5)
                .allSatisfy(a -> assertThat(a.at()).isBefore(queuedDelivered));
    }

    @Test
    void releases_the_next_status_when_the_earlier_one_is_given_up_after_its_retries() {
        // Given a callback URL that always answers the QUEUED webhook 503 (retry after 2 s): the three attempts of
        // the test schedule (0s,200ms,200ms) are spent after about 4 s
        String messageId = UUID.randomUUID().toString();
        String path = "/ordered-give-up/" + messageId;
        RECEIVER.script(path, body -> is(body, messageId, "QUEUED"), new WebhookReceiver.Answer(503, Map.of("Retry-After", "2")));

        // When the message goes ACCEPTED, QUEUED, SENT, DELIVERED, READ
        Instant t0 = Instant.now();
        received(messageId, null, null, List.of(RECEIVER.url(path)), t0);
        publishStatuses(messageId, t0);

        // Then QUEUED is given up after three attempts, and only then SENT, DELIVERED and READ go, in order
        await().atMost(AWAIT).until(() -> told(path, messageId).size() == 7);
        assertThat(told(path, messageId)).containsExactly("ACCEPTED", "QUEUED", "QUEUED", "QUEUED", "SENT", "DELIVERED", "READ");
        await().atMost(AWAIT).untilAsserted(() -> assertThat(attempts(messageId, RECEIVER.url(path)))
                .extracting(Attempt::status, Attempt::statusCode, Attempt::deliveryStatus).containsExactly(
                        tuple("ACCEPTED", 200, "DELIVERED"), tuple("QUEUED", 503, "FAILED"), tuple("QUEUED", 503, "FAILED"),
                        tuple("QUEUED", 503, "FAILED"), tuple("SENT", 200, "DELIVERED"), tuple("DELIVERED", 200, "DELIVERED"),
                        tuple("READ", 200, "DELIVERED")));
        Instant givenUp = attempts(messageId, RECEIVER.url(path)).get(3).at();
        assertThat(enqueuedAt(messageId, RECEIVER.url(path), "SENT", "DELIVERED", "READ")).allSatisfy(at -> assertThat(at).isBefore(givenUp));
    }

    @Test
    void holds_a_tenant_endpoints_later_status_until_its_earlier_one_is_delivered() {
        // Given a tenant endpoint that fails the QUEUED webhook of the message once (503, retry after 2 s)
        String messageId = UUID.randomUUID().toString();
        String endpointPath = "/ordered-endpoint-retry/" + messageId;
        createEndpoint(endpointPath, "[\"message.status.updated\"]");
        RECEIVER.script(endpointPath, body -> is(body, messageId, "QUEUED"), new WebhookReceiver.Answer(503, Map.of("Retry-After", "2")),
                WebhookReceiver.Answer.of(200));

        // When a message without callback URLs goes ACCEPTED, QUEUED, SENT, DELIVERED, READ
        Instant t0 = Instant.now();
        received(messageId, null, null, List.of(), t0);
        publishStatuses(messageId, t0);

        // Then the endpoint gets them in status order, the later ones after the retried QUEUED
        await().atMost(AWAIT).until(() -> told(endpointPath, messageId).size() == 6);
        assertThat(told(endpointPath, messageId)).containsExactly("ACCEPTED", "QUEUED", "QUEUED", "SENT", "DELIVERED", "READ");
        Instant queuedDelivered = attempts(messageId, RECEIVER.url(endpointPath)).get(2).at();
        assertThat(enqueuedAt(messageId, RECEIVER.url(endpointPath), "SENT", "DELIVERED", "READ"))
                .allSatisfy(at -> assertThat(at).isBefore(queuedDelivered));
    }

    @Test
    void a_delivery_in_flight_on_another_instance_holds_the_next_one_in_the_claim_itself() throws InterruptedException {
        // Given, as left in the database by another callback instance: the ACCEPTED delivery of a message claimed
        // and in flight there (PENDING under a lease), the message's SENT delivery to the same URL enqueued after
        // it and due now, and another message's delivery to that URL, due now
        String held = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String path = "/ordered-claim/" + held;
        String url = RECEIVER.url(path);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (String messageId : List.of(held, other)) {
            jdbc.sql("INSERT INTO messages (tenant_id, message_id, status, callback_urls) VALUES (?, ?, 'SENT', '[]'::jsonb)")
                    .params(TENANT, messageId).update();
        }
        UUID inFlight = insertDelivery(held, url, "ACCEPTED", now.plusMinutes(10));
        UUID next = insertDelivery(held, url, "SENT", now.minusSeconds(1));
        UUID otherDue = insertDelivery(other, url, "ACCEPTED", now.minusSeconds(1));

        // When this instance's sender polls
        // Then it delivers the other message's webhook, and not the SENT held behind the one in flight
        await().atMost(AWAIT).until(() -> deliveryStatus(otherDue).equals("DELIVERED"));
        Thread.sleep(500); // ten more polls
        assertThat(deliveryStatus(next)).isEqualTo("PENDING");
        assertThat(jdbc.sql("SELECT attempts FROM webhook_deliveries WHERE id = ?").params(next).query(Integer.class).single()).isZero();
        assertThat(RECEIVER.received(path)).extracting(h -> h.headers().get("webhook-id")).containsExactly(otherDue.toString());

        // When the other instance finishes the one in flight
        jdbc.sql("UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = 1, next_attempt_at = NULL WHERE id = ?")
                .params(inFlight).update();

        // Then the held SENT goes
        await().atMost(AWAIT).until(() -> deliveryStatus(next).equals("DELIVERED"));
        assertThat(RECEIVER.received(path)).extracting(h -> h.headers().get("webhook-id"))
                .containsExactly(otherDue.toString(), next.toString());
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    record Attempt(String status, Integer statusCode, String deliveryStatus, Instant at) {
    }

    static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    private void publishStatuses(String messageId, Instant t0) {
        List<MessageStatus> statuses = List.of(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ);
        for (int i = 0; i < statuses.size(); i++) {
            status(messageId, statuses.get(i), t0.plusSeconds(i + 1), null, null);
        }
    }

    private boolean is(String body, String messageId, String status) {
        JsonNode data = json.readTree(body).path("data");
        return messageId.equals(data.path("messageId").asString()) && status.equals(data.path("status").asString());
    }

    private List<WebhookReceiver.Received> hooks(String path, String messageId, String status) {
        Predicate<WebhookReceiver.Received> matches = hook -> is(hook.body(), messageId, status);
        return RECEIVER.received(path).stream().filter(matches).toList();
    }

    /** The statuses told to {@code path} for that message, in the order the requests arrived. */
    private List<String> told(String path, String messageId) {
        return RECEIVER.received(path).stream().map(hook -> json.readTree(hook.body()).path("data"))
                .filter(data -> messageId.equals(data.path("messageId").asString()))
                .map(data -> data.path("status").asString()).toList();
    }

    /** Every attempt of the message's deliveries to {@code url}, in the order they were made. */
    private List<Attempt> attempts(String messageId, String url) {
        return jdbc.sql("""
                        SELECT d.event_status, a.status_code, d.status, a.at FROM webhook_attempts a
                        JOIN webhook_deliveries d ON d.id = a.delivery_id
                        WHERE d.tenant_id = ? AND d.message_id = ? AND d.url = ? ORDER BY a.at, a.id
                        """)
                .params(TENANT, messageId, url)
                .query((rs, n) -> new Attempt(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()))
                .list();
    }

    /** When the message's deliveries of those statuses to {@code url} were enqueued. */
    private List<Instant> enqueuedAt(String messageId, String url, String... statuses) {
        List<Instant> at = jdbc.sql("SELECT event_status, created_at FROM webhook_deliveries WHERE tenant_id = ? AND message_id = ? AND url = ?")
                .params(TENANT, messageId, url)
                .query((rs, n) -> List.of(statuses).contains(rs.getString(1)) ? rs.getObject(2, OffsetDateTime.class).toInstant() : null)
                .list().stream().filter(java.util.Objects::nonNull).toList();
        assertThat(at).hasSize(statuses.length);
        return at;
    }

    private UUID insertDelivery(String messageId, String url, String status, OffsetDateTime nextAttemptAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO webhook_deliveries (id, tenant_id, message_id, url, event_status, payload, status, attempts,
                                                        next_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?)
                        """)
                .params(id, TENANT, messageId, url, status,
                        "{\"type\":\"message.status.updated\",\"data\":{\"messageId\":\"" + messageId + "\",\"status\":\"" + status + "\"}}",
                        nextAttemptAt)
                .update();
        return id;
    }

    private String deliveryStatus(UUID id) {
        return jdbc.sql("SELECT status FROM webhook_deliveries WHERE id = ?").params(id).query(String.class).single();
    }
}
