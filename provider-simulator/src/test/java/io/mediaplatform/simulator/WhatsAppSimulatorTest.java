package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

class WhatsAppSimulatorTest {

    private static final String TOKEN = "test-token";
    private static final String SECRET = "test-app-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** A webhook as the receiver got it. */
    record Delivery(String signature, byte[] body) {
        JsonNode status() throws IOException {
            return JSON.readTree(body).at("/entry/0/changes/0/value/statuses/0");
        }
    }

    private static final List<Delivery> received = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;
    private static WhatsAppSimulator simulator;

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/webhook", exchange -> {
            received.add(new Delivery(exchange.getRequestHeaders().getFirst(WhatsAppSimulator.SIGNATURE_HEADER),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.createContext("/media/", exchange -> {
            byte[] bytes = "\u00ff\u00d8\u00ff fake jpeg".getBytes(StandardCharsets.ISO_8859_1);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        receiver.start();
        simulator = WhatsAppSimulator.builder().accessToken(TOKEN).appSecret(SECRET)
                .statusDelay(Duration.ofMillis(50)).build().start();
        simulator.webhookUrl(base() + "/webhook");
    }

    @AfterAll
    static void stop() {
        simulator.close();
        receiver.stop(0);
    }

    @BeforeEach
    void clear() {
        simulator.reset();
        received.clear();
    }

    private static String base() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    private static HttpResponse<String> send(String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.url() + "/v21.0/1234567890/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String image(String to, String link) {
        return """
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"%s","type":"image",
                 "image":{"link":"%s","caption":"hello"},"biz_opaque_callback_data":"corr-1"}""".formatted(to, link);
    }

    @Test
    void accepts_an_image_fetches_its_link_and_posts_signed_sent_delivered_read_webhooks() throws Exception {
        // Given a media link that serves bytes
        // When an image is sent with the right token
        HttpResponse<String> response = send(TOKEN, image("+15551230001", base() + "/media/a.jpg"));

        // Then the answer is the Cloud API's
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(answer.at("/contacts/0/input").asText()).isEqualTo("+15551230001");
        assertThat(answer.at("/contacts/0/wa_id").asText()).isEqualTo("15551230001");
        String wamid = answer.at("/messages/0/id").asText();
        assertThat(wamid).startsWith("wamid.");
        assertThat(simulator.sends()).singleElement().satisfies(s -> {
            assertThat(s.accepted()).isTrue();
            assertThat(s.phoneNumberId()).isEqualTo("1234567890");
            assertThat(s.header("authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(s.body().at("/image/caption").asText()).isEqualTo("hello");
        });

        // And sent, delivered, read arrive in order, each correctly signed and echoing the callback data
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertThat(received).extracting(d -> d.status().path("status").asText())
                .containsExactly("sent", "delivered", "read");
        for (Delivery delivery : received) {
            assertThat(delivery.signature()).isEqualTo(WhatsAppSimulator.signature(SECRET, delivery.body()));
            JsonNode payload = JSON.readTree(delivery.body());
            assertThat(payload.path("object").asText()).isEqualTo("whatsapp_business_account");
            assertThat(payload.at("/entry/0/changes/0/field").asText()).isEqualTo("messages");
            assertThat(payload.at("/entry/0/changes/0/value/metadata/phone_number_id").asText()).isEqualTo("1234567890");
            JsonNode status = delivery.status();
            assertThat(status.path("id").asText()).isEqualTo(wamid);
            assertThat(status.path("recipient_id").asText()).isEqualTo("15551230001");
            assertThat(status.path("biz_opaque_callback_data").asText()).isEqualTo("corr-1");
            assertThat(status.path("timestamp").asText()).matches("\\d{10}");
        }
        assertThat(simulator.statusesOf(wamid)).containsExactly("sent", "delivered", "read");
    }

    @Test
    void reports_failed_with_131053_when_the_media_link_cannot_be_fetched() throws Exception {
        // Given a link that answers 404
        // When an image is sent
        HttpResponse<String> response = send(TOKEN, image("+15551230002", base() + "/missing.jpg"));

        // Then the send is accepted but a failed status with the media upload error follows
        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        JsonNode status = received.getFirst().status();
        assertThat(status.path("status").asText()).isEqualTo("failed");
        assertThat(status.at("/errors/0/code").asInt()).isEqualTo(131053);
        assertThat(status.at("/errors/0/title").asText()).isEqualTo("Media upload error");
    }

    @Test
    void refuses_a_wrong_or_missing_token_with_graph_error_190() throws Exception {
        // When a send comes with a wrong token, and one with none
        HttpResponse<String> wrong = send("nope", image("+15551230003", base() + "/media/a.jpg"));
        HttpResponse<String> missing = send(null, image("+15551230003", base() + "/media/a.jpg"));

        // Then both are 401 OAuthException 190
        for (HttpResponse<String> response : List.of(wrong, missing)) {
            assertThat(response.statusCode()).isEqualTo(401);
            JsonNode error = JSON.readTree(response.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("OAuthException");
            assertThat(error.path("code").asInt()).isEqualTo(190);
        }
    }

    @Test
    void refuses_an_invalid_body_with_graph_error_100() throws Exception {
        // When an audio carries a caption, and a body lacks messaging_product
        HttpResponse<String> caption = send(TOKEN, """
                {"messaging_product":"whatsapp","to":"+15551230004","type":"audio","audio":{"link":"http://x/a","caption":"no"}}""");
        HttpResponse<String> product = send(TOKEN, """
                {"to":"+15551230004","type":"text","text":{"body":"hi"}}""");

        // Then both are 400 with code 100
        for (HttpResponse<String> response : List.of(caption, product)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).at("/error/code").asInt()).isEqualTo(100);
        }
    }

    @Test
    void magic_recipients_get_their_errors() throws Exception {
        // When sends go to the magic recipients
        HttpResponse<String> undeliverable = send(TOKEN, image("+15550000400", base() + "/media/a.jpg"));
        HttpResponse<String> serverError = send(TOKEN, image("+15550000500", base() + "/media/a.jpg"));
        HttpResponse<String> limited = send(TOKEN, image("+15550000429", base() + "/media/a.jpg"));

        // Then each gets its error
        assertThat(undeliverable.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(undeliverable.body()).at("/error/code").asInt()).isEqualTo(131026);
        assertThat(serverError.statusCode()).isEqualTo(500);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        assertThat(JSON.readTree(limited.body()).at("/error/code").asInt()).isEqualTo(130429);
        assertThat(simulator.sends()).noneMatch(ReceivedSend::accepted);
    }

    @Test
    void a_recipient_ending_0009_is_accepted_then_reported_failed() throws Exception {
        // When a send goes to the accept-then-fail recipient
        HttpResponse<String> response = send(TOKEN, image("+15550000009", base() + "/media/a.jpg"));

        // Then it is accepted and a failed status follows
        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertThat(received.getFirst().status().path("status").asText()).isEqualTo("failed");
        assertThat(received.getFirst().status().at("/errors/0/code").asInt()).isEqualTo(131026);
    }

    @Test
    void queued_faults_come_first_then_sends_succeed() throws Exception {
        // Given a 500 then a 429 queued
        simulator.failNext(Fault.serverError(), Fault.rateLimited(Duration.ofSeconds(2)));

        // When three texts are sent
        String text = """
                {"messaging_product":"whatsapp","to":"+15551230005","type":"text","text":{"body":"hi"}}""";
        HttpResponse<String> first = send(TOKEN, text);
        HttpResponse<String> second = send(TOKEN, text);
        HttpResponse<String> third = send(TOKEN, text);

        // Then the faults are answered in order and the third is accepted
        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).contains("2");
        assertThat(third.statusCode()).isEqualTo(200);
        // And a text (no media to fetch) still goes sent, delivered, read
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
    }
}
