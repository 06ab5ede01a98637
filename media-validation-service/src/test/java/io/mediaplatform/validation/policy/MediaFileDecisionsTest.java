package io.mediaplatform.validation.policy;

import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.inspection.tika.ContentDetector;
import io.mediaplatform.validation.inbox.core.InboxMediaRules;
import io.mediaplatform.validation.inspection.core.ByteSource;
import io.mediaplatform.validation.inspection.core.BytesProbe;
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
 * the shipped {@code media-policy.yml}, the bytes probed as the service probes stored ones (tail, moov). No
 * Spring context.
 */
class MediaFileDecisionsTest {

    private static final Validator VALIDATOR = new Validator(YamlMediaPolicyLoader.load(new ClassPathResource("media-policy.yml")));
    private static final ContentDetector DETECTOR = new ContentDetector();

    private static Decision decide(String file, MediaChannel channel, MediaDirection direction, Kind kind,
                                   String declaredType, String declaredName, long size, InboxMediaRules inbox) {
        byte[] bytes = MediaFiles.bytes(file);
        return VALIDATOR.decide(new ValidationRequest("tenant-a", channel, direction, kind, declaredType, declaredName,
                DETECTOR.detect(bytes), size, inbox, new BytesProbe(ByteSource.of(bytes), 8 << 20)));
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
        assertThat(decide("sheet.xlsx", MediaChannel.WHATSAPP, Kind.DOCUMENT, MediaTypes.XLSX, "sheet.xlsx"))
                .isEqualTo(new Decision.Accepted(Kind.DOCUMENT, MediaTypes.XLSX));
        assertThat(decide("slides.pptx", MediaChannel.WHATSAPP, null, null, "slides.pptx"))
                .isEqualTo(new Decision.Accepted(Kind.DOCUMENT, MediaTypes.PPTX));
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
        // (real ffmpeg files: H.264 + AAC video, AAC m4a, Opus ogg, MP3)
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
    void judges_a_webm_clip_declared_video_webm_as_webm_accepted_on_webchat_and_unsupported_not_mismatched_on_whatsapp() {
        // Given a real WebM clip uploaded as video/webm
        // When it is validated for WebChat, whose browsers play WebM
        assertThat(decide("clip.webm", MediaChannel.WEBCHAT, null, "video/webm", "clip.webm"))
                .isEqualTo(new Decision.Accepted(Kind.VIDEO, "video/webm"));
        // When it is validated for WhatsApp, which wants MP4: the type is named for what it is, not a mismatch
        assertThat(decide("clip.webm", MediaChannel.WHATSAPP, null, "video/webm", "clip.webm"))
                .isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
                    assertThat(rejected.message()).startsWith("video/webm is not allowed for WHATSAPP video");
                });
        // And a WebM holding only a voice note, declared audio/webm, is judged as audio
        assertThat(decide("clip.webm", MediaChannel.WEBCHAT, null, "audio/webm", "voice.webm"))
                .isEqualTo(new Decision.Accepted(Kind.AUDIO, "audio/webm"));
    }

    @Test
    void rejects_a_matroska_file_declared_video_webm_as_TYPE_MISMATCH() {
        // Given an H.264 Matroska file claimed to be WebM (a WebM is a Matroska, not the other way round)
        Decision decision = decide("clip.mkv", MediaChannel.WEBCHAT, null, "video/webm", "clip.webm");

        assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.TYPE_MISMATCH);
            assertThat(rejected.message()).contains("video/x-matroska");
        });
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
        // Given a still WebP stored at 120 KiB, declared as a sticker
        Decision decision = decide("sticker.webp", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, Kind.STICKER, "image/webp",
                "big.webp", 120L * 1024, InboxMediaRules.open("inbox-1"));

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
    void rejects_a_truncated_png_as_a_corrupt_png_and_a_png_cut_inside_its_signature_as_a_mismatch() {
        // Given a PNG cut after its header: magic bytes say PNG, but the IEND chunk is missing at its end
        assertThat(decide("truncated.png", MediaChannel.WHATSAPP, null, "image/png", "truncated.png"))
                .isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
                    assertThat(rejected.message()).startsWith("truncated or corrupt PNG");
                });
        // Given a PNG cut inside its 8-byte signature: the bytes are no PNG at all
        assertThat(decide("cut-signature.png", MediaChannel.WHATSAPP, null, "image/png", "cut-signature.png"))
                .extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void rejects_a_jpeg_cut_before_its_end_of_image_marker_as_corrupt() {
        // Given the first half of a real JPEG
        byte[] jpeg = MediaFiles.bytes("photo.jpg");
        byte[] cut = java.util.Arrays.copyOf(jpeg, jpeg.length / 2);

        // When it is validated as a WhatsApp image
        Decision decision = VALIDATOR.decide(new ValidationRequest("tenant-a", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND,
                Kind.IMAGE, "image/jpeg", "photo.jpg", DETECTOR.detect(cut), cut.length, InboxMediaRules.open("i"),
                new BytesProbe(ByteSource.of(cut), 8 << 20)));

        // Then the missing FFD9 marker is named
        assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
            assertThat(rejected.message()).startsWith("truncated or corrupt JPEG");
        });
    }

    @Test
    void judges_polyglots_by_their_leading_magic_and_rejects_the_appended_data_as_corruption() {
        // Given a PNG with a PDF appended and a JPEG with a zip appended, declared as what their first bytes say
        Decision png = decide("polyglot/polyglot-png-pdf.png", MediaChannel.WHATSAPP, Kind.IMAGE, "image/png", "photo.png");
        Decision jpeg = decide("polyglot/polyglot-jpg-zip.jpg", MediaChannel.WHATSAPP, Kind.IMAGE, "image/jpeg", "photo.jpg");

        // Then the type is the leading one (no TYPE_MISMATCH) but the bytes do not end like that type ends
        assertThat(png).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
            assertThat(rejected.message()).startsWith("truncated or corrupt PNG");
        });
        assertThat(jpeg).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
            assertThat(rejected.message()).startsWith("truncated or corrupt JPEG");
        });
        // And the same polyglot named .pdf is a TYPE_MISMATCH: the leading magic (PNG) decides, not the tail
        assertThat(decide("polyglot/polyglot-png-pdf.png", MediaChannel.WHATSAPP, Kind.DOCUMENT, "application/pdf", "x.pdf"))
                .extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void accepts_h264_with_aac_in_mp4_with_the_moov_at_the_end_or_at_the_start_and_in_3gp() {
        assertThat(decide("clip.mp4", MediaChannel.WHATSAPP, Kind.VIDEO, "video/mp4", "clip.mp4"))
                .isEqualTo(new Decision.Accepted(Kind.VIDEO, "video/mp4"));
        assertThat(decide("clip-faststart.mp4", MediaChannel.WHATSAPP, null, "video/mp4", "clip.mp4"))
                .isEqualTo(new Decision.Accepted(Kind.VIDEO, "video/mp4"));
        assertThat(decide("clip.3gp", MediaChannel.WHATSAPP, null, "video/3gpp", "clip.3gp"))
                .isEqualTo(new Decision.Accepted(Kind.VIDEO, "video/3gpp"));
    }

    @Test
    void rejects_h265_vp9_and_mp3_audio_in_mp4_as_CODEC_UNSUPPORTED_for_whatsapp_naming_the_codec() {
        assertThat(decide("clip-h265.mp4", MediaChannel.WHATSAPP, Kind.VIDEO, "video/mp4", "clip.mp4"))
                .isEqualTo(new Decision.Rejected(Reason.CODEC_UNSUPPORTED,
                        "Video codec H.265 is not supported for WHATSAPP video (supported: H.264)"));
        assertThat(decide("clip-vp9.mp4", MediaChannel.WHATSAPP, Kind.VIDEO, "video/mp4", "clip.mp4"))
                .isEqualTo(new Decision.Rejected(Reason.CODEC_UNSUPPORTED,
                        "Video codec VP9 is not supported for WHATSAPP video (supported: H.264)"));
        assertThat(decide("clip-mp3-audio.mp4", MediaChannel.WHATSAPP, Kind.VIDEO, "video/mp4", "clip.mp4"))
                .isEqualTo(new Decision.Rejected(Reason.CODEC_UNSUPPORTED,
                        "Audio codec MP3 is not supported for WHATSAPP video (supported: AAC)"));
        // And web chat, which has no codec rule, takes the H.265 one
        assertThat(decide("clip-h265.mp4", MediaChannel.WEBCHAT, Kind.VIDEO, "video/mp4", "clip.mp4"))
                .isEqualTo(new Decision.Accepted(Kind.VIDEO, "video/mp4"));
    }

    @Test
    void rejects_an_audio_only_mp4_sent_as_a_whatsapp_video_for_lack_of_a_video_track() {
        // Given an isom MP4 holding only an AAC track
        assertThat(decide("audio-only.mp4", MediaChannel.WHATSAPP, Kind.VIDEO, "video/mp4", "clip.mp4"))
                .isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo(Reason.CODEC_UNSUPPORTED);
                    assertThat(rejected.message()).startsWith("No video track found");
                });
        // And an M4A declared as video is not even a video type
        assertThat(decide("voice.m4a", MediaChannel.WHATSAPP, Kind.VIDEO, "video/mp4", "voice.mp4"))
                .extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
    }

    @Test
    void accepts_every_whatsapp_audio_format_of_the_policy() {
        assertThat(decide("voice.aac", MediaChannel.WHATSAPP, Kind.AUDIO, "audio/aac", "voice.aac"))
                .isEqualTo(new Decision.Accepted(Kind.AUDIO, "audio/aac"));
        assertThat(decide("voice.amr", MediaChannel.WHATSAPP, Kind.AUDIO, "audio/amr", "voice.amr"))
                .isEqualTo(new Decision.Accepted(Kind.AUDIO, "audio/amr"));
        assertThat(decide("voice.mp3", MediaChannel.WHATSAPP, Kind.AUDIO, "audio/mpeg", "voice.mp3"))
                .isEqualTo(new Decision.Accepted(Kind.AUDIO, "audio/mpeg"));
        assertThat(decide("voice.m4a", MediaChannel.WHATSAPP, Kind.AUDIO, "audio/mp4", "voice.m4a"))
                .isEqualTo(new Decision.Accepted(Kind.AUDIO, "audio/mp4"));
        assertThat(decide("voice.ogg", MediaChannel.WHATSAPP, Kind.AUDIO, "audio/ogg", "voice.ogg"))
                .isEqualTo(new Decision.Accepted(Kind.AUDIO, "audio/ogg"));
    }

    @Test
    void allows_an_animated_webp_sticker_up_to_500_KB_but_a_still_one_only_up_to_100_KB() {
        long threeHundredKb = 300L * 1024;
        InboxMediaRules open = InboxMediaRules.open("inbox-1");
        // Given an animated WebP (ANIM chunk) stored at 300 KB: within the animated limit
        assertThat(decide("sticker-animated.webp", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, Kind.STICKER, "image/webp",
                "s.webp", threeHundredKb, open)).isEqualTo(new Decision.Accepted(Kind.STICKER, "image/webp"));
        // Given a still WebP of the same size: over the 100 KB limit
        assertThat(decide("sticker.webp", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, Kind.STICKER, "image/webp",
                "s.webp", threeHundredKb, open)).isEqualTo(new Decision.Rejected(Reason.TOO_LARGE,
                "300 KB is over the 100 KB limit for WHATSAPP sticker"));
        // Given the animated one at 600 KB: over the animated limit
        assertThat(decide("sticker-animated.webp", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, Kind.STICKER, "image/webp",
                "s.webp", 600L * 1024, open)).isEqualTo(new Decision.Rejected(Reason.TOO_LARGE,
                "600 KB is over the 500 KB limit for WHATSAPP animated sticker"));
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
