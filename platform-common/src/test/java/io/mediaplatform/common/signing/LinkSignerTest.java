package io.mediaplatform.common.signing;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkSignerTest {

    private static final LinkSigner SIGNER = new LinkSigner("a-link-signing-key-of-32-characters!");
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Instant EXPIRES = NOW.plusSeconds(300);

    @Test
    void a_link_verifies_until_it_expires() {
        // Given a signature for acme's media, valid 300 s
        String signature = SIGNER.sign("acme", "m-1", EXPIRES);
        // Then it verifies now and at the expiry second, not a second later
        assertThat(SIGNER.verify("acme", "m-1", EXPIRES.getEpochSecond(), signature, NOW)).isTrue();
        assertThat(SIGNER.verify("acme", "m-1", EXPIRES.getEpochSecond(), signature, EXPIRES)).isTrue();
        assertThat(SIGNER.verify("acme", "m-1", EXPIRES.getEpochSecond(), signature, EXPIRES.plusSeconds(1))).isFalse();
    }

    @Test
    void a_signature_cannot_move_to_another_media_tenant_or_expiry_nor_come_from_another_key() {
        String signature = SIGNER.sign("acme", "m-1", EXPIRES);
        assertThat(SIGNER.verify("acme", "m-2", EXPIRES.getEpochSecond(), signature, NOW)).isFalse();
        assertThat(SIGNER.verify("globex", "m-1", EXPIRES.getEpochSecond(), signature, NOW)).isFalse();
        assertThat(SIGNER.verify("acme", "m-1", EXPIRES.getEpochSecond() + 3600, signature, NOW)).isFalse();
        String otherKeys = new LinkSigner("another-link-signing-key-of-32-chars").sign("acme", "m-1", EXPIRES);
        assertThat(SIGNER.verify("acme", "m-1", EXPIRES.getEpochSecond(), otherKeys, NOW)).isFalse();
        assertThat(SIGNER.verify("acme", "m-1", EXPIRES.getEpochSecond(), null, NOW)).isFalse();
    }

    @Test
    void the_link_names_media_tenant_expiry_and_signature_under_the_public_base() {
        String link = SIGNER.link("https://media.example/", "acme corp", "m-1", EXPIRES);
        assertThat(URI.create(link).getPath()).isEqualTo("/v1/media/m-1/content");
        assertThat(link).startsWith("https://media.example/v1/media/m-1/content?tenant=acme+corp&expires="
                + EXPIRES.getEpochSecond() + "&signature=" + SIGNER.sign("acme corp", "m-1", EXPIRES));
    }

    @Test
    void a_short_key_is_refused() {
        assertThatThrownBy(() -> new LinkSigner("short")).hasMessageContaining("LINK_SIGNING_KEY");
        assertThatThrownBy(() -> new LinkSigner(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
