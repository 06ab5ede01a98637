package io.mediaplatform.validation.detection;

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
