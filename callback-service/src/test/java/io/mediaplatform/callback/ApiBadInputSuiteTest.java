package io.mediaplatform.callback;

import io.mediaplatform.events.MessageStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input at every door of callback-service's API (messages, webhook endpoints, replay, console and OpenAPI
 * paths, and what the container refuses itself): each case answers its 4xx as RFC 9457 problem JSON with a
 * {@code type}, {@code title}, {@code status} and a {@code detail}, and stores nothing — no webhook endpoint, no
 * webhook delivery, no message row is added.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiBadInputSuiteTest extends CallbackServiceTestBase {

    /** A message of tenant-a, with a status, recorded once for the cases that name a real message. */
    private static String messageOfA;

    @BeforeEach
    void recordMessageOnce() {
        if (messageOfA == null) {
            String id = UUID.randomUUID().toString();
            Instant t0 = Instant.now().minusSeconds(60);
            received(id, "ext-" + id, null, List.of(), t0);
            status(id, MessageStatus.SENT, t0.plusSeconds(1), null, null);
            await().atMost(AWAIT).until(() -> get(id, KEY).status() == 200);
            messageOfA = id;
        }
        endpointOfB();
    }

    /** What came back: status, Content-Type and body text. */
    record Answer(int status, String contentType, String body) {
    }

    /**
     * One bad request.
     *
     * @param name   what is wrong
     * @param status expected status
     * @param detail a piece the problem's {@code detail} must contain, or null
     * @param call   sends it
     * @param alternative another status that is as right (the container or the application may refuse it first)
     */
    record Case(String name, int status, String detail, Function<ApiBadInputSuiteTest, Answer> call, int alternative) {
        Case(String name, int status, String detail, Function<ApiBadInputSuiteTest, Answer> call) {
            this(name, status, detail, call, status);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String unknownId = UUID.randomUUID().toString();
        // ---- authentication and scopes ----
        cases.add(new Case("GET /v1/messages without a key", 401, "Missing API key",
                t -> t.send("GET", "/v1/messages", null, null, null)));
        cases.add(new Case("GET /v1/messages with an unknown key", 401, "Unknown API key",
                t -> t.send("GET", "/v1/messages", "mpk_not_a_key", null, null)));
        cases.add(new Case("Basic instead of Bearer", 401, "Bearer",
                t -> t.sendWithHeader("GET", "/v1/messages", "Authorization", "Basic dXNlcjpwdw==")));
        cases.add(new Case("Bearer with an empty key", 401, null,
                t -> t.sendWithHeader("GET", "/v1/messages", "Authorization", "Bearer ")));
        cases.add(new Case("POST /v1/webhooks without a key", 401, null,
                t -> t.send("POST", "/v1/webhooks", null, "application/json", "{\"url\":\"https://example.com/h\"}")));
        cases.add(new Case("POST /v1/webhooks with a read-only key", 403, "webhooks:admin",
                t -> t.send("POST", "/v1/webhooks", READ_ONLY_KEY, "application/json", "{\"url\":\"https://example.com/h\"}")));
        cases.add(new Case("GET /v1/webhooks with a read-only key", 403, "webhooks:admin",
                t -> t.send("GET", "/v1/webhooks", READ_ONLY_KEY, null, null)));
        cases.add(new Case("replay with a read-only key", 403, "webhooks:admin",
                t -> t.send("POST", "/v1/messages/" + messageOfA + "/webhooks/replay", READ_ONLY_KEY, null, null)));
        cases.add(new Case("another tenant's message", 404, null,
                t -> t.send("GET", "/v1/messages/" + messageOfA, OTHER_KEY, null, null)));
        cases.add(new Case("replay of another tenant's message", 404, null,
                t -> t.send("POST", "/v1/messages/" + messageOfA + "/webhooks/replay", OTHER_KEY, null, null)));
        // ---- DELETE /v1/messages/{id}, DELETE /v1/contacts/{channel}/{address} ----
        cases.add(new Case("delete with a read-only key", 403, "messages:delete",
                t -> t.send("DELETE", "/v1/messages/" + messageOfA, READ_ONLY_KEY, null, null)));
        cases.add(new Case("delete of another tenant's message", 404, null,
                t -> t.send("DELETE", "/v1/messages/" + messageOfA, OTHER_KEY, null, null)));
        cases.add(new Case("delete of an unknown message", 404, unknownId,
                t -> t.send("DELETE", "/v1/messages/" + unknownId, KEY, null, null)));
        cases.add(new Case("contact erasure with a read-only key", 403, "messages:delete",
                t -> t.send("DELETE", "/v1/contacts/whatsapp/+15551234567", READ_ONLY_KEY, null, null)));
        cases.add(new Case("contact erasure on an unknown channel", 400, "channel",
                t -> t.send("DELETE", "/v1/contacts/pigeon/+15551234567", KEY, null, null)));
        cases.add(new Case("contact erasure of a blank address", 400, "address",
                t -> t.send("DELETE", "/v1/contacts/whatsapp/%20", KEY, null, null)));
        // ---- GET /v1/messages/{id} and search ----
        cases.add(new Case("unknown message id", 404, unknownId,
                t -> t.send("GET", "/v1/messages/" + unknownId, KEY, null, null)));
        cases.add(new Case("message id that is no UUID", 404, null,
                t -> t.send("GET", "/v1/messages/not-a-uuid", KEY, null, null)));
        cases.add(new Case("limit of zero", 400, "limit", t -> t.send("GET", "/v1/messages?limit=0", KEY, null, null)));
        cases.add(new Case("limit over the maximum", 400, "limit", t -> t.send("GET", "/v1/messages?limit=101", KEY, null, null)));
        cases.add(new Case("negative limit", 400, "limit", t -> t.send("GET", "/v1/messages?limit=-5", KEY, null, null)));
        cases.add(new Case("limit that is no number", 400, "limit", t -> t.send("GET", "/v1/messages?limit=ten", KEY, null, null)));
        cases.add(new Case("limit beyond int", 400, "limit",
                t -> t.send("GET", "/v1/messages?limit=99999999999999999999", KEY, null, null)));
        cases.add(new Case("cursor that is no base64", 400, "cursor",
                t -> t.send("GET", "/v1/messages?cursor=%25%25%25", KEY, null, null)));
        cases.add(new Case("cursor of base64 without a separator", 400, "cursor", t -> t.send("GET", "/v1/messages?cursor="
                + Base64.getUrlEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)), KEY, null, null)));
        cases.add(new Case("cursor with a bad instant", 400, "cursor", t -> t.send("GET", "/v1/messages?cursor="
                + Base64.getUrlEncoder().encodeToString("yesterday|abc".getBytes(StandardCharsets.UTF_8)), KEY, null, null)));
        cases.add(new Case("unknown direction filter", 400, "direction",
                t -> t.send("GET", "/v1/messages?direction=SIDEWAYS", KEY, null, null)));
        cases.add(new Case("from that is no instant", 400, "from",
                t -> t.send("GET", "/v1/messages?from=last-tuesday", KEY, null, null)));
        cases.add(new Case("to that is no instant", 400, "to", t -> t.send("GET", "/v1/messages?to=2026-13-01", KEY, null, null)));
        cases.add(new Case("from not before to", 400, "before",
                t -> t.send("GET", "/v1/messages?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", KEY, null, null)));
        // ---- POST /v1/webhooks ----
        cases.add(new Case("webhook: malformed JSON", 400, null,
                t -> t.send("POST", "/v1/webhooks", KEY, "application/json", "{\"url\": ")));
        cases.add(new Case("webhook: a JSON array", 400, "JSON object",
                t -> t.send("POST", "/v1/webhooks", KEY, "application/json", "[\"https://example.com/h\"]")));
        cases.add(new Case("webhook: empty body", 400, "url", t -> t.send("POST", "/v1/webhooks", KEY, "application/json", "")));
        cases.add(new Case("webhook: no url", 400, "url",
                t -> t.send("POST", "/v1/webhooks", KEY, "application/json", "{\"events\":[\"DELIVERED\"]}")));
        cases.add(new Case("webhook: url of the wrong JSON type", 400, "strings",
                t -> t.send("POST", "/v1/webhooks", KEY, "application/json", "{\"url\": {\"href\": \"https://example.com\"}}")));
        cases.add(new Case("webhook: text/plain", 415, null,
                t -> t.send("POST", "/v1/webhooks", KEY, "text/plain", "https://example.com/h")));
        cases.add(new Case("webhook: form-encoded", 415, null, t -> t.send("POST", "/v1/webhooks", KEY,
                "application/x-www-form-urlencoded", "url=https%3A%2F%2Fexample.com%2Fh")));
        cases.add(new Case("webhook: oversized JSON", 400, null, t -> t.send("POST", "/v1/webhooks", KEY, "application/json",
                "{\"url\":\"" + RECEIVER.url("/bad-input") + "\",\"description\":\"" + "x".repeat(2_000_000) + "\"}")));
        cases.add(new Case("webhook: ftp url", 400, "Only http and https", t -> t.createWebhook("ftp://127.0.0.1/hook", null)));
        cases.add(new Case("webhook: javascript url", 400, "not allowed", t -> t.createWebhook("javascript:alert(1)", null)));
        cases.add(new Case("webhook: file url", 400, "not allowed", t -> t.createWebhook("file:///etc/passwd", null)));
        cases.add(new Case("webhook: relative url", 400, "not allowed", t -> t.createWebhook("/hooks/mine", null)));
        cases.add(new Case("webhook: credentials in the url", 400, "Credentials",
                t -> t.createWebhook(RECEIVER.url("/bad-input").replace("://", "://user:secret@"), null)));
        cases.add(new Case("webhook: the metadata service", 400, "non-public",
                t -> t.createWebhook("http://169.254.169.254/latest/meta-data/", null)));
        cases.add(new Case("webhook: a private address", 400, "non-public", t -> t.createWebhook("http://10.0.0.7/hook", null)));
        cases.add(new Case("webhook: a private address in hex", 400, "non-public", t -> t.createWebhook("http://0xa000007/hook", null)));
        cases.add(new Case("webhook: IPv6 loopback", 400, "non-public", t -> t.createWebhook("http://[::1]/hook", null)));
        cases.add(new Case("webhook: url over 2048 characters", 400, "2048",
                t -> t.createWebhook(RECEIVER.url("/" + "a".repeat(2_100)), null)));
        cases.add(new Case("webhook: description over 500 characters", 400, "description", t -> t.send("POST", "/v1/webhooks",
                KEY, "application/json", "{\"url\":\"" + RECEIVER.url("/bad-input") + "\",\"description\":\"" + "d".repeat(501) + "\"}")));
        cases.add(new Case("webhook: unknown event", 400, "Unknown event",
                t -> t.createWebhook(RECEIVER.url("/bad-input"), "[\"EXPLODED\"]")));
        cases.add(new Case("webhook: blank event", 400, "Unknown event", t -> t.createWebhook(RECEIVER.url("/bad-input"), "[\"  \"]")));
        cases.add(new Case("webhook: events as one string", 400, "strings",
                t -> t.createWebhook(RECEIVER.url("/bad-input"), "\"DELIVERED\"")));
        cases.add(new Case("webhook: null event", 400, "Unknown event", t -> t.createWebhook(RECEIVER.url("/bad-input"), "[null]")));
        cases.add(new Case("webhook: events as an object", 400, "strings",
                t -> t.createWebhook(RECEIVER.url("/bad-input"), "{\"DELIVERED\": true}")));
        cases.add(new Case("webhook: the client naming its own secret", 400, "secret", t -> t.send("POST", "/v1/webhooks", KEY,
                "application/json", "{\"url\":\"" + RECEIVER.url("/bad-input") + "\",\"secret\":\"whsec_mine\"}")));
        // ---- /v1/webhooks/{id} ----
        cases.add(new Case("GET of an unknown endpoint", 404, unknownId,
                t -> t.send("GET", "/v1/webhooks/" + unknownId, KEY, null, null)));
        cases.add(new Case("GET of an endpoint id that is no UUID", 404, null,
                t -> t.send("GET", "/v1/webhooks/12345", KEY, null, null)));
        cases.add(new Case("DELETE of an unknown endpoint", 404, null,
                t -> t.send("DELETE", "/v1/webhooks/" + unknownId, KEY, null, null)));
        cases.add(new Case("DELETE of an endpoint id that is no UUID", 404, null,
                t -> t.send("DELETE", "/v1/webhooks/zzz", KEY, null, null)));
        cases.add(new Case("rotate-secret of an unknown endpoint", 404, null,
                t -> t.send("POST", "/v1/webhooks/" + unknownId + "/rotate-secret", KEY, null, null)));
        cases.add(new Case("rotate-secret of an id that is no UUID", 404, null,
                t -> t.send("POST", "/v1/webhooks/not-a-uuid/rotate-secret", KEY, null, null)));
        cases.add(new Case("another tenant's endpoint", 404, null,
                t -> t.send("GET", "/v1/webhooks/" + t.endpointOfB(), KEY, null, null)));
        cases.add(new Case("DELETE of another tenant's endpoint", 404, null,
                t -> t.send("DELETE", "/v1/webhooks/" + t.endpointOfB(), KEY, null, null)));
        // ---- replay ----
        cases.add(new Case("replay of an unknown message", 404, unknownId,
                t -> t.send("POST", "/v1/messages/" + unknownId + "/webhooks/replay", KEY, null, null)));
        cases.add(new Case("replay of a message id that is no UUID", 404, null,
                t -> t.send("POST", "/v1/messages/%7Bid%7D/webhooks/replay", KEY, null, null)));
        cases.add(new Case("replay with an unknown status", 400, "Unknown status",
                t -> t.send("POST", "/v1/messages/" + messageOfA + "/webhooks/replay?status=EXPLODED", KEY, null, null)));
        cases.add(new Case("replay by GET", 405, null,
                t -> t.send("GET", "/v1/messages/" + messageOfA + "/webhooks/replay", KEY, null, null)));
        // ---- methods and paths ----
        cases.add(new Case("PUT /v1/webhooks", 405, null,
                t -> t.send("PUT", "/v1/webhooks", KEY, "application/json", "{\"url\":\"https://example.com/h\"}")));
        // (DELETE /v1/messages/{id} is an operation now, ARCHITECTURE §10: PUT stands for the method the path does not take)
        cases.add(new Case("PUT /v1/messages/{id}", 405, null,
                t -> t.send("PUT", "/v1/messages/" + messageOfA, KEY, "application/json", "{}")));
        cases.add(new Case("PATCH /v1/webhooks/{id}", 405, null,
                t -> t.send("PATCH", "/v1/webhooks/" + unknownId, KEY, "application/json", "{}")));
        cases.add(new Case("POST /v1/messages", 405, null, t -> t.send("POST", "/v1/messages", KEY, "application/json", "{}")));
        cases.add(new Case("POST /console", 405, null, t -> t.send("POST", "/console", null, "application/json", "{}")));
        cases.add(new Case("DELETE /openapi.yaml", 405, null, t -> t.send("DELETE", "/openapi.yaml", null, null, null)));
        cases.add(new Case("unknown /v1 path", 404, null, t -> t.send("GET", "/v1/nothing-here", KEY, null, null)));
        cases.add(new Case("unknown path outside /v1", 404, null, t -> t.send("GET", "/console/admin.php", null, null, null)));
        cases.add(new Case("unknown static file", 404, null, t -> t.send("GET", "/openapi.json", null, null, null)));
        cases.add(new Case("path traversal towards the classpath", 404, null,
                t -> t.send("GET", "/..%2e/callback.yml", null, null, null), 400));
        // ---- the container's own refusals (ProblemReportValve) ----
        cases.add(new Case("an encoded slash in the path", 400, null,
                t -> t.send("GET", "/v1/messages/a%2Fb", KEY, null, null)));
        cases.add(new Case("an encoded backslash in the path", 400, null,
                t -> t.send("GET", "/v1/messages/a%5Cb", KEY, null, null)));
        cases.add(new Case("a 20 KB header", 400, null,
                t -> t.sendWithHeader("GET", "/v1/messages", "X-Padding", "p".repeat(20 * 1024))));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bad_input_is_a_problem_and_stores_nothing(Case badInput) {
        // Given what is stored
        long[] before = counts();

        // When the bad request is sent
        Answer answer = badInput.call().apply(this);

        // Then it is the expected problem
        assertThat(answer.status()).as(answer.body()).isIn(badInput.status(), badInput.alternative());
        assertThat(answer.contentType()).as(answer.body()).startsWith("application/problem+json");
        JsonNode problem = json.readTree(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(answer.status());
        assertThat(problem.path("type").asString()).startsWith("/problems/");
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank().doesNotContain("Exception", "at io.", "at org.");
        if (badInput.detail() != null) {
            assertThat(problem.path("detail").asString()).containsIgnoringCase(badInput.detail());
        }
        // And nothing was stored
        assertThat(counts()).containsExactly(before);
    }

    /** Tenant-b's endpoint goes again: other tests expect tenant-b to have none. */
    @AfterAll
    void deleteEndpointOfB() {
        if (endpointOfB != null) {
            assertThat(exchange("DELETE", "/v1/webhooks/" + endpointOfB, OTHER_KEY, null).status()).isEqualTo(204);
            endpointOfB = null;
        }
    }

    // ---- helpers ----

    private static String endpointOfB;

    /** An endpoint of tenant-b, made once. */
    String endpointOfB() {
        if (endpointOfB == null) {
            Response created = exchange("POST", "/v1/webhooks", OTHER_KEY, "{\"url\":\"" + RECEIVER.url("/bad-input-b") + "\"}");
            assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
            endpointOfB = created.json().path("id").asString();
        }
        return endpointOfB;
    }

    private long[] counts() {
        return new long[]{
                jdbc.sql("SELECT count(*) FROM webhook_endpoints").query(Long.class).single(),
                jdbc.sql("SELECT count(*) FROM webhook_deliveries").query(Long.class).single(),
                jdbc.sql("SELECT count(*) FROM messages").query(Long.class).single()};
    }

    Answer createWebhook(String url, String eventsJson) {
        return send("POST", "/v1/webhooks", KEY, "application/json", "{\"url\":" + json.writeValueAsString(url)
                + (eventsJson == null ? "" : ",\"events\":" + eventsJson) + "}");
    }

    Answer sendWithHeader(String method, String path, String name, String value) {
        return exchange(HttpRequest.newBuilder(URI.create(base() + path)).header(name, value)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    Answer send(String method, String path, String key, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return exchange(request);
    }

    private Answer exchange(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
