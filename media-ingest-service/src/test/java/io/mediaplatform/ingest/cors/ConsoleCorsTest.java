package io.mediaplatform.ingest.cors;

import io.mediaplatform.ingest.IngestServiceTestBase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS for the operator console (ARCHITECTURE §17) on the real service: its one configured origin may call the API from
 * a browser, preflights pass without a key, and any other origin gets no CORS header.
 */
class ConsoleCorsTest extends IngestServiceTestBase {

    @Test
    void a_preflight_from_the_console_origin_is_answered_without_an_api_key() {
        // When the browser asks before a POST /v1/messages with the key, a JSON body, an idempotency key and an agent
        HttpResponse<byte[]> preflight = send(request("/v1/messages", null)
                .header("Origin", CONSOLE_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key,agent-id")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());

        // Then it may: no 401, the origin, the method and every header allowed, no credentials
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(CONSOLE_ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST").contains("PUT");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization").contains("content-type").contains("idempotency-key").contains("agent-id");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void the_console_origin_can_read_answers_and_problems_with_their_headers() {
        // When the console's page calls with a wrong key
        HttpResponse<byte[]> unauthorized = send(request("/v1/assets", "not-a-key").header("Origin", CONSOLE_ORIGIN).GET().build());

        // Then the 401 problem is readable by the page (the origin allowed), and so is a good answer
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("Access-Control-Allow-Origin")).hasValue(CONSOLE_ORIGIN);
        assertThat(json(unauthorized).path("title").asString()).isEqualTo("Unauthorized");
        HttpResponse<byte[]> assets = send(request("/v1/assets", KEY_A).header("Origin", CONSOLE_ORIGIN).GET().build());
        assertThat(assets.statusCode()).isEqualTo(200);
        assertThat(assets.headers().firstValue("Access-Control-Allow-Origin")).hasValue(CONSOLE_ORIGIN);
        assertThat(assets.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Location").contains("Media-Id");
    }

    @Test
    void another_origin_gets_no_cors_header_and_its_preflight_is_refused() {
        // When a page of another origin asks
        HttpResponse<byte[]> preflight = send(request("/v1/messages", null)
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<byte[]> read = send(request("/v1/assets", KEY_A).header("Origin", "http://evil.example").GET().build());

        // Then the browser is told nothing it could use: 403 for the preflight, no allow-origin on either
        assertThat(preflight.statusCode()).isEqualTo(403);
        // And the refusal is a problem, as every other answer of the edge
        assertThat(preflight.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(preflight).path("status").asInt()).isEqualTo(403);
        assertThat(json(preflight).path("detail").asString()).contains("INGEST_CORS_ALLOWED_ORIGINS");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
