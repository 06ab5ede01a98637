package io.mediaplatform.dispatch.connector.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaplatform.dispatch.send.core.Correlation;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.RetryPolicy;
import io.mediaplatform.dispatch.send.core.RetryingSender;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.simulator.Fault;
import io.mediaplatform.simulator.ReceivedSend;
import io.mediaplatform.simulator.WhatsAppSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The WhatsApp connector against the running Cloud API simulator, including the in-place retries. */
class WhatsAppConnectorTest {

    private static final String TOKEN = "connector-test-token";
    private static final String PHONE_NUMBER_ID = "109876543210";
    private static final String LINK = "http://127.0.0.1:1/v1/media/m-1/content?tenant=t-1&expires=1&signature=s";
    private static WhatsAppSimulator simulator;
    private static WhatsAppConnector connector;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        // no webhook URL: statuses are not posted in these tests
        simulator = WhatsAppSimulator.builder().accessToken(TOKEN).build().start();
        connector = connector(TOKEN, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void clear() {
        simulator.reset();
    }

    private static WhatsAppConnector connector(String token, Duration timeout) {
        return new WhatsAppConnector(HTTP, simulator.url() + "/", "v21.0", PHONE_NUMBER_ID, token, timeout);
    }

    private static OutboundSend send(SendKind kind, String to) {
        return OutboundSend.media("t-1", "msg-" + to, "WHATSAPP", "+15550001111", to, kind, "A caption",
                "invoice-2024.pdf", LINK, "m-1", "conv-1");
    }

    private static ReceivedSend onlySend() {
        List<ReceivedSend> sends = simulator.sends();
        assertThat(sends).hasSize(1);
        return sends.getFirst();
    }

    @Test
    void sends_an_image_as_the_cloud_api_expects_and_returns_the_wamid() {
        // When an image with a caption is sent
        SendResult result = connector.send(send(SendKind.IMAGE, "+15551230001"));

        // Then the provider's message id comes back
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        String wamid = ((SendResult.Sent) result).providerMessageId();
        assertThat(wamid).startsWith("wamid.");

        // And the request is the Cloud API's, field by field
        ReceivedSend received = onlySend();
        assertThat(received.path()).isEqualTo("/v21.0/" + PHONE_NUMBER_ID + "/messages");
        assertThat(received.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(received.header("Content-Type")).isEqualTo("application/json");
        assertThat(received.messageId()).isEqualTo(wamid);
        JsonNode body = received.body();
        assertThat(received.fieldNames()).containsExactly("messaging_product", "recipient_type", "to", "type", "image",
                "biz_opaque_callback_data");
        assertThat(body.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(body.path("recipient_type").asText()).isEqualTo("individual");
        assertThat(body.path("to").asText()).isEqualTo("+15551230001");
        assertThat(body.path("type").asText()).isEqualTo("image");
        assertThat(body.at("/image/link").asText()).isEqualTo(LINK);
        assertThat(body.at("/image/caption").asText()).isEqualTo("A caption");
        assertThat(body.path("image").has("filename")).isFalse();
        assertThat(CallbackData.decode(body.path("biz_opaque_callback_data").asText()))
                .contains(new Correlation("t-1", "msg-+15551230001", "conv-1", "+15551230001"));
    }

    @Test
    void a_document_keeps_its_file_name_and_loses_its_caption_and_audio_carries_neither() {
        // When a document and an audio are sent
        assertThat(connector.send(send(SendKind.DOCUMENT, "+15551230002"))).isInstanceOf(SendResult.Sent.class);
        assertThat(connector.send(send(SendKind.AUDIO, "+15551230003"))).isInstanceOf(SendResult.Sent.class);

        // Then the document has link and filename only, the audio the link only
        JsonNode document = simulator.sends().get(0).body();
        assertThat(document.path("type").asText()).isEqualTo("document");
        assertThat(document.at("/document/link").asText()).isEqualTo(LINK);
        assertThat(document.at("/document/filename").asText()).isEqualTo("invoice-2024.pdf");
        assertThat(document.path("document").has("caption")).isFalse();
        JsonNode audio = simulator.sends().get(1).body();
        assertThat(audio.path("type").asText()).isEqualTo("audio");
        assertThat(audio.path("audio").size()).isEqualTo(1);
        assertThat(audio.at("/audio/link").asText()).isEqualTo(LINK);
    }

    @Test
    void a_text_goes_as_a_text_body() {
        // When a text is sent
        SendResult result = connector.send(OutboundSend.text("t-1", "msg-text", "WHATSAPP", "+15551230004",
                "We cannot receive media here.", null));

        // Then it is a text message
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        JsonNode body = onlySend().body();
        assertThat(body.path("type").asText()).isEqualTo("text");
        assertThat(body.at("/text/body").asText()).isEqualTo("We cannot receive media here.");
    }

    @Test
    void an_undeliverable_recipient_fails_with_131026_and_is_not_retried() {
        // Given a sender retrying up to 3 times
        RetryingSender sender = new RetryingSender(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(5)),
                Thread::sleep);

        // When the recipient is undeliverable
        SendResult result = sender.send(connector, send(SendKind.IMAGE, "+15550000400"));

        // Then it fails with the Graph code, not retryable, after one attempt
        assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo("131026");
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.message()).contains("Undeliverable");
        });
        assertThat(simulator.sends()).hasSize(1);
    }

    @Test
    void a_wrong_token_fails_with_190_and_is_not_retryable() {
        // When the token is wrong
        SendResult result = connector("wrong", Duration.ofSeconds(5)).send(send(SendKind.IMAGE, "+15551230005"));

        // Then it fails with the OAuth code
        assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo("190");
            assertThat(failed.retryable()).isFalse();
        });
    }

    @Test
    void a_500_then_success_ends_sent_after_a_retry() {
        // Given the provider answers 500 once
        simulator.failNext(Fault.serverError());
        RetryingSender sender = new RetryingSender(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(5)),
                Thread::sleep);

        // When the image is sent
        SendResult result = sender.send(connector, send(SendKind.IMAGE, "+15551230006"));

        // Then the second attempt went through
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        assertThat(simulator.sends()).extracting(ReceivedSend::responseStatus).containsExactly(500, 200);
    }

    @Test
    void a_429_is_retried_after_its_retry_after() {
        // Given the provider throttles once, asking for 1 s
        simulator.failNext(Fault.rateLimited(Duration.ofSeconds(1)));
        RetryingSender sender = new RetryingSender(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(5)),
                Thread::sleep);

        // When the image is sent
        SendResult result = sender.send(connector, send(SendKind.IMAGE, "+15551230007"));

        // Then it is sent, and the retry came no sooner than the provider asked (not after the 10 ms backoff)
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        List<ReceivedSend> sends = simulator.sends();
        assertThat(sends).extracting(ReceivedSend::responseStatus).containsExactly(429, 200);
        assertThat(Duration.between(sends.get(0).receivedAt(), sends.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void keeps_failing_5xx_give_up_after_the_last_attempt_as_retryable_failure() {
        // Given a recipient whose sends always get a 500
        RetryingSender sender = new RetryingSender(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofSeconds(5)),
                Thread::sleep);

        // When it is sent
        SendResult result = sender.send(connector, send(SendKind.IMAGE, "+15550000500"));

        // Then three attempts were made and the last failure is returned
        assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo("1");
            assertThat(failed.retryable()).isTrue();
        });
        assertThat(simulator.sends()).hasSize(3);
    }

    @Test
    void a_provider_slower_than_the_timeout_is_a_retryable_TIMEOUT() {
        // Given the provider holds its answer for 2 s and the connector waits 300 ms
        simulator.failNext(Fault.slow(Duration.ofSeconds(2)));

        // When an image is sent
        SendResult result = connector(TOKEN, Duration.ofMillis(300)).send(send(SendKind.IMAGE, "+15551230008"));

        // Then it is a retryable timeout
        assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo("TIMEOUT");
            assertThat(failed.retryable()).isTrue();
        });
    }
}
