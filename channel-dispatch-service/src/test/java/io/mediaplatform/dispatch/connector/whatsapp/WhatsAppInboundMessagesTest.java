package io.mediaplatform.dispatch.connector.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.dispatch.inbound.core.InboundKind;
import io.mediaplatform.dispatch.inbound.core.ProviderMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class WhatsAppInboundMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode value = read("""
            {"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"}}""");

    @Test
    void a_voice_note_is_audio_with_voice_from_the_customer_with_a_plus() {
        // When a voice note is read
        ProviderMessage message = WhatsAppInboundMessages.parse(value, read("""
                {"from":"15557654321","id":"wamid.1","timestamp":"1764590400","type":"audio",
                 "audio":{"mime_type":"audio/ogg; codecs=opus","sha256":"c2hh","id":"m1","voice":true}}""")).orElseThrow();

        // Then it is one AUDIO media marked voice, from +15557654321 to the phone number id
        assertThat(message.from()).isEqualTo("+15557654321");
        assertThat(message.to()).isEqualTo("106540352242922");
        assertThat(message.occurredAt()).isEqualTo(Instant.ofEpochSecond(1_764_590_400L));
        assertThat(message.media()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(InboundKind.AUDIO);
            assertThat(m.voice()).isTrue();
            assertThat(m.providerMediaId()).isEqualTo("m1");
        });
    }

    @Test
    void messages_without_media_or_without_an_id_are_skipped() {
        assertThat(WhatsAppInboundMessages.parse(value, read("""
                {"from":"15557654321","id":"wamid.2","type":"text","text":{"body":"hi"}}"""))).isEmpty();
        assertThat(WhatsAppInboundMessages.parse(value, read("""
                {"from":"15557654321","id":"wamid.3","type":"location","location":{"latitude":1}}"""))).isEmpty();
        assertThat(WhatsAppInboundMessages.parse(value, read("""
                {"from":"15557654321","type":"image","image":{"id":"m"}}"""))).isEmpty();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
