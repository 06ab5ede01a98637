package io.mediaplatform.validation.conversion.ffmpeg;

import io.mediaplatform.validation.conversion.imageio.ImageConverter;
import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.inspection.tika.ContentDetector;
import io.mediaplatform.validation.conversion.core.FitPlan;
import io.mediaplatform.validation.inspection.core.ByteSource;
import io.mediaplatform.validation.inspection.core.IsoBmff;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.MediaTracks;
import io.mediaplatform.validation.policy.core.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Audio and video conversions with the real ffmpeg (Debian's package); skipped where it is not installed. */
class FfmpegConverterTest {

    private static final Decision.Rejected BECAUSE = new Decision.Rejected(Reason.CODEC_UNSUPPORTED, "codec");
    private static final FfmpegConverter FFMPEG = new FfmpegConverter("ffmpeg", Duration.ofSeconds(60), true);

    @BeforeAll
    static void ffmpegIsInstalled() {
        assumeTrue(FFMPEG.available(), "ffmpeg is not installed");
    }

    private static FitPlan.Convert plan(Kind kind, String from, long maxBytes) {
        return new FitPlan.Convert(BECAUSE, kind, from, List.of(kind == Kind.VIDEO ? "video/mp4" : "audio/mp4"), maxBytes);
    }

    private static List<String> codecs(byte[] mp4) {
        MediaTracks tracks = IsoBmff.tracks(ByteSource.of(mp4), 8 << 20);
        assertThat(tracks.problem()).isNull();
        return tracks.tracks().stream().map(track -> track.type() + " " + track.codec()).toList();
    }

    @Test
    void turns_h265_vp9_mp3_audio_and_webm_video_into_h264_with_aac_in_a_faststart_mp4() throws Exception {
        for (String file : List.of("clip-h265.mp4", "clip-vp9.mp4", "clip-mp3-audio.mp4", "clip.webm")) {
            FfmpegConverter.Converted converted = FFMPEG.convert(MediaFiles.bytes(file), plan(Kind.VIDEO, "video/mp4", 16L << 20));

            assertThat(converted.contentType()).isEqualTo("video/mp4");
            assertThat(new ContentDetector().detect(converted.bytes())).as(file).isEqualTo("video/mp4");
            assertThat(codecs(converted.bytes())).as(file).containsExactly("VIDEO H.264", "AUDIO AAC");
            // +faststart: the moov box comes before the media data
            String text = new String(converted.bytes(), 0, Math.min(converted.bytes().length, 4096),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text.indexOf("moov")).as(file).isPositive().isLessThan(Math.max(text.indexOf("mdat"), 4096));
        }
    }

    @Test
    void turns_an_opus_voice_note_into_aac_in_mp4() throws Exception {
        FfmpegConverter.Converted converted = FFMPEG.convert(MediaFiles.bytes("voice.ogg"), plan(Kind.AUDIO, "audio/ogg", 16L << 20));

        assertThat(converted.contentType()).isEqualTo("audio/mp4");
        assertThat(codecs(converted.bytes())).containsExactly("AUDIO AAC");
    }

    @Test
    void a_result_over_the_limit_is_encoded_once_more_at_the_bitrate_its_duration_allows() throws Exception {
        // Given a 1 s WAV whose Opus at the usual 48 kbit/s is over 6000 bytes
        FitPlan.Convert plan = new FitPlan.Convert(new Decision.Rejected(Reason.UNSUPPORTED_TYPE, "wav"), Kind.AUDIO,
                "audio/wav", List.of("audio/ogg"), 6000);

        // When it is converted
        FfmpegConverter.Converted converted = FFMPEG.convert(MediaFiles.bytes("voice.wav"), plan);

        // Then the second encode, at the bitrate 6000 bytes allow for 1 s, fits
        assertThat(converted.bytes().length).isLessThan(6000);
        assertThat(converted.contentType()).isEqualTo("audio/ogg");
        assertThat(converted.description()).startsWith("Opus Ogg at ").endsWith(" kbit/s to fit the limit");
    }

    @Test
    void a_limit_no_bitrate_can_meet_fails_saying_what_it_would_take() {
        assertThatThrownBy(() -> FFMPEG.convert(MediaFiles.bytes("clip-h265.mp4"), plan(Kind.VIDEO, "video/mp4", 2048)))
                .isInstanceOf(ImageConverter.ConversionFailedException.class)
                .hasMessageStartingWith("the converted H.264 + AAC MP4 reached ")
                .hasMessageContaining("over the 2 KB limit, and fitting its 1.0 s leaves 12 kbit/s, below the 40 kbit/s "
                        + "(24 video, 16 audio) an encode needs");
    }

    @Test
    void fails_with_ffmpegs_own_words_on_bytes_it_cannot_read_and_on_a_result_over_the_limit() {
        assertThatThrownBy(() -> FFMPEG.convert(MediaFiles.bytes("invoice.pdf"), plan(Kind.VIDEO, "video/mp4", 16L << 20)))
                .isInstanceOf(ImageConverter.ConversionFailedException.class)
                .hasMessageStartingWith("ffmpeg could not convert the video/mp4 (");
        assertThatThrownBy(() -> FFMPEG.convert(MediaFiles.bytes("clip-h265.mp4"), plan(Kind.VIDEO, "video/mp4", 2048)))
                .hasMessageContaining("limit");
    }
}
