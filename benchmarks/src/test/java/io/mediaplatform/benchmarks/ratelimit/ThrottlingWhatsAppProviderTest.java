package io.mediaplatform.benchmarks.ratelimit;

import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.dispatch.connector.whatsapp.WhatsAppConnector;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottlingWhatsAppProviderTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static WhatsAppConnector connector(ThrottlingWhatsAppProvider provider, String phoneNumberId, String token) {
        return new WhatsAppConnector(HTTP, provider.baseUrl(), "v21.0", phoneNumberId, token, Duration.ofSeconds(5));
    }

    private static OutboundSend send(String id) {
        return OutboundSend.media("t", id, "WHATSAPP", null, "+15550000001", SendKind.IMAGE, null, null,
                "http://127.0.0.1:1/m", "m", "c");
    }

    @Test
    void answers_429_with_retry_after_and_the_graph_error_once_a_sender_passes_its_rate_in_a_window() throws Exception {
        // Given a provider allowing 2 messages per second, its clock 300 ms into a second
        AtomicLong now = new AtomicLong(1_700_000_000_300L);
        try (ThrottlingWhatsAppProvider provider = ThrottlingWhatsAppProvider.start(2, "token", now::get)) {
            WhatsAppConnector sender = connector(provider, "111", "token");

            // When the sender sends three messages in that second
            SendResult first = sender.send(send("m1"));
            SendResult second = sender.send(send("m2"));
            SendResult third = sender.send(send("m3"));

            // Then two are taken with a wamid and the third is throttled like Graph does
            assertThat(first).isInstanceOf(SendResult.Sent.class);
            assertThat(((SendResult.Sent) second).providerMessageId()).startsWith("wamid.");
            assertThat(third).isInstanceOfSatisfying(SendResult.Failed.class, failed -> {
                assertThat(failed.code()).isEqualTo("130429");
                assertThat(failed.message()).contains("Rate limit hit");
                assertThat(failed.retryable()).isTrue();
                assertThat(failed.retryAfter()).isEqualTo(Duration.ofSeconds(1));
            });
            // And the provider counted it, with the phase of the first request
            assertThat(provider.stats("111")).isEqualTo(new ThrottlingWhatsAppProvider.SenderStats(3, 2, 1, 3, 300, 0));

            // When the next second starts
            now.addAndGet(700);

            // Then the sender may send again
            assertThat(sender.send(send("m4"))).isInstanceOf(SendResult.Sent.class);
            assertThat(provider.stats("111").accepted()).isEqualTo(3);
        }
    }

    @Test
    void each_sender_phone_number_id_has_its_own_window_and_a_wrong_token_is_refused() throws Exception {
        // Given a provider allowing 1 message per second and a sender that used it up
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (ThrottlingWhatsAppProvider provider = ThrottlingWhatsAppProvider.start(1, "token", now::get)) {
            assertThat(connector(provider, "111", "token").send(send("m1"))).isInstanceOf(SendResult.Sent.class);

            // When another phone number id sends in the same second, and someone with a wrong token
            SendResult other = connector(provider, "222", "token").send(send("m2"));
            SendResult intruder = connector(provider, "333", "wrong").send(send("m3"));

            // Then the other sender is not throttled, and the wrong token gets Graph's 190 without being counted
            assertThat(other).isInstanceOf(SendResult.Sent.class);
            assertThat(intruder).isInstanceOfSatisfying(SendResult.Failed.class,
                    failed -> assertThat(failed.code()).isEqualTo("190"));
            assertThat(provider.stats("222").throttled()).isZero();
            assertThat(provider.stats("333").requests()).isZero();
        }
    }
}
