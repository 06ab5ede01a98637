package io.mediaplatform.simulator;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TwilioSimulatorTest {

    private static final String SID = "AC11111111111111111111111111111111";
    private static final String TOKEN = "sim-test-token";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    record Callback(String url, Map<String, String> params, String signature) {
    }

    private static final List<Callback> callbacks = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;
    private static TwilioSimulator simulator;

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/status", exchange -> {
            Map<String, String> params = new LinkedHashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            callbacks.add(new Callback(base() + exchange.getRequestURI(), params,
                    exchange.getRequestHeaders().getFirst(TwilioSimulator.SIGNATURE_HEADER)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/media/", exchange -> {
            byte[] bytes = {1, 2, 3};
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        receiver.start();
        simulator = TwilioSimulator.builder().accountSid(SID).authToken(TOKEN).statusDelay(Duration.ofMillis(20))
                .build().start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
        receiver.stop(0);
    }

    private static String base() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    private static HttpResponse<String> create(String auth, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return CLIENT.send(HttpRequest.newBuilder(URI.create(simulator.url() + "/2010-04-01/Accounts/" + SID + "/Messages.json"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_created_message_fetches_its_media_and_posts_signed_sent_and_delivered_callbacks() throws Exception {
        // When an MMS is created with a media URL and a status callback carrying a query
        String callback = base() + "/status?m=abc";
        HttpResponse<String> response = create(SID + ":" + TOKEN, Map.of("To", "+15550001001", "From", "+15550002002",
                "MediaUrl", base() + "/media/1", "StatusCallback", callback));

        // Then it is 201 with an SM sid, and sent and delivered are posted, signed over the URL and parameters
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("\"sid\":\"SM").contains("\"status\":\"queued\"");
        await().atMost(Duration.ofSeconds(30)).until(() -> callbacks.stream()
                .anyMatch(c -> "delivered".equals(c.params().get("MessageStatus"))));
        assertThat(callbacks).extracting(c -> c.params().get("MessageStatus")).containsSubsequence("sent", "delivered");
        assertThat(callbacks).allSatisfy(c -> {
            assertThat(c.url()).isEqualTo(callback);
            assertThat(c.signature()).isEqualTo(TwilioSimulator.signature(TOKEN, callback, c.params()));
        });
    }

    @Test
    void wrong_credentials_and_magic_numbers_get_twilio_errors() throws Exception {
        // When it is called with a wrong token, and for the invalid and throttled magic numbers
        HttpResponse<String> unauthorised = create(SID + ":wrong", Map.of("To", "+15550001001", "From", "+1", "Body", "x"));
        HttpResponse<String> invalid = create(SID + ":" + TOKEN, Map.of("To", "+15550000400", "From", "+1", "Body", "x"));
        HttpResponse<String> throttled = create(SID + ":" + TOKEN, Map.of("To", "+15550000429", "From", "+1", "Body", "x"));

        // Then 401/20003, 400/21211 and 429/20429 with Retry-After
        assertThat(unauthorised.statusCode()).isEqualTo(401);
        assertThat(unauthorised.body()).contains("\"code\":20003");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"code\":21211");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("1");
    }
}
