package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The WhatsApp simulator playing 360dialog: {@code POST /messages} with {@code D360-API-KEY}. */
class Dialog360SimulatorTest {

    private static final String KEY = "test-d360-key";
    private static final String SECRET = "test-app-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WebhookReceiver receiver;
    private static HttpServer media;
    private static WhatsAppSimulator simulator;

    @BeforeAll
    static void start() throws IOException {
        receiver = WebhookReceiver.start();
        media = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        media.createContext("/media/", exchange -> {
            try (exchange) {
                byte[] bytes = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        media.start();
        simulator = WhatsAppSimulator.builder().accessToken("cloud-token").d360ApiKey(KEY).appSecret(SECRET)
                .statusDelay(Duration.ofMillis(50)).build().start();
        simulator.webhookUrl(receiver.url("/webhook"));
    }

    @AfterAll
    static void stop() {
        simulator.close();
        receiver.close();
        media.stop(0);
    }

    @BeforeEach
    void clear() {
        simulator.reset();
        receiver.clear();
    }

    private static HttpResponse<String> send(String header, String value, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.url() + "/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (header != null) {
            request.header(header, value);
        }
        return WebhookReceiver.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String image(String link) {
        return """
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"+15551230001","type":"image",
                 "image":{"link":"%s","caption":"hello"},"biz_opaque_callback_data":"corr-1"}""".formatted(link);
    }

    @Test
    void takes_a_cloud_api_body_on_messages_with_the_api_key_records_it_and_posts_its_statuses() throws Exception {
        // When an image is posted to /messages with the 360dialog key (its link answers 200 with a body)
        HttpResponse<String> response = send(WhatsAppSimulator.D360_API_KEY_HEADER, KEY, image("http://127.0.0.1:" + media.getAddress().getPort() + "/media/a.jpg"));

        // Then it is answered like the Cloud API and recorded field by field, with no version in the path
        assertThat(response.statusCode()).isEqualTo(200);
        String wamid = JSON.readTree(response.body()).at("/messages/0/id").asText();
        assertThat(wamid).startsWith("wamid.");
        ReceivedSend send = simulator.sends().getFirst();
        assertThat(send.path()).isEqualTo("/messages");
        assertThat(send.apiVersion()).isNull();
        assertThat(send.phoneNumberId()).isEqualTo(simulator.phoneNumberId());
        assertThat(send.header("D360-API-KEY")).isEqualTo(KEY);
        assertThat(send.body().at("/image/caption").asText()).isEqualTo("hello");

        // And the Cloud API's signed statuses[] webhooks follow
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.statusesOf(wamid).size() == 3);
        assertThat(simulator.statusesOf(wamid)).containsExactly("sent", "delivered", "read");
        JsonNode status = simulator.postedStatuses().getLast().at("/entry/0/changes/0/value/statuses/0");
        assertThat(status.path("biz_opaque_callback_data").asText()).isEqualTo("corr-1");
    }

    @Test
    void refuses_a_missing_or_wrong_api_key_with_401_and_a_bearer_token_does_not_do() throws Exception {
        // When /messages is called without the key, with a wrong one, and with the Cloud API's bearer token
        for (HttpResponse<String> response : new HttpResponse[]{send(null, null, image("http://x/a.jpg")),
                send(WhatsAppSimulator.D360_API_KEY_HEADER, "wrong", image("http://x/a.jpg")),
                send("Authorization", "Bearer cloud-token", image("http://x/a.jpg"))}) {
            // Then each is a 401 in 360dialog's shape
            assertThat(response.statusCode()).isEqualTo(401);
            JsonNode meta = JSON.readTree(response.body()).path("meta");
            assertThat(meta.path("http_code").asInt()).isEqualTo(401);
            assertThat(meta.path("success").asBoolean(true)).isFalse();
            assertThat(meta.path("developer_message").asText()).isEqualTo("Invalid api key");
        }
        assertThat(simulator.sends()).extracting(ReceivedSend::responseStatus).containsExactly(401, 401, 401);
    }
}
