package io.mediaplatform.ingest.media.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContentDispositionsTest {

    @Test
    void gives_an_ascii_fallback_and_the_utf8_name() {
        assertThat(ContentDispositions.attachment("résumé 2024.pdf"))
                .isEqualTo("attachment; filename=\"r_sum_ 2024.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202024.pdf");
    }

    @Test
    void cannot_be_broken_out_of_by_quotes_or_new_lines() {
        String header = ContentDispositions.attachment("a\"; evil=\"x\r\nSet-Cookie: y.txt");
        assertThat(header).doesNotContain("\r", "\n").startsWith("attachment; filename=\"a_; evil=_x__Set-Cookie_ y.txt\"");
    }
}
