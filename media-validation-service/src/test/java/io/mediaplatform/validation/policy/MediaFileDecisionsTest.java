package io.mediaplatform.validation.policy;

import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.detection.ContentDetector;
import io.mediaplatform.validation.inbox.core.InboxMediaRules;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.MediaChannel;
import io.mediaplatform.validation.policy.core.MediaDirection;
import io.mediaplatform.validation.policy.core.MediaTypes;
import io.mediaplatform.validation.policy.core.Reason;
import io.mediaplatform.validation.policy.core.ValidationRequest;
import io.mediaplatform.validation.policy.core.Validator;
import io.mediaplatform.validation.policy.yaml.YamlMediaPolicyLoader;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decisions for real files under {@code src/test/resources/media/}, detected from their bytes and judged by
 * the shipped {@code media-policy.yml}. No Spring context.
 */
class MediaFileDecisionsTest {

    private static final Validator VALIDATOR = new Validator(YamlMediaPolicyLoader.load(new ClassPathResource("media-policy.yml")));
    private static final ContentDetector DETECTOR = new ContentDetector();

    private static Decision decide(String file, MediaChannel channel, MediaDirection direction, Kind kind,
                                   String declaredType, String declaredName, long size, InboxMediaRules inbox) {
        byte[] bytes = MediaFiles.bytes(file);
        return VALIDATOR.decide(new ValidationRequest(channel, direction, kind, declaredType, declaredName,
                DETECTOR.detect(bytes), size, inbox));
    }

    private static Decision decide(String file, MediaChannel channel, Kind kind, String declaredType, String declaredName) {
        return decide(file, channel, MediaDirection.OUTBOUND, kind, declaredType, declaredName,
                MediaFiles.bytes(file).length, InboxMediaRules.open("inbox-1"));
    }

    @Test
    void accepts_a_png_as_a_whatsapp_image() {
        // Given a real PNG declared as image/png
        // When it is validated for WhatsApp without a declared kind
        Decision decision = decide("photo.png", MediaChannel.WHATSAPP, null, "image/png", "photo.png");

        // Then it is an image of type image/png
        assertThat(decision).isEqualTo(new Decision.Accepted(Kind.IMAGE, "image/png"));
    }

    @Test
    void accepts_a_jpeg_declared_with_the_nonstandard_image_jpg_type() {
        Decision decision = decide("photo.jpg", MediaChannel.WHATSAPP, Kind.IMAGE, "image/jpg; charset=binary", "holiday.JPG");

        assertThat(decision).isEqualTo(new Decision.Accepted(Kind.IMAGE, "image/jpeg"));
    }

