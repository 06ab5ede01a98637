package io.mediaplatform.callback.webhook.core;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTest {

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void seals_a_secret_so_that_the_stored_form_does_not_show_it_and_opens_it_again() {
        // Given a cipher with a key
        SecretCipher cipher = SecretCipher.of(newKey());
        String secret = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";

        // When a secret is sealed for an endpoint
        String stored = cipher.seal(secret, "endpoint-1");

        // Then the stored form is encrypted, differs each time, and opens to the secret
        assertThat(stored).startsWith("v1:").doesNotContain(secret).doesNotContain("c2VjcmV0");
        assertThat(cipher.seal(secret, "endpoint-1")).isNotEqualTo(stored);
        assertThat(cipher.open(stored, "endpoint-1")).isEqualTo(secret);
        assertThat(cipher.toString()).doesNotContain(secret);
    }

    @Test
    void a_sealed_secret_does_not_open_for_another_endpoint_or_with_another_key() {
        // Given a secret sealed for endpoint-1
        String key = newKey();
        String stored = SecretCipher.of(key).seal("whsec_abc", "endpoint-1");

        // When it is opened for another endpoint, with another key, or without a key
        // Then it fails without telling the secret
        assertThatThrownBy(() -> SecretCipher.of(key).open(stored, "endpoint-2")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SecretCipher.of(newKey()).open(stored, "endpoint-1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SecretCipher.of("").open(stored, "endpoint-1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void without_a_key_stores_the_secret_marked_plain_and_a_later_key_still_reads_it() {
        // Given no key
        SecretCipher none = SecretCipher.of(null);

        // When a secret is stored
        String stored = none.seal("whsec_abc", "endpoint-1");

        // Then it is marked plain and readable with or without a key
        assertThat(none.encrypts()).isFalse();
        assertThat(stored).isEqualTo("plain:whsec_abc");
        assertThat(SecretCipher.of(newKey()).open(stored, "endpoint-1")).isEqualTo("whsec_abc");
    }

    @Test
    void refuses_a_key_that_is_not_32_bytes() {
        // Given / When / Then
        assertThatThrownBy(() -> SecretCipher.of(Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> SecretCipher.of("not base64!")).isInstanceOf(IllegalArgumentException.class);
    }
}
