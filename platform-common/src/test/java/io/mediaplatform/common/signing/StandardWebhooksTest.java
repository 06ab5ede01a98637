package io.mediaplatform.common.signing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StandardWebhooksTest {

    /** The example of the Standard Webhooks reference libraries. */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant AT_THE_TIME = Instant.ofEpochSecond(TIMESTAMP);

    @Test
    void signs_like_the_reference_libraries() {
        assertThat(StandardWebhooks.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void verifies_a_right_signature_among_several_within_the_tolerance() {
        // Given a header carrying a rotated-out signature and the right one
        String header = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + SIGNATURE;
        // Then it verifies at the time and 4 minutes later with a 5-minute tolerance
        assertThat(StandardWebhooks.verify(SECRET, ID, String.valueOf(TIMESTAMP), BODY, header, AT_THE_TIME,
                Duration.ofMinutes(5))).isTrue();
        assertThat(StandardWebhooks.verify(SECRET, ID, String.valueOf(TIMESTAMP), BODY, SIGNATURE,
                AT_THE_TIME.plusSeconds(240), Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void refuses_a_changed_body_id_or_secret_an_old_timestamp_and_missing_headers() {
        Duration tolerance = Duration.ofMinutes(5);
        String ts = String.valueOf(TIMESTAMP);
        assertThat(StandardWebhooks.verify(SECRET, ID, ts, BODY + " ", SIGNATURE, AT_THE_TIME, tolerance)).isFalse();
        assertThat(StandardWebhooks.verify(SECRET, ID + "x", ts, BODY, SIGNATURE, AT_THE_TIME, tolerance)).isFalse();
        assertThat(StandardWebhooks.verify(StandardWebhooks.newSecret(), ID, ts, BODY, SIGNATURE, AT_THE_TIME, tolerance))
                .isFalse();
        assertThat(StandardWebhooks.verify(SECRET, ID, ts, BODY, SIGNATURE, AT_THE_TIME.plusSeconds(301), tolerance))
                .isFalse();
        assertThat(StandardWebhooks.verify(SECRET, ID, "soon", BODY, SIGNATURE, AT_THE_TIME, tolerance)).isFalse();
        assertThat(StandardWebhooks.verify(SECRET, null, ts, BODY, SIGNATURE, AT_THE_TIME, tolerance)).isFalse();
        assertThat(StandardWebhooks.verify(SECRET, ID, ts, BODY, null, AT_THE_TIME, tolerance)).isFalse();
    }

    @Test
    void a_new_secret_is_whsec_and_32_random_bytes() {
        String secret = StandardWebhooks.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(StandardWebhooks.newSecret()).isNotEqualTo(secret);
    }
}
