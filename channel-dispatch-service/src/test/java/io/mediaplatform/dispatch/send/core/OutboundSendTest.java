package io.mediaplatform.dispatch.send.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundSendTest {

    private static final String LINK = "https://media.example/v1/media/m-1/content?tenant=t&expires=1&signature=s";

    private static OutboundSend media(SendKind kind, String caption, String fileName) {
        return OutboundSend.media("t", "m", "SMS", null, "+1555", kind, caption, fileName, LINK, "m-1", null);
    }

    @Test
    void the_text_of_a_link_channel_is_the_caption_a_newline_and_the_link() {
        assertThat(media(SendKind.IMAGE, "  Look  ", "a.png").textWithLink()).isEqualTo("Look\n" + LINK);
        assertThat(media(SendKind.VIDEO, "Clip", null).textWithLink()).isEqualTo("Clip\n" + LINK);
    }

    @Test
    void a_document_names_its_file_instead_and_audio_or_no_caption_is_the_link_alone() {
        assertThat(media(SendKind.DOCUMENT, "ignored", "report.pdf").textWithLink()).isEqualTo("report.pdf\n" + LINK);
        assertThat(media(SendKind.AUDIO, "ignored", "voice.ogg").textWithLink()).isEqualTo(LINK);
        assertThat(media(SendKind.IMAGE, " ", null).textWithLink()).isEqualTo(LINK);
    }
}
