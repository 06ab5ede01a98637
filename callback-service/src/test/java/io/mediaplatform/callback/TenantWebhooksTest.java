package io.mediaplatform.callback;

import io.mediaplatform.events.MessageStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tenant webhook endpoints (registration, fan-out with their own secrets and filters, rotation, deletion), replay,
 * the callback gap of statuses that arrive before ACCEPTED, paging of the message search, and the static pages.
 */
class TenantWebhooksTest extends CallbackServiceTestBase {

    @AfterEach
    void deleteTheTenantsEndpoints() {
        // Endpoints are tenant-wide: remove them so that no other test's message is told to them.
        deleteAllEndpoints();
    }

    @Test
    void registers_an_endpoint_answering_its_secret_once_and_lists_it_without_any_secret() {
        // Given a URL the guard allows
        String url = RECEIVER.url("/endpoint/" + UUID.randomUUID());

        // When the tenant registers it with a status filter
        Response created = exchange("POST", "/v1/webhooks", KEY,
                "{\"url\":\"" + url + "\",\"events\":[\"delivered\",\"READ\"],\"description\":\"CRM\"}");

        // Then it is created with a Standard Webhooks secret, shown this once
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asString();
        String secret = created.json().path("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(texts(created.json().path("events"), "x")).hasSize(2);
        assertThat(created.json().path("events").get(0).asString()).isEqualTo("DELIVERED");
        assertThat(created.json().path("url").asString()).isEqualTo(url);
        assertThat(created.json().path("createdAt").isMissingNode()).isFalse();
        // And listing and reading it never show a secret
        Response list = exchange("GET", "/v1/webhooks", KEY, null);
        assertThat(texts(list.json().path("items"), "id")).containsExactly(id);
        assertThat(list.json().toString()).doesNotContain(secret).doesNotContain("\"secret\"");
        Response one = exchange("GET", "/v1/webhooks/" + id, KEY, null);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("description").asString()).isEqualTo("CRM");
        assertThat(one.json().toString()).doesNotContain(secret);
        // And the database holds it encrypted
        String stored = jdbc.sql("SELECT secret FROM webhook_endpoints WHERE id = ?::uuid").params(id).query(String.class).single();
        assertThat(stored).startsWith("v1:").doesNotContain(secret).doesNotContain(secret.substring(6));
        // And another tenant does not see it, a read-only key may not manage endpoints
        assertThat(exchange("GET", "/v1/webhooks/" + id, OTHER_KEY, null).status()).isEqualTo(404);
        assertThat(exchange("GET", "/v1/webhooks", OTHER_KEY, null).json().path("items")).isEmpty();
        assertThat(exchange("GET", "/v1/webhooks", READ_ONLY_KEY, null).status()).isEqualTo(403);
        assertThat(exchange("POST", "/v1/webhooks", READ_ONLY_KEY, "{\"url\":\"" + url + "\"}").status()).isEqualTo(403);
    }

