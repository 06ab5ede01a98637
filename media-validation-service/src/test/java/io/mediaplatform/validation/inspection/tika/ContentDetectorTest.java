package io.mediaplatform.validation.inspection.tika;

import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.policy.core.MediaTypes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ContentDetectorTest {

    private final ContentDetector detector = new ContentDetector();

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "photo.png, image/png",
            "photo.jpg, image/jpeg",
            "image.gif, image/gif",
            "sticker.webp, image/webp",
            "invoice.pdf, application/pdf",
            "notes.txt, text/plain",
            "report.docx, " + MediaTypes.DOCX,
            "archive.zip, application/zip",
            "clip.mp4, video/mp4",
            "clip.3gp, video/3gpp",
            "voice.m4a, audio/mp4",
            "movie.mov, video/quicktime",
            "voice.mp3, audio/mpeg",
            "voice.ogg, audio/ogg",
            "clip.webm, video/webm",
            "clip.mkv, video/x-matroska",
            "disguised/photo.jpg, application/x-msdownload",
            "disguised/doc.png, application/pdf",
            "disguised/report.docx, application/zip",
            "truncated.png, image/png",
            "cut-signature.png, application/octet-stream",
    })
    void detects_the_type_from_the_bytes_alone(String file, String expected) {
        // Given the bytes of a real file (its name is never shown to the detector)
        byte[] bytes = MediaFiles.bytes(file);

        // When / Then
        assertThat(detector.detect(bytes)).isEqualTo(expected);
    }

    @Test
    void reads_an_isom_only_mp4_as_video_mp4_although_tika_alone_says_quicktime() {
        // Given an MP4 whose only brand is isom
        byte[] mp4 = MediaFiles.bytes("clip.mp4");

        // When / Then
        assertThat(new org.apache.tika.Tika().detect(mp4)).isEqualTo("video/quicktime");
        assertThat(detector.detect(mp4)).isEqualTo("video/mp4");
    }

    @Test
    void reads_the_ebml_doctype_so_a_webm_is_not_left_at_matroska_as_tika_alone_says() {
        // Given a real WebM clip and a real Matroska clip
        byte[] webm = MediaFiles.bytes("clip.webm");
        byte[] mkv = MediaFiles.bytes("clip.mkv");

        // When / Then: Tika's core stops at Matroska for both, the DocType tells them apart from the first 64 bytes
        assertThat(new org.apache.tika.Tika().detect(webm)).isEqualTo("application/x-matroska");
        assertThat(detector.detect(Arrays.copyOf(webm, 64))).isEqualTo("video/webm");
        assertThat(detector.detect(Arrays.copyOf(mkv, 64))).isEqualTo("video/x-matroska");
    }

    @Test
    void leaves_an_ebml_header_cut_before_its_doctype_to_tika() {
        // Given only the first 12 bytes of the WebM (the EBML header's first children, no DocType)
        byte[] head = Arrays.copyOf(MediaFiles.bytes("clip.webm"), 12);

        // When / Then: no DocType read, so no claim beyond what the magic says
        assertThat(detector.detect(head)).isNotEqualTo("video/webm");
    }

    @Test
    void tells_a_docx_from_the_head_of_the_file_only() {
        // Given only the first bytes of a docx (local entry headers only, no central directory)
        byte[] docx = MediaFiles.bytes("report.docx");
        byte[] head = Arrays.copyOf(docx, 600);

        // When / Then
        assertThat(detector.detect(head)).isEqualTo(MediaTypes.DOCX);
    }

    @Test
    void answers_octet_stream_for_no_bytes() {
        assertThat(detector.detect(new byte[0])).isEqualTo(MediaTypes.UNKNOWN);
    }
}
