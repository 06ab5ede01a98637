package io.mediaplatform.dispatch.connector.whatsapp;

import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.simulator.ReceivedSend;
import io.mediaplatform.simulator.WhatsAppSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The WhatsApp connector made for 360dialog, against the simulator playing 360dialog. */
class Dialog360ConnectorTest {

    private static final String KEY = "d360-connector-test-key";
    private static final String LINK = "http://127.0.0.1:1/v1/media/m-1/content?tenant=t-1&expires=1&signature=s";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static WhatsAppSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = WhatsAppSimulator.builder().accessToken("cloud-api-token").d360ApiKey(KEY).build().start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static OutboundSend image(String to) {
        return OutboundSend.media("t-1", "msg-" + to, "WHATSAPP", null, to, SendKind.IMAGE, "A caption", null, LINK,
                "m-1", "conv-1");
    }

    @Test
    void posts_the_cloud_api_body_to_messages_with_the_api_key_and_not_a_bearer_token() {
        // When an image is sent through 360dialog
        SendResult result = WhatsAppConnector.dialog360(HTTP, simulator.url() + "/", KEY, "360dialog",
                Duration.ofSeconds(5)).send(image("+15551240001"));

        // Then it is taken with a wamid, sent to /messages with D360-API-KEY and without Authorization
        assertThat(result).isInstanceOfSatisfying(SendResult.Sent.class,
                sent -> assertThat(sent.providerMessageId()).startsWith("wamid."));
        ReceivedSend received = simulator.sends().stream()
                .filter(s -> "+15551240001".equals(s.body().path("to").asText())).findFirst().orElseThrow();
        assertThat(received.path()).isEqualTo("/messages");
        assertThat(received.header(WhatsAppConnector.D360_API_KEY_HEADER)).isEqualTo(KEY);
        assertThat(received.header("Authorization")).isNull();
        assertThat(received.body().at("/image/link").asText()).isEqualTo(LINK);
    }

    @Test
    void a_wrong_api_key_fails_for_good_with_360dialogs_own_message() {
        // When the key is wrong
        SendResult result = WhatsAppConnector.dialog360(HTTP, simulator.url(), "wrong", "360dialog",
                Duration.ofSeconds(5)).send(image("+15551240002"));

        // Then the send fails, not retried, with 360dialog's developer message
        assertThat(result).isEqualTo(new SendResult.Failed("HTTP_401", "Invalid api key", false));
    }

    @Test
    void the_magic_recipients_answer_like_the_cloud_api_so_retries_follow_the_same_rules() {
        // When a send is refused as undeliverable and another hits the rate limit
        WhatsAppConnector connector = WhatsAppConnector.dialog360(HTTP, simulator.url(), KEY, "360dialog",
                Duration.ofSeconds(5));
        SendResult undeliverable = connector.send(image("+15551240400"));
        SendResult throttled = connector.send(image("+15551240429"));

        // Then the first is for good with Graph's code, the second retryable after Retry-After
        assertThat(undeliverable).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("131026");
            assertThat(f.retryable()).isFalse();
        });
        assertThat(throttled).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("130429");
            assertThat(f.retryable()).isTrue();
            assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        });
    }
}
