package io.mediaplatform.ingest.media.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileNamesTest {

    @Test
    void strips_paths_of_both_kinds_of_separator() {
        assertThat(FileNames.sanitize("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.sanitize("C:\\Users\\me\\photo.jpg")).isEqualTo("photo.jpg");
    }

    @Test
    void replaces_control_and_bidi_characters_so_an_exe_cannot_pose_as_a_jpg() {
        // Given "invoice<RLO>gpj.exe", which displays as "invoiceexe.jpg"
        String name = "invoice\u202Egpj.exe";

        // Then the override is gone
        assertThat(FileNames.sanitize(name)).isEqualTo("invoice_gpj.exe");
        assertThat(FileNames.sanitize("a\nb\u0000c.txt")).isEqualTo("a_b_c.txt");
    }

    @Test
    void keeps_unicode_letters_and_drops_leading_dots() {
        assertThat(FileNames.sanitize("café – ünïcödé.pdf")).isEqualTo("café – ünïcödé.pdf");
        assertThat(FileNames.sanitize(".hidden")).isEqualTo("hidden");
    }

    @Test
    void caps_the_length_at_200_keeping_the_extension() {
        String sanitized = FileNames.sanitize("a".repeat(500) + ".pdf");
        assertThat(sanitized).hasSize(200).endsWith(".pdf");
    }

    @Test
    void falls_back_to_file_when_nothing_is_left() {
        assertThat(FileNames.sanitize(null)).isEqualTo("file");
        assertThat(FileNames.sanitize("../")).isEqualTo("file");
        assertThat(FileNames.sanitize("\u202E")).isEqualTo("file");
    }
}
