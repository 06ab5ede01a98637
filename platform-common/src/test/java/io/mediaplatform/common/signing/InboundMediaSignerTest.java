package io.mediaplatform.common.signing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboundMediaSignerTest {

    private static final String KEY = "test-link-signing-key-0123456789abcdef";
    private static final String MEDIA = "3b1f2b0e-7c53-3a4e-9b43-0d4b0e0f5a11";
    private static final String REF = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1";
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    private final InboundMediaSigner signer = new InboundMediaSigner(KEY);

    @Test
    void the_signature_is_the_hex_hmac_of_the_domain_separated_fields() {
        // Given the fields of a request
        String signed = "inbound-media-v1\ntwilio\nacme\n" + MEDIA + "\n" + REF + "\n1800000060";

        // Then the signature is the lower-case hex HMAC-SHA256 of exactly that string
        assertThat(signer.sign("twilio", "acme", MEDIA, REF, 1_800_000_060L)).isEqualTo(
                HexFormat.of().formatHex(Hmac.sha256(KEY.getBytes(StandardCharsets.UTF_8), signed)));
    }

    @Test
    void a_signed_request_is_valid_until_it_expires_then_expired() {
        String signature = signer.sign("whatsapp", "acme", MEDIA, "1234567890", NOW.getEpochSecond() + 60);

        assertThat(signer.verify("whatsapp", "acme", MEDIA, "1234567890", "" + (NOW.getEpochSecond() + 60), signature, NOW))
                .isEqualTo(InboundMediaSigner.Verdict.VALID);
        assertThat(signer.verify("whatsapp", "acme", MEDIA, "1234567890", "" + (NOW.getEpochSecond() + 60),
                signature.toUpperCase(), NOW.plusSeconds(60))).isEqualTo(InboundMediaSigner.Verdict.VALID);
        assertThat(signer.verify("whatsapp", "acme", MEDIA, "1234567890", "" + (NOW.getEpochSecond() + 60), signature,
                NOW.plusSeconds(61))).isEqualTo(InboundMediaSigner.Verdict.EXPIRED);
    }

    @Test
    void a_signature_cannot_be_moved_to_another_provider_tenant_media_ref_or_expiry() {
        long expires = NOW.getEpochSecond() + 60;
        String signature = signer.sign("notify", "acme", MEDIA, REF, expires);

        assertThat(signer.verify("twilio", "acme", MEDIA, REF, "" + expires, signature, NOW))
                .isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("notify", "globex", MEDIA, REF, "" + expires, signature, NOW))
                .isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("notify", "acme", "0b1f2b0e-7c53-3a4e-9b43-0d4b0e0f5a11", REF, "" + expires, signature, NOW))
                .isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("notify", "acme", MEDIA, REF + "x", "" + expires, signature, NOW))
                .isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("notify", "acme", MEDIA, REF, "" + (expires + 3600), signature, NOW))
                .isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
    }

    @Test
    void a_media_link_signature_made_with_the_same_key_is_no_inbound_media_signature() {
        // Given a media link's signature over the same tenant and media id
        long expires = NOW.getEpochSecond() + 60;
        String link = new LinkSigner(KEY).sign("acme", MEDIA, Instant.ofEpochSecond(expires));

        // Then it does not pass as an inbound-media signature, and the other way round
        assertThat(signer.verify("notify", "acme", MEDIA, REF, "" + expires, link, NOW))
                .isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThat(new LinkSigner(KEY).verify("acme", MEDIA, expires, signer.sign("notify", "acme", MEDIA, REF, expires), NOW))
                .isFalse();
    }

    @Test
    void missing_or_malformed_parameters_are_a_bad_signature() {
        long expires = NOW.getEpochSecond() + 60;
        String signature = signer.sign("notify", "acme", MEDIA, REF, expires);

        assertThat(signer.verify("notify", "acme", MEDIA, REF, null, signature, NOW)).isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("notify", "acme", MEDIA, REF, "" + expires, null, NOW)).isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("notify", null, MEDIA, REF, "" + expires, signature, NOW)).isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("notify", "acme", MEDIA, "", "" + expires, signature, NOW)).isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("notify", "acme", MEDIA, REF, "soon", signature, NOW)).isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("notify", "acme\nnotify", MEDIA, REF, "" + expires, signature, NOW))
                .isEqualTo(InboundMediaSigner.Verdict.BAD_SIGNATURE);
        assertThatThrownBy(() -> signer.sign("notify", "acme\n", MEDIA, REF, expires)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_query_carries_every_field_url_encoded() {
        String query = signer.query("twilio", "acme", MEDIA, REF, Instant.ofEpochSecond(1_800_000_060L));

        assertThat(query).isEqualTo("tenant=acme&mediaId=" + MEDIA + "&ref="
                + java.net.URLEncoder.encode(REF, StandardCharsets.UTF_8) + "&expires=1800000060&signature="
                + signer.sign("twilio", "acme", MEDIA, REF, 1_800_000_060L));
    }

    @Test
    void a_short_key_is_refused() {
        assertThatThrownBy(() -> new InboundMediaSigner("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
