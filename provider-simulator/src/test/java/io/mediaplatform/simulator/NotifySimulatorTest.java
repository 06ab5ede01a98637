package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NotifySimulatorTest {

    private static final String KEY = "notify-key";
    private static final String SECRET = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMw==";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Callback(String id, String timestamp, String signature, String body) {
    }

    private static final List<Callback> callbacks = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;
    private static NotifySimulator simulator;

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/cb", exchange -> {
            callbacks.add(new Callback(exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/media", exchange -> {
            exchange.sendResponseHeaders(200, 3);
            exchange.getResponseBody().write(new byte[]{1, 2, 3});
            exchange.close();
        });
        receiver.start();
        simulator = NotifySimulator.builder().apiKey(KEY).webhookSecret(SECRET).statusDelay(Duration.ofMillis(20))
                .build().start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
        receiver.stop(0);
    }

    @Test
    void a_media_notification_is_answered_with_a_transaction_id_and_followed_by_signed_callbacks() throws Exception {
        // When an image notification is posted with a callback URL
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String request = """
                {"channel":"RCS","request":{"from":"1000000001","to":"+1000000002","message":"%s/media",
                 "type":"image","caption":"Coffee","externalId":"e-1"},"callbacks":"%s/cb?m=1"}""".formatted(base, base);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator.url()
                        + "/notification")).header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());

        // Then it is 200 with meta.transactionId
        assertThat(response.statusCode()).isEqualTo(200);
        String transactionId = JSON.readTree(response.body()).at("/meta/transactionId").asText();
        assertThat(transactionId).isNotBlank();

        // And SENT, DELIVERED, READ come back, each signed the Standard Webhooks way
        await().atMost(Duration.ofSeconds(30)).until(() -> callbacks.size() >= 3);
        assertThat(callbacks).extracting(c -> JSON.readTree(c.body()).path("status").asText())
                .containsExactly("SENT", "DELIVERED", "READ");
        for (Callback c : callbacks) {
            JsonNode body = JSON.readTree(c.body());
            assertThat(body.path("transactionId").asText()).isEqualTo(transactionId);
            assertThat(body.path("externalId").asText()).isEqualTo("e-1");
            assertThat(c.signature()).isEqualTo(NotifySimulator.signature(SECRET, c.id(), Long.parseLong(c.timestamp()),
                    c.body()));
        }
    }
}
