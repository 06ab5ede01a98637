package io.mediaplatform.dispatch.connector.whatsapp;

import io.mediaplatform.simulator.WhatsAppSimulator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {

    private final byte[] body = "{\"object\":\"whatsapp_business_account\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void accepts_the_signature_the_provider_makes_and_nothing_else() {
        // Given the checker and the simulator's signing with the same app secret
        WebhookSignature signature = new WebhookSignature("app-secret");
        String header = WhatsAppSimulator.signature("app-secret", body);

        // Then that header passes, also in upper case, and others do not
        assertThat(signature.verify(body, header)).isTrue();
        assertThat(signature.verify(body, header.toUpperCase())).isTrue();
        assertThat(signature.verify(body, WhatsAppSimulator.signature("other-secret", body))).isFalse();
        assertThat(signature.verify("{}".getBytes(StandardCharsets.UTF_8), header)).isFalse();
        assertThat(signature.verify(body, header.substring("sha256=".length()))).isFalse();
        assertThat(signature.verify(body, null)).isFalse();
    }

    @Test
    void refuses_everything_without_an_app_secret() {
        // Given no secret configured
        WebhookSignature signature = new WebhookSignature("");

        // Then even a signature made with an empty key is refused
        assertThat(signature.configured()).isFalse();
        assertThat(signature.verify(body, WhatsAppSimulator.signature("x", body))).isFalse();
    }
}