    @Test
    void rejects_an_executable_named_photo_jpg_as_TYPE_MISMATCH() {
        // Given a Windows executable saved as photo.jpg and declared image/jpeg
        // When it is validated as a WhatsApp image
        Decision decision = decide("disguised/photo.jpg", MediaChannel.WHATSAPP, Kind.IMAGE, "image/jpeg", "photo.jpg");

        // Then the declared type disagrees with the bytes
        assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.TYPE_MISMATCH);
            assertThat(rejected.message()).contains("image/jpeg").contains("application/x-msdownload");
        });
    }

    @Test
    void rejects_an_executable_named_photo_jpg_as_TYPE_MISMATCH_even_when_declared_octet_stream() {
        // Given the executable with a generic declared type: the extension still speaks
        Decision decision = decide("disguised/photo.jpg", MediaChannel.WHATSAPP, null, "application/octet-stream", "photo.jpg");

        assertThat(decision).extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void rejects_a_pdf_named_doc_png_as_TYPE_MISMATCH() {
        // Given a PDF saved as doc.png with no declared type
        Decision decision = decide("disguised/doc.png", MediaChannel.WHATSAPP, null, null, "doc.png");

        // Then the extension disagrees with the bytes
        assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.TYPE_MISMATCH);
            assertThat(rejected.message()).contains("doc.png").contains("application/pdf");
        });
    }

    @Test
    void rejects_a_zip_named_report_docx_as_TYPE_MISMATCH() {
        Decision decision = decide("disguised/report.docx", MediaChannel.WHATSAPP, Kind.DOCUMENT, MediaTypes.DOCX, "report.docx");

        assertThat(decision).extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void accepts_a_real_docx_and_a_pdf_as_whatsapp_documents() {
        assertThat(decide("report.docx", MediaChannel.WHATSAPP, Kind.DOCUMENT, MediaTypes.DOCX, "report.docx"))
                .isEqualTo(new Decision.Accepted(Kind.DOCUMENT, MediaTypes.DOCX));
        assertThat(decide("invoice.pdf", MediaChannel.WHATSAPP, null, "application/pdf", "invoice.pdf"))
                .isEqualTo(new Decision.Accepted(Kind.DOCUMENT, "application/pdf"));
        assertThat(decide("notes.txt", MediaChannel.WHATSAPP, Kind.DOCUMENT, "text/plain", "notes.txt"))
                .isEqualTo(new Decision.Accepted(Kind.DOCUMENT, "text/plain"));
    }

    @Test
    void rejects_a_plain_zip_as_an_UNSUPPORTED_whatsapp_document() {
        Decision decision = decide("archive.zip", MediaChannel.WHATSAPP, Kind.DOCUMENT, "application/zip", "archive.zip");

        assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
            assertThat(rejected.message()).contains("application/zip").contains("WHATSAPP document");
        });
    }

    @Test
    void rejects_a_gif_as_an_UNSUPPORTED_whatsapp_image_but_accepts_it_on_mms() {
        assertThat(decide("image.gif", MediaChannel.WHATSAPP, Kind.IMAGE, "image/gif", "image.gif"))
                .extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
        assertThat(decide("image.gif", MediaChannel.MMS, Kind.IMAGE, "image/gif", "image.gif"))
                .isEqualTo(new Decision.Accepted(Kind.IMAGE, "image/gif"));
    }

    @Test
    void rejects_a_pdf_sent_as_a_whatsapp_image_as_UNSUPPORTED_TYPE() {
        Decision decision = decide("invoice.pdf", MediaChannel.WHATSAPP, Kind.IMAGE, "application/pdf", "invoice.pdf");

        assertThat(decision).extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
    }

    @Test
    void accepts_an_isom_mp4_and_a_3gp_as_whatsapp_video_and_voice_notes_as_audio() {
        assertThat(decide("clip.mp4", MediaChannel.WHATSAPP, Kind.VIDEO, "video/mp4", "clip.mp4"))
                .isEqualTo(new Decision.Accepted(Kind.VIDEO, "video/mp4"));
        assertThat(decide("clip.3gp", MediaChannel.WHATSAPP, null, "video/3gpp", "clip.3gp"))
                .isEqualTo(new Decision.Accepted(Kind.VIDEO, "video/3gpp"));
        assertThat(decide("voice.m4a", MediaChannel.WHATSAPP, Kind.AUDIO, "audio/x-m4a", "voice.m4a"))
                .isEqualTo(new Decision.Accepted(Kind.AUDIO, "audio/mp4"));
        assertThat(decide("voice.ogg", MediaChannel.WHATSAPP, Kind.AUDIO, "audio/ogg; codecs=opus", "voice.ogg"))
                .isEqualTo(new Decision.Accepted(Kind.AUDIO, "audio/ogg"));
        assertThat(decide("voice.mp3", MediaChannel.WHATSAPP, null, "audio/mp3", "voice.mp3"))
                .isEqualTo(new Decision.Accepted(Kind.AUDIO, "audio/mpeg"));
    }

    @Test
    void rejects_a_quicktime_movie_on_whatsapp_as_UNSUPPORTED_TYPE() {
        assertThat(decide("movie.mov", MediaChannel.WHATSAPP, Kind.VIDEO, "video/quicktime", "movie.mov"))
                .extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
    }

    @Test
    void accepts_a_webp_as_a_whatsapp_sticker_only_when_declared_a_sticker() {
        // Given a WebP declared as a sticker, it is a sticker
        assertThat(decide("sticker.webp", MediaChannel.WHATSAPP, Kind.STICKER, "image/webp", "sticker.webp"))
                .isEqualTo(new Decision.Accepted(Kind.STICKER, "image/webp"));
        // Given the same WebP as a plain upload, it is an image, which WhatsApp does not take as WebP
        assertThat(decide("sticker.webp", MediaChannel.WHATSAPP, null, "image/webp", "sticker.webp"))
                .extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
    }

    @Test
    void rejects_a_sticker_over_100_KB_as_TOO_LARGE_naming_the_limit() {
        // Given a 120 KiB WebP declared as a sticker
        Decision decision = decide("sticker-large.webp", MediaChannel.WHATSAPP, Kind.STICKER, "image/webp", "big.webp");

        // Then it is too large and the message names the limit
        assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(rejected.message()).contains("100 KB limit for WHATSAPP sticker");
        });
    }

    @Test
    void rejects_a_png_of_6_MB_as_TOO_LARGE_for_a_whatsapp_image() {
        // Given a PNG whose stored size is 6 MB (only its head is ever read)
        Decision decision = decide("photo.png", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, Kind.IMAGE, "image/png",
                "photo.png", 6L * 1024 * 1024, InboxMediaRules.open("inbox-1"));

        // Then it is refused with the limit in the message
        assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(rejected.message()).isEqualTo("6 MB is over the 5 MB limit for WHATSAPP image");
        });
        // And the same file fits on web chat (10 MB)
        assertThat(decide("photo.png", MediaChannel.WEBCHAT, MediaDirection.OUTBOUND, Kind.IMAGE, "image/png",
                "photo.png", 6L * 1024 * 1024, InboxMediaRules.open("inbox-1"))).isInstanceOf(Decision.Accepted.class);
    }

    @Test
    void rejects_a_zero_byte_file_as_EMPTY() {
        Decision decision = decide("empty.jpg", MediaChannel.WHATSAPP, Kind.IMAGE, "image/jpeg", "empty.jpg");

        assertThat(decision).isEqualTo(new Decision.Rejected(Reason.EMPTY, "The file is empty"));
    }

    @Test
    void judges_a_truncated_png_by_its_magic_bytes_and_a_png_cut_inside_its_signature_as_a_mismatch() {
        // Given a PNG cut after its header: magic bytes say PNG (decoding is the codec check's job)
        assertThat(decide("truncated.png", MediaChannel.WHATSAPP, null, "image/png", "truncated.png"))
                .isEqualTo(new Decision.Accepted(Kind.IMAGE, "image/png"));
        // Given a PNG cut inside its 8-byte signature: the bytes are no PNG at all
        assertThat(decide("cut-signature.png", MediaChannel.WHATSAPP, null, "image/png", "cut-signature.png"))
                .extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void rejects_inbound_media_as_MEDIA_DISABLED_with_the_inbox_message_when_receive_is_off() {
        // Given an inbox that does not accept media from customers
        InboxMediaRules inbox = new InboxMediaRules("inbox-7", true, false, "Sorry, we cannot receive files here.");

        // When a customer sends a perfectly good PNG
        Decision decision = decide("photo.png", MediaChannel.WHATSAPP, MediaDirection.INBOUND, null, "image/png",
                "photo.png", MediaFiles.bytes("photo.png").length, inbox);

        // Then it is refused and the customer gets the inbox's message
        assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.MEDIA_DISABLED);
            assertThat(rejected.customerMessage()).isEqualTo("Sorry, we cannot receive files here.");
        });
    }

    @Test
    void rejects_outbound_media_as_MEDIA_DISABLED_when_send_is_off_but_lets_inbound_through() {
        InboxMediaRules inbox = new InboxMediaRules("inbox-7", false, true, null);
        long size = MediaFiles.bytes("photo.png").length;

        assertThat(decide("photo.png", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, Kind.IMAGE, "image/png", "photo.png", size, inbox))
                .extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.MEDIA_DISABLED);
        assertThat(decide("photo.png", MediaChannel.WHATSAPP, MediaDirection.INBOUND, null, "image/png", "photo.png", size, inbox))
                .isInstanceOf(Decision.Accepted.class);
    }

    @Test
    void accepts_a_pdf_of_30_MB_by_email_but_not_by_mms() {
        long thirtyMb = 30L * 1024 * 1024;
        InboxMediaRules open = InboxMediaRules.open(null);

        assertThat(decide("invoice.pdf", MediaChannel.EMAIL, MediaDirection.OUTBOUND, null, "application/pdf", "i.pdf", thirtyMb, open))
                .isEqualTo(new Decision.Accepted(Kind.DOCUMENT, "application/pdf"));
        assertThat(decide("invoice.pdf", MediaChannel.MMS, MediaDirection.OUTBOUND, null, "application/pdf", "i.pdf", thirtyMb, open))
                .isInstanceOfSatisfying(Decision.Rejected.class, r -> assertThat(r.message()).contains("5 MB limit for MMS document"));
    }
}
