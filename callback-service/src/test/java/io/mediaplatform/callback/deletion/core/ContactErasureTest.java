package io.mediaplatform.callback.deletion.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContactErasureTest {

    @Test
    void an_erasure_covers_messages_to_the_address_and_from_it_on_its_channel_only() {
        ContactErasure erasure = ContactErasure.of(" whatsapp ", " +15551234567 ");

        assertThat(erasure).isEqualTo(new ContactErasure("WHATSAPP", "+15551234567"));
        assertThat(erasure.covers("WHATSAPP", "OUTBOUND", null, "+15551234567")).isTrue();
        assertThat(erasure.covers("WHATSAPP", "INBOUND", "+15551234567", "106540352242922")).isTrue();
        // the business address of an inbound message, another channel, another customer
        assertThat(erasure.covers("WHATSAPP", "INBOUND", "+15550000000", "+15551234567")).isFalse();
        assertThat(erasure.covers("MMS", "OUTBOUND", null, "+15551234567")).isFalse();
        assertThat(erasure.covers("WHATSAPP", "OUTBOUND", null, "+15550000000")).isFalse();
    }

    @Test
    void an_unknown_channel_or_a_blank_or_overlong_address_is_refused_with_its_field() {
        assertThatThrownBy(() -> ContactErasure.of("pigeon", "+1555")).isInstanceOf(ContactErasure.Invalid.class)
                .satisfies(e -> assertThat(((ContactErasure.Invalid) e).field()).isEqualTo("channel"));
        assertThatThrownBy(() -> ContactErasure.of("EMAIL", "  ")).isInstanceOf(ContactErasure.Invalid.class)
                .satisfies(e -> assertThat(((ContactErasure.Invalid) e).field()).isEqualTo("address"));
        assertThatThrownBy(() -> ContactErasure.of("EMAIL", "a".repeat(321))).isInstanceOf(ContactErasure.Invalid.class);
    }

    @Test
    void the_audit_hash_hides_the_address_differs_by_salt_and_can_be_checked_with_the_address_in_hand() {
        ContactErasure erasure = ContactErasure.of("EMAIL", "ann@example.com");
        String salt = ContactErasure.newSalt();

        String hash = erasure.addressHash(salt);

        assertThat(hash).hasSize(64).doesNotContain("ann").doesNotContain("example");
        assertThat(erasure.addressHash(salt)).isEqualTo(hash);
        assertThat(erasure.addressHash(ContactErasure.newSalt())).isNotEqualTo(hash);
        assertThat(ContactErasure.of("EMAIL", "bob@example.com").addressHash(salt)).isNotEqualTo(hash);
    }
}