    @Test
    void refuses_a_blocked_url_an_unknown_event_and_a_missing_url_with_a_problem() {
        // Given / When endpoints with a private address, a non-http scheme, an unknown event, or no url
        Response privateAddress = exchange("POST", "/v1/webhooks", KEY, "{\"url\":\"http://10.1.2.3/hook\"}");
        Response metadata = exchange("POST", "/v1/webhooks", KEY, "{\"url\":\"http://169.254.169.254/latest\"}");
        Response ftp = exchange("POST", "/v1/webhooks", KEY, "{\"url\":\"ftp://example.com/hook\"}");
        Response unknownEvent = exchange("POST", "/v1/webhooks", KEY,
                "{\"url\":\"" + RECEIVER.url("/x") + "\",\"events\":[\"OPENED\"]}");
        Response noUrl = exchange("POST", "/v1/webhooks", KEY, "{\"events\":[\"READ\"]}");

        // Then each is a 400 problem and nothing is stored
        for (Response response : List.of(privateAddress, metadata, ftp, unknownEvent, noUrl)) {
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().path("type").asString()).isEqualTo("/problems/invalid-request");
        }
        assertThat(privateAddress.json().path("detail").asString()).contains("not allowed");
        assertThat(unknownEvent.json().path("detail").asString()).contains("OPENED");
        assertThat(exchange("GET", "/v1/webhooks", KEY, null).json().path("items")).isEmpty();
    }

    @Test
    void fans_every_status_out_to_the_message_callback_and_to_the_matching_endpoints_each_signed_with_its_own_secret() {
        // Given an endpoint for DELIVERED and READ only, and one for every status
        String messageId = UUID.randomUUID().toString();
        String callbackPath = "/fanout-callback/" + messageId;
        String filteredPath = "/fanout-filtered/" + messageId;
        String allPath = "/fanout-all/" + messageId;
        String filteredSecret = createEndpoint(filteredPath, "[\"DELIVERED\",\"READ\"]").path("secret").asString();
        String allSecret = createEndpoint(allPath, "[\"message.status.updated\"]").path("secret").asString();

        // When a message with its own callback URL goes ACCEPTED, SENT, DELIVERED, READ
        Instant t0 = Instant.now();
        received(messageId, "ext-" + messageId, null, List.of(RECEIVER.url(callbackPath)), t0);
        status(messageId, MessageStatus.SENT, t0.plusSeconds(1), null, null);
        status(messageId, MessageStatus.DELIVERED, t0.plusSeconds(2), null, null);
        status(messageId, MessageStatus.READ, t0.plusSeconds(3), null, null);

        // Then the callback URL and the all-status endpoint are told of the four, the filtered one of two
        await().atMost(AWAIT).untilAsserted(() -> {
            assertThat(told(callbackPath)).containsExactlyInAnyOrder("ACCEPTED", "SENT", "DELIVERED", "READ");
            assertThat(told(allPath, messageId)).containsExactlyInAnyOrder("ACCEPTED", "SENT", "DELIVERED", "READ");
            assertThat(told(filteredPath, messageId)).containsExactlyInAnyOrder("DELIVERED", "READ");
        });
        // And each is signed with its own secret, not another's
        assertSignedWith(callbackPath, SECRET, allSecret);
        assertSignedWith(allPath, allSecret, SECRET);
        assertSignedWith(filteredPath, filteredSecret, allSecret);
        // And every attempt is on the message, and measured
        await().atMost(AWAIT).untilAsserted(() -> assertThat(get(messageId, KEY).json().path("webhookAttempts")).hasSize(10));
        assertThat(meters.find("callback.webhook.latency").tag("target", "endpoint").timer()).isNotNull()
                .satisfies(timer -> assertThat(timer.count()).isPositive());
        assertThat(meters.find("callback.webhook.deliveries").tag("result", "delivered").counters()).isNotEmpty();
        assertThat(meters.find("callback.status.events").tag("status", "READ").counter()).isNotNull();
    }

    @Test
    void lists_an_endpoints_attempts_newest_first_for_its_tenant_only() {
        // Given an endpoint for READ only, and a message that goes ACCEPTED then READ
        String messageId = UUID.randomUUID().toString();
        String path = "/attempts/" + messageId;
        String id = createEndpoint(path, "[\"READ\"]").path("id").asString();
        Instant t0 = Instant.now();
        received(messageId, "ext-" + messageId, null, List.of(), t0);
        status(messageId, MessageStatus.READ, t0.plusSeconds(1), null, null);
        await().atMost(AWAIT).untilAsserted(() -> assertThat(told(path, messageId)).containsExactly("READ"));

        // When the endpoint's attempts are listed
        Response attempts = exchange("GET", "/v1/webhooks/" + id + "/attempts", KEY, null);

        // Then the one attempt is there with its message, event, HTTP status and delivery state
        assertThat(attempts.status()).isEqualTo(200);
        JsonNode attempt = attempts.json().path("items").get(0);
        assertThat(attempts.json().path("items")).hasSize(1);
        assertThat(attempt.path("messageId").asString()).isEqualTo(messageId);
        assertThat(attempt.path("eventType").asString()).isEqualTo("message.status.updated");
        assertThat(attempt.path("eventStatus").asString()).isEqualTo("READ");
        assertThat(attempt.path("attempt").asInt()).isEqualTo(1);
        assertThat(attempt.path("statusCode").asInt()).isEqualTo(200);
        assertThat(attempt.path("deliveryStatus").asString()).isEqualTo("DELIVERED");
        // And another tenant, a bad limit and an unknown endpoint are problems
        assertThat(exchange("GET", "/v1/webhooks/" + id + "/attempts", OTHER_KEY, null).status()).isEqualTo(404);
        Response badLimit = exchange("GET", "/v1/webhooks/" + id + "/attempts?limit=0", KEY, null);
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().path("detail").asString()).contains("limit");
        assertThat(exchange("GET", "/v1/webhooks/" + UUID.randomUUID() + "/attempts", KEY, null).status()).isEqualTo(404);
        assertThat(exchange("GET", "/v1/webhooks/" + id + "/attempts", READ_ONLY_KEY, null).status()).isEqualTo(403);
    }

    @Test
    void after_a_rotation_signs_with_both_the_new_and_the_old_secret_until_the_overlap_ends() {
        // Given an endpoint whose secret was rotated
        String messageId = UUID.randomUUID().toString();
        String path = "/rotated/" + messageId;
        JsonNode endpoint = createEndpoint(path, null);
        String oldSecret = endpoint.path("secret").asString();
        Response rotated = exchange("POST", "/v1/webhooks/" + endpoint.path("id").asString() + "/rotate-secret", KEY, null);
        assertThat(rotated.status()).isEqualTo(200);
        String newSecret = rotated.json().path("secret").asString();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        Instant expires = Instant.parse(rotated.json().path("previousSecretExpiresAt").asString());
        assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofHours(23), Duration.ofHours(25));

        // When a status is told
        received(messageId, null, null, List.of(), Instant.now());

        // Then the webhook carries two signatures, and a receiver with either secret verifies it
        await().atMost(AWAIT).until(() -> !RECEIVER.received(path).isEmpty());
        WebhookReceiver.Received hook = RECEIVER.received(path).getFirst();
        assertThat(hook.headers().get("webhook-signature").split(" ")).hasSize(2);
        assertThat(verifies(hook, newSecret)).isTrue();
        assertThat(verifies(hook, oldSecret)).isTrue();
        // And the endpoint shows until when the old secret signs
        assertThat(exchange("GET", "/v1/webhooks/" + endpoint.path("id").asString(), KEY, null).json()
                .path("previousSecretExpiresAt").asString()).isNotEmpty();
    }

    @Test
    void a_deleted_endpoint_is_gone_and_told_nothing_more() {
        // Given an endpoint
        String messageId = UUID.randomUUID().toString();
        String path = "/deleted/" + messageId;
        String id = createEndpoint(path, null).path("id").asString();

        // When it is deleted and then a message of the tenant is accepted
        assertThat(exchange("DELETE", "/v1/webhooks/" + id, KEY, null).status()).isEqualTo(204);
        received(messageId, null, null, List.of(), Instant.now());
        await().atMost(AWAIT).until(() -> get(messageId, KEY).status() == 200);

        // Then it is not found any more, a second delete is 404, and nothing was enqueued for it
        assertThat(exchange("GET", "/v1/webhooks/" + id, KEY, null).status()).isEqualTo(404);
        assertThat(exchange("DELETE", "/v1/webhooks/" + id, KEY, null).status()).isEqualTo(404);
        assertThat(exchange("DELETE", "/v1/webhooks/not-a-uuid", KEY, null).status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?::uuid").params(id)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM webhook_endpoints WHERE id = ?::uuid AND secret IS NULL AND deleted_at IS NOT NULL")
                .params(id).query(Long.class).single()).isEqualTo(1);
        assertThat(RECEIVER.received(path)).isEmpty();
    }

    @Test
    void replays_the_statuses_of_a_message_as_new_deliveries() {
        // Given a message whose ACCEPTED and SENT were told
        String messageId = UUID.randomUUID().toString();
        String path = "/replay/" + messageId;
        Instant t0 = Instant.now();
        received(messageId, null, null, List.of(RECEIVER.url(path)), t0);
        status(messageId, MessageStatus.SENT, t0.plusSeconds(1), null, null);
        await().atMost(AWAIT).until(() -> RECEIVER.received(path).size() == 2);

        // When the client asks for a replay of all, then of SENT only
        Response all = exchange("POST", "/v1/messages/" + messageId + "/webhooks/replay", KEY, null);
        Response sent = exchange("POST", "/v1/messages/" + messageId + "/webhooks/replay?status=sent", KEY, null);

        // Then 202 with the counts, and the statuses are told again with new webhook ids
        assertThat(all.status()).isEqualTo(202);
        assertThat(all.json().path("count").asInt()).isEqualTo(2);
        assertThat(sent.status()).isEqualTo(202);
        assertThat(sent.json().path("count").asInt()).isEqualTo(1);
        await().atMost(AWAIT).until(() -> RECEIVER.received(path).size() == 5);
        assertThat(told(path)).containsExactlyInAnyOrder("ACCEPTED", "SENT", "ACCEPTED", "SENT", "SENT");
        assertThat(RECEIVER.received(path).stream().map(r -> r.headers().get("webhook-id")).distinct()).hasSize(5);
        // And a bad status is 400, an unknown or another tenant's message 404, a read-only key 403
        assertThat(exchange("POST", "/v1/messages/" + messageId + "/webhooks/replay?status=OPENED", KEY, null).status()).isEqualTo(400);
        assertThat(exchange("POST", "/v1/messages/no-such/webhooks/replay", KEY, null).status()).isEqualTo(404);
        assertThat(exchange("POST", "/v1/messages/" + messageId + "/webhooks/replay", OTHER_KEY, null).status()).isEqualTo(404);
        assertThat(exchange("POST", "/v1/messages/" + messageId + "/webhooks/replay", READ_ONLY_KEY, null).status()).isEqualTo(403);
    }

    @Test
    void tells_the_callback_of_statuses_that_arrived_before_ACCEPTED_once_ACCEPTED_brings_the_URL() {
        // Given SENT and DELIVERED recorded before the message's ACCEPTED, so without its callback URL
        String messageId = UUID.randomUUID().toString();
        String path = "/late-url/" + messageId;
        Instant t0 = Instant.now();
        status(messageId, MessageStatus.SENT, t0.plusSeconds(1), null, null);
        status(messageId, MessageStatus.DELIVERED, t0.plusSeconds(2), null, null);
        await().atMost(AWAIT).until(() -> get(messageId, KEY).json().path("history").size() == 2);

        // When ACCEPTED arrives with the callback URL, and READ after it
        received(messageId, null, null, List.of(RECEIVER.url(path)), t0);
        await().atMost(AWAIT).until(() -> get(messageId, KEY).json().path("history").size() == 3);
        status(messageId, MessageStatus.READ, t0.plusSeconds(3), null, null);

        // Then the callback is told of every status once, the early ones with the status they had
        await().atMost(AWAIT).untilAsserted(() -> assertThat(told(path))
                .containsExactlyInAnyOrder("ACCEPTED", "SENT", "DELIVERED", "READ"));
        JsonNode sent = RECEIVER.received(path).stream().map(r -> json.readTree(r.body()).path("data"))
                .filter(d -> d.path("status").asString().equals("SENT")).findFirst().orElseThrow();
        assertThat(sent.path("currentStatus").asString()).isEqualTo("SENT");
        assertThat(jdbc.sql("SELECT count(*) FROM status_history WHERE message_id = ? AND NOT callbacks_enqueued")
                .params(messageId).query(Long.class).single()).isZero();
    }

    @Test
    void pages_through_a_search_newest_first_with_an_opaque_cursor_and_filters_by_time_and_conversation() {
        // Given three messages of one client
        String clientId = "pager-" + UUID.randomUUID();
        List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Instant before = Instant.now().minusSeconds(1);
        for (String id : ids) {
            received(id, null, clientId, List.of(), Instant.now());
            await().atMost(AWAIT).until(() -> get(id, KEY).status() == 200);
        }

        // When they are read two at a time
        Response first = search("clientId=" + clientId + "&limit=2", KEY);
        Response second = search("clientId=" + clientId + "&limit=2&cursor=" + first.json().path("nextCursor").asString(), KEY);

        // Then the pages hold all three, newest first, and the last page has no cursor
        assertThat(first.status()).isEqualTo(200);
        assertThat(texts(first.json().path("items"), "messageId")).containsExactly(ids.get(2), ids.get(1));
        assertThat(first.json().path("nextCursor").asString()).isNotEmpty();
        assertThat(texts(second.json().path("items"), "messageId")).containsExactly(ids.get(0));
        assertThat(second.json().has("nextCursor")).isFalse();
        // And the time range and the conversation narrow the search
        assertThat(texts(search("clientId=" + clientId + "&from=" + before, KEY).json().path("items"), "messageId")).hasSize(3);
        assertThat(search("clientId=" + clientId + "&to=" + before, KEY).json().path("items")).isEmpty();
        assertThat(texts(search("conversationId=conv-" + ids.get(1), KEY).json().path("items"), "messageId"))
                .containsExactly(ids.get(1));
        // And without criteria the latest messages of the tenant are listed, never another tenant's
        assertThat(texts(search("limit=3", KEY).json().path("items"), "messageId")).contains(ids.get(2));
        assertThat(texts(search("limit=100", OTHER_KEY).json().path("items"), "messageId")).doesNotContainAnyElementsOf(ids);
    }

    @Test
    void serves_the_console_and_the_openapi_document_without_a_key() {
        // Given / When the static pages are fetched without a key
        var console = raw("/console");
        var script = raw("/console.js");
        var openapi = raw("/openapi.yaml");

        // Then they are served
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(console.body()).contains("console.js").contains("API key");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("sessionStorage").contains("/v1/messages");
        // And the page's policy allows no inline script, connections to itself and ingest only, thumbnails as blobs
        assertThat(console.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self';").contains("img-src 'self' blob:;").contains("frame-ancestors 'none'")
                .contains("connect-src 'self' http://127.0.0.1:8080;").doesNotContain("unsafe-inline"));
        // And its configuration says where ingest is
        var config = raw("/console/config.json");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(json.readTree(config.body()).path("ingestUrl").asString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).startsWith("openapi: 3.1.0").contains("/v1/webhooks:").contains("/v1/messages/{messageId}/webhooks/replay:");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private List<String> told(String path) {
        return RECEIVER.received(path).stream().map(r -> json.readTree(r.body()).path("data").path("status").asString()).toList();
    }

    /** The statuses of that message told to {@code path} (a tenant endpoint is told of every message of the tenant). */
    private List<String> told(String path, String messageId) {
        return RECEIVER.received(path).stream().map(r -> json.readTree(r.body()).path("data"))
                .filter(data -> data.path("messageId").asString().equals(messageId))
                .map(data -> data.path("status").asString()).toList();
    }

    private static void assertSignedWith(String path, String secret, String notSecret) {
        assertThat(RECEIVER.received(path)).isNotEmpty().allSatisfy(hook -> {
            assertThat(verifies(hook, secret)).as("signed with its secret").isTrue();
            assertThat(verifies(hook, notSecret)).as("not signed with another secret").isFalse();
        });
    }

    private java.net.http.HttpResponse<String> raw(String path) {
        try {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
