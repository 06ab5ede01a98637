package io.mediaplatform.dispatch.inbound.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class InboundIdsTest {

    @Test
    void the_ids_are_the_contracts_name_based_uuids() {
        // Given a provider message
        String expectedMessage = UUID.nameUUIDFromBytes("inbound-message|demo|whatsapp|wamid.ABC|0"
                .getBytes(StandardCharsets.UTF_8)).toString();
        String expectedMedia = UUID.nameUUIDFromBytes("inbound-media|demo|whatsapp|wamid.ABC|0"
                .getBytes(StandardCharsets.UTF_8)).toString();

        // Then its ids are the contract's, as lower-case UUIDs
        assertThat(InboundIds.messageId("demo", "whatsapp", "wamid.ABC", 0)).isEqualTo(expectedMessage);
        assertThat(InboundIds.mediaId("demo", "whatsapp", "wamid.ABC", 0)).isEqualTo(expectedMedia);
        assertThat(expectedMedia).isEqualTo(expectedMedia.toLowerCase(Locale.ROOT));
    }

    @Test
    void the_same_provider_message_always_gets_the_same_ids() {
        assertThat(InboundIds.messageId("demo", "twilio", "MM1", 1))
                .isEqualTo(InboundIds.messageId("demo", "twilio", "MM1", 1));
        assertThat(InboundIds.mediaId("demo", "twilio", "MM1", 1))
                .isEqualTo(InboundIds.mediaId("demo", "twilio", "MM1", 1));
    }

    @Test
    void ids_differ_by_index_tenant_provider_message_and_between_message_and_media() {
        String id = InboundIds.messageId("demo", "twilio", "MM1", 0);
        assertThat(id)
                .isNotEqualTo(InboundIds.messageId("demo", "twilio", "MM1", 1))
                .isNotEqualTo(InboundIds.messageId("acme", "twilio", "MM1", 0))
                .isNotEqualTo(InboundIds.messageId("demo", "notify", "MM1", 0))
                .isNotEqualTo(InboundIds.messageId("demo", "twilio", "MM2", 0))
                .isNotEqualTo(InboundIds.mediaId("demo", "twilio", "MM1", 0));
    }

    @Test
    void the_conversation_is_the_channel_and_the_customer() {
        assertThat(InboundIds.conversationId("WHATSAPP", "+15557654321")).isEqualTo("WHATSAPP:+15557654321");
    }

    @Test
    void a_whatsapp_wa_id_gets_its_plus_and_a_twilio_address_loses_its_prefix() {
        assertThat(InboundAddresses.e164("15557654321")).isEqualTo("+15557654321");
        assertThat(InboundAddresses.e164(" +15557654321 ")).isEqualTo("+15557654321");
        assertThat(InboundAddresses.withoutWhatsAppPrefix("whatsapp:+15557654321")).isEqualTo("+15557654321");
        assertThat(InboundAddresses.withoutWhatsAppPrefix("+15557654321")).isEqualTo("+15557654321");
        assertThat(InboundAddresses.isWhatsApp("WhatsApp:+1555")).isTrue();
        assertThat(InboundAddresses.isWhatsApp("+1555")).isFalse();
    }

    @Test
    void kinds_come_from_the_provider_type_or_else_the_content_type() {
        assertThat(InboundKind.ofWhatsAppType("sticker")).contains(InboundKind.STICKER);
        assertThat(InboundKind.ofWhatsAppType("audio")).contains(InboundKind.AUDIO);
        assertThat(InboundKind.ofWhatsAppType("text")).isEmpty();
        assertThat(InboundKind.ofWhatsAppType("location")).isEmpty();
        assertThat(InboundKind.ofContentType("image/jpeg")).isEqualTo(InboundKind.IMAGE);
        assertThat(InboundKind.ofContentType("VIDEO/MP4")).isEqualTo(InboundKind.VIDEO);
        assertThat(InboundKind.ofContentType("audio/amr")).isEqualTo(InboundKind.AUDIO);
        assertThat(InboundKind.ofContentType("application/pdf")).isEqualTo(InboundKind.DOCUMENT);
        assertThat(InboundKind.ofContentType("text/vcard")).isEqualTo(InboundKind.DOCUMENT);
        assertThat(InboundKind.ofContentType(null)).isEqualTo(InboundKind.DOCUMENT);
        assertThat(InboundKind.ofNotifyType("document", "image/png")).isEqualTo(InboundKind.DOCUMENT);
        assertThat(InboundKind.ofNotifyType("carousel", "image/png")).isEqualTo(InboundKind.IMAGE);
    }
}
