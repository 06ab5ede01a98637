package io.mediaplatform.dispatch.connector.twilio;

import com.sun.net.httpserver.HttpServer;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.simulator.Fault;
import io.mediaplatform.simulator.ReceivedSend;
import io.mediaplatform.simulator.TwilioSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Twilio connector against the Twilio simulator, with a stand-in for dispatch's callback endpoint that checks
 * every callback's {@code X-Twilio-Signature} with {@link TwilioSignature} (an implementation written apart from
 * the simulator's).
 */
class TwilioConnectorTest {

    private static final String SID = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "twilio-test-token";

    /** A callback as the stand-in got it. */
    record Callback(String url, Map<String, List<String>> params, boolean signatureValid) {
        String param(String name) {
            return params.get(name).getFirst();
        }
    }

    private static final List<Callback> callbacks = new CopyOnWriteArrayList<>();
    private static HttpServer dispatch;
    private static TwilioSimulator simulator;
    private static TwilioConnector mms;
    private static TwilioConnector whatsApp;

    @BeforeAll
    static void start() throws IOException {
        dispatch = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TwilioSignature signature = new TwilioSignature(TOKEN);
        dispatch.createContext("/v1/providers/twilio/status", exchange -> {
            String url = publicUrl() + exchange.getRequestURI().getPath() + "?" + exchange.getRequestURI().getRawQuery();
            Map<String, List<String>> params = new LinkedHashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                params.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            callbacks.add(new Callback(url, params, signature.verify(url, params,
                    exchange.getRequestHeaders().getFirst(TwilioSignature.HEADER))));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        dispatch.createContext("/media/", exchange -> {
            byte[] bytes = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3};
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        dispatch.start();
        simulator = TwilioSimulator.builder().accountSid(SID).authToken(TOKEN).statusDelay(Duration.ofMillis(20))
                .build().start();
        HttpClient http = HttpClient.newHttpClient();
        mms = new TwilioConnector(http, simulator.url(), SID, TOKEN, "+15550009999", publicUrl(), Set.of("MMS"),
                Duration.ofSeconds(2));
        whatsApp = new TwilioConnector(http, simulator.url(), SID, TOKEN, "+15550009999", publicUrl(),
                Set.of("MMS", "WHATSAPP"), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        simulator.close();
        dispatch.stop(0);
    }

    private static String publicUrl() {
        return "http://127.0.0.1:" + dispatch.getAddress().getPort();
    }

    private static OutboundSend image(String messageId, String channel, String to) {
        return OutboundSend.media("tenant-a", messageId, channel, null, to, SendKind.IMAGE, "A caption", null,
                publicUrl() + "/media/" + messageId, "media-1", "conv-" + messageId);
    }

    @Test
    void an_mms_is_created_with_basic_auth_a_form_body_and_a_signed_status_callback_carrying_our_ids() {
        // When an image goes out as MMS
        SendResult result = mms.send(image("msg-1", "MMS", "+15551230001"));

        // Then Twilio took it with an SM sid
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        String sid = ((SendResult.Sent) result).providerMessageId();
        assertThat(sid).startsWith("SM");
        ReceivedSend send = simulator.sends().stream().filter(s -> sid.equals(s.messageId())).findFirst().orElseThrow();
        assertThat(send.path()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Messages.json");
        assertThat(send.body().path("To").asText()).isEqualTo("+15551230001");
        assertThat(send.body().path("From").asText()).isEqualTo("+15550009999");
        assertThat(send.body().path("Body").asText()).isEqualTo("A caption");
        assertThat(send.body().path("MediaUrl").get(0).asText()).isEqualTo(publicUrl() + "/media/msg-1");
        assertThat(send.body().path("StatusCallback").asText())
                .isEqualTo(publicUrl() + "/v1/providers/twilio/status?t=tenant-a&m=msg-1&c=conv-msg-1&to=%2B15551230001&ch=MMS");

        // And the callbacks sent and delivered came back, correctly signed over the URL with our ids
        await().atMost(Duration.ofSeconds(30)).until(() -> statusesOf(sid).size() >= 2);
        assertThat(statusesOf(sid)).containsExactly("sent", "delivered");
        assertThat(callbacks).filteredOn(c -> sid.equals(c.param("MessageSid"))).allSatisfy(c -> {
            assertThat(c.signatureValid()).isTrue();
            assertThat(c.url()).contains("m=msg-1");
        });
    }

    @Test
    void whatsapp_through_twilio_uses_whatsapp_addresses_and_reports_read() {
        // When an image goes out on WhatsApp through Twilio
        SendResult result = whatsApp.send(image("msg-2", "WHATSAPP", "+15551230002"));

        // Then both addresses carry the whatsapp: prefix and the message ends read
        String sid = ((SendResult.Sent) result).providerMessageId();
        ReceivedSend send = simulator.sends().stream().filter(s -> sid.equals(s.messageId())).findFirst().orElseThrow();
        assertThat(send.body().path("To").asText()).isEqualTo("whatsapp:+15551230002");
        assertThat(send.body().path("From").asText()).isEqualTo("whatsapp:+15550009999");
        await().atMost(Duration.ofSeconds(30)).until(() -> statusesOf(sid).contains("read"));
        assertThat(statusesOf(sid)).containsExactly("sent", "delivered", "read");
    }

    @Test
    void an_invalid_number_fails_with_twilio_code_and_a_throttle_is_retryable_with_retry_after() {
        // When a send goes to an invalid number, and one is throttled
        SendResult invalid = mms.send(image("msg-3", "MMS", "+15551230400"));
        simulator.failNext(new Fault(429, 20429, "Too Many Requests", Duration.ofSeconds(2), Duration.ZERO));
        SendResult throttled = mms.send(image("msg-4", "MMS", "+15551230004"));
        simulator.failNext(Fault.serverError());
        SendResult down = mms.send(image("msg-5", "MMS", "+15551230005"));

        // Then the first is final with 21211, the second retryable after 2 s, the third retryable
        assertThat(invalid).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("21211");
            assertThat(f.retryable()).isFalse();
        });
        assertThat(throttled).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("20429");
            assertThat(f.retryable()).isTrue();
            assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        });
        assertThat(down).isInstanceOfSatisfying(SendResult.Failed.class, f -> assertThat(f.retryable()).isTrue());
    }

    @Test
    void a_slow_twilio_times_out_as_a_retryable_failure() {
        // Given a connector waiting at most 1 s, and the slow magic number (answer after 5 s)
        TwilioConnector impatient = new TwilioConnector(HttpClient.newHttpClient(), simulator.url(), SID, TOKEN,
                "+15550009999", publicUrl(), Set.of("MMS"), Duration.ofSeconds(1));

        // When it sends
        SendResult result = impatient.send(image("msg-6", "MMS", "+15551230408"));

        // Then it is a retryable TIMEOUT
        assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("TIMEOUT");
            assertThat(f.retryable()).isTrue();
        });
    }

    @Test
    void the_signature_matches_the_simulators_independent_implementation() {
        // Given a URL with a query and some parameters
        String url = "https://dispatch.example.com/v1/providers/twilio/status?t=a&m=b";
        Map<String, String> params = Map.of("MessageSid", "SM1", "MessageStatus", "sent", "To", "+1555");

        // Then both implementations agree, and a changed parameter breaks it
        String expected = TwilioSimulator.signature(TOKEN, url, params);
        Map<String, List<String>> multi = new LinkedHashMap<>();
        params.forEach((k, v) -> multi.put(k, List.of(v)));
        TwilioSignature signature = new TwilioSignature(TOKEN);
        assertThat(signature.sign(url, multi)).isEqualTo(expected);
        assertThat(signature.verify(url, multi, expected)).isTrue();
        multi.put("MessageStatus", List.of("read"));
        assertThat(signature.verify(url, multi, expected)).isFalse();
        assertThat(new TwilioSignature("").verify(url, multi, expected)).isFalse();
    }

    private static List<String> statusesOf(String sid) {
        return callbacks.stream().filter(c -> sid.equals(c.param("MessageSid"))).map(c -> c.param("MessageStatus")).toList();
    }
}
