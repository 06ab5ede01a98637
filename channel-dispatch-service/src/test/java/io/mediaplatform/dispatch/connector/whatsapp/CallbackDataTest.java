package io.mediaplatform.dispatch.connector.whatsapp;

import io.mediaplatform.dispatch.send.core.Correlation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackDataTest {

    @Test
    void round_trips_a_correlation_as_base64url_json() {
        // Given a correlation
        Correlation correlation = new Correlation("tenant-1", "8d4c6b0e-5c1a-4f7e-9a51-0f2d3c4b5a69",
                "conv-7", "+15551234567");

        // When it is encoded
        String encoded = CallbackData.encode(correlation);

        // Then it is URL-safe base64 of the short JSON, within WhatsApp's limit, and decodes back
        assertThat(encoded).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(CallbackData.MAX_LENGTH);
        assertThat(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8))
                .isEqualTo("{\"t\":\"tenant-1\",\"m\":\"8d4c6b0e-5c1a-4f7e-9a51-0f2d3c4b5a69\",\"c\":\"conv-7\",\"to\":\"+15551234567\"}");
        assertThat(CallbackData.decode(encoded)).contains(correlation);
    }

    @Test
    void refuses_values_that_are_not_ours() {
        // Then foreign or broken values decode to nothing
        assertThat(CallbackData.decode(null)).isEmpty();
        assertThat(CallbackData.decode("not base64 !")).isEmpty();
        assertThat(CallbackData.decode(Base64.getUrlEncoder().encodeToString("{\"x\":1}".getBytes()))).isEmpty();
        assertThat(CallbackData.decode(Base64.getUrlEncoder().encodeToString("plain text".getBytes()))).isEmpty();
    }
}
