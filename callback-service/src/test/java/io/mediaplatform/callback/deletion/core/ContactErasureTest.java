package io.mediaplatform.callback.deletion.core;

import io.mediaplatform.callback.audit.core.AuditEntry;
import io.mediaplatform.callback.audit.core.AuditRedaction;
import org.junit.jupiter.api.Test;

import java.time.Instant;

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

    @Test
    void an_erasure_takes_the_address_out_of_the_audit_entries_of_its_channel_and_keeps_the_rest_of_each() {
        // Given the erasure of a WhatsApp number, and audit entries naming it as recipient, as the customer sending a
        // file, inside a provider's reason, and one on another channel
        AuditRedaction redaction = ContactErasure.of("whatsapp", "+15551234567").auditRedaction();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        AuditEntry sent = new AuditEntry("m1", at, at, "OUTBOUND", "agent:alice", "media-1", "asset-1", "WHATSAPP",
                "+15550100001", "+15551234567", "REJECTED", "FAILED", "Recipient 15551234567 is not on WhatsApp");
        AuditEntry fromCustomer = new AuditEntry("m2", at, at, "INBOUND", "+15551234567", "media-2", null, "WHATSAPP",
                "+15551234567", "106540352242922", "ACCEPTED", null, null);
        AuditEntry unknownChannel = new AuditEntry("m3", at, at, null, null, "media-3", null, null, null,
                "+15551234567", "READ", null, null);
        AuditEntry otherChannel = new AuditEntry("m4", at, at, "OUTBOUND", "agent:alice", "media-4", null, "MMS",
                "+15550100001", "+15551234567", "READ", null, null);
        AuditEntry otherCustomer = new AuditEntry("m5", at, at, "OUTBOUND", "agent:alice", "media-5", null, "WHATSAPP",
                "+15550100001", "+15550000000", "READ", null, null);

        // When the redaction is applied
        // Then the address goes from every column that named it, everything else stays
        assertThat(redaction.apply(sent)).isEqualTo(new AuditEntry("m1", at, at, "OUTBOUND", "agent:alice", "media-1",
                "asset-1", "WHATSAPP", "+15550100001", null, "REJECTED", "FAILED",
                "Recipient " + AuditRedaction.ERASED + " is not on WhatsApp"));
        assertThat(redaction.apply(fromCustomer)).isEqualTo(new AuditEntry("m2", at, at, "INBOUND", null, "media-2", null,
                "WHATSAPP", null, "106540352242922", "ACCEPTED", null, null));
        assertThat(redaction.apply(unknownChannel).to()).isNull();
        // And another channel's entry and another customer's are not the erasure's
        assertThat(redaction.covers(otherChannel)).isFalse();
        assertThat(redaction.apply(otherChannel)).isEqualTo(otherChannel);
        assertThat(redaction.covers(otherCustomer)).isFalse();
        assertThat(redaction.reasonWithout("sent to +15551234567")).isEqualTo("sent to " + AuditRedaction.ERASED);
        assertThat(ContactErasure.of("EMAIL", "ann@example.com").auditRedaction().spellings()).containsExactly("ann@example.com");
    }
}
