package io.mediaplatform.ingest.inbound.core;

import io.mediaplatform.ingest.inbound.core.InboundContent.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InboundContentTest {

    @Test
    void the_providers_declared_type_wins_over_the_served_one_and_keeps_its_parameters() {
        assertThat(InboundContent.contentType("audio/ogg; codecs=opus", "application/octet-stream"))
                .isEqualTo("audio/ogg; codecs=opus");
        assertThat(InboundContent.contentType("Image/JPEG", "image/png")).isEqualTo("image/jpeg");
    }

    @Test
    void without_a_usable_declaration_the_served_type_then_octet_stream_is_used() {
        assertThat(InboundContent.contentType(null, "video/mp4")).isEqualTo("video/mp4");
        assertThat(InboundContent.contentType("not a type", "image/webp")).isEqualTo("image/webp");
        assertThat(InboundContent.contentType("*/*", null)).isEqualTo("application/octet-stream");
        assertThat(InboundContent.contentType("image/png\r\nX-Injected: 1", null)).isEqualTo("application/octet-stream");
    }

    @Test
    void the_kind_is_the_providers_or_else_the_one_of_the_content_type() {
        assertThat(InboundContent.kind(Kind.STICKER, "image/webp")).isEqualTo(Kind.STICKER);
        assertThat(InboundContent.kind(Kind.UNKNOWN, "image/png")).isEqualTo(Kind.IMAGE);
        assertThat(InboundContent.kind(null, "video/3gpp")).isEqualTo(Kind.VIDEO);
        assertThat(InboundContent.kind(Kind.UNKNOWN, "audio/ogg; codecs=opus")).isEqualTo(Kind.AUDIO);
        assertThat(InboundContent.kind(Kind.UNKNOWN, "application/pdf")).isEqualTo(Kind.DOCUMENT);
    }

    @Test
    void media_without_a_file_name_is_stored_under_its_kind_and_extension() {
        assertThat(InboundContent.storedName("invoice.pdf", Kind.DOCUMENT, false, "application/pdf")).isEqualTo("invoice.pdf");
        assertThat(InboundContent.storedName(null, Kind.IMAGE, false, "image/jpeg")).isEqualTo("image.jpg");
        assertThat(InboundContent.storedName(null, Kind.AUDIO, true, "audio/ogg; codecs=opus")).isEqualTo("voice.ogg");
        assertThat(InboundContent.storedName(" ", Kind.STICKER, false, "image/x-unknown")).isEqualTo("sticker");
    }
}
