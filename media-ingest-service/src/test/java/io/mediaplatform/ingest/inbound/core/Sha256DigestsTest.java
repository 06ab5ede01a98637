package io.mediaplatform.ingest.inbound.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class Sha256DigestsTest {

    private static final byte[] DIGEST = digest("customer photo");
    private static final String HEX = HexFormat.of().formatHex(DIGEST);

    @Test
    void accepts_the_digest_in_hex_whatever_its_case() {
        assertThat(Sha256Digests.mismatch(HEX, HEX)).isEmpty();
        assertThat(Sha256Digests.mismatch(HEX.toUpperCase(), HEX)).isEmpty();
    }

    @Test
    void accepts_the_digest_in_base64_standard_or_url_safe_padded_or_not() {
        String base64 = Base64.getEncoder().encodeToString(DIGEST);
        assertThat(Sha256Digests.mismatch(base64, HEX)).isEmpty();
        assertThat(Sha256Digests.mismatch(base64.replace("=", ""), HEX)).isEmpty();
        assertThat(Sha256Digests.mismatch(Base64.getUrlEncoder().withoutPadding().encodeToString(DIGEST), HEX)).isEmpty();
    }

    @Test
    void reports_a_digest_of_other_bytes_as_a_mismatch() {
        String other = HexFormat.of().formatHex(digest("something else"));
        assertThat(Sha256Digests.mismatch(other, HEX))
                .contains("The downloaded bytes do not match the SHA-256 the provider announced");
        assertThat(Sha256Digests.mismatch(Base64.getEncoder().encodeToString(digest("x")), HEX)).isPresent();
    }

    @Test
    void a_digest_that_is_neither_hex_nor_base64_of_32_bytes_cannot_verify_the_bytes() {
        assertThat(Sha256Digests.mismatch("not-a-digest!", HEX)).isPresent();
        assertThat(Sha256Digests.mismatch(Base64.getEncoder().encodeToString(new byte[16]), HEX)).isPresent();
    }

    @Test
    void no_announced_digest_is_nothing_to_compare() {
        assertThat(Sha256Digests.mismatch(null, HEX)).isEmpty();
        assertThat(Sha256Digests.mismatch(" ", HEX)).isEmpty();
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
