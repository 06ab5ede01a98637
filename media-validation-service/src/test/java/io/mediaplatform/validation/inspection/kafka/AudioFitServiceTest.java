package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.conversion.ffmpeg.FfmpegConverter;
import io.mediaplatform.validation.inspection.tika.ContentDetector;
import io.mediaplatform.validation.inspection.core.ByteSource;
import io.mediaplatform.validation.inspection.core.IsoBmff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Audio auto-fit through the running service (ARCHITECTURE §5), for a tenant on the default (all where ffmpeg runs): real
 * audio files made with ffmpeg, and the rendition the accepted event names read back and checked for what the
 * channel takes.
 */
class AudioFitServiceTest extends ValidationServiceTestSupport {

    @BeforeAll
    static void ffmpegIsInstalled() {
        assumeTrue(FfmpegConverter.runs("ffmpeg"), "ffmpeg is not installed");
    }

    @Test
    void a_wav_and_a_webm_opus_voice_note_reach_whatsapp_as_opus_in_ogg() throws IOException {
        for (String[] file : List.of(new String[] {"voice.wav", "audio/wav"}, new String[] {"voice.webm", "audio/webm"})) {
            // Given a WAV / a WebM with Opus sent as a WhatsApp audio (WhatsApp takes AAC, AMR, MP3, MP4, Ogg)
            MediaRendition rendition = renditionOf(file[0], file[1], Channel.WHATSAPP, MediaKind.AUDIO);

            // Then the rendition is Opus in Ogg, what WhatsApp plays as a voice note
            byte[] bytes = read(rendition);
            assertThat(rendition.getContentType()).as(file[0]).isEqualTo("audio/ogg");
            assertThat(new ContentDetector().detect(bytes)).as(file[0]).isEqualTo("audio/ogg");
            assertThat(new String(bytes, 0, 64, StandardCharsets.ISO_8859_1)).as(file[0]).contains("OpusHead");
            assertThat(rendition.getConversion()).as(file[0]).contains("is not allowed for WHATSAPP audio")
                    .contains("converted to audio/ogg (Opus Ogg)");
        }
    }

    @Test
    void mp3_in_mp4_audio_reaches_whatsapp_as_aac_in_mp4() throws IOException {
        // Given an M4A whose audio is MP3 (WhatsApp's audio in MP4 is AAC)
        MediaRendition rendition = renditionOf("voice-mp3.m4a", "audio/mp4", Channel.WHATSAPP, MediaKind.AUDIO);

        // Then the rendition is AAC in MP4
        assertThat(rendition.getContentType()).isEqualTo("audio/mp4");
        assertThat(IsoBmff.tracks(ByteSource.of(read(rendition)), 8 << 20).tracks()).extracting(track -> track.codec())
                .containsExactly("AAC");
        assertThat(rendition.getConversion()).contains("Audio codec MP3").contains("converted to audio/mp4 (AAC MP4)");
    }

    @Test
    void h264_with_opus_audio_in_mp4_reaches_whatsapp_as_h264_with_aac() throws IOException {
        MediaRendition rendition = renditionOf("clip-opus-audio.mp4", "video/mp4", Channel.WHATSAPP, MediaKind.VIDEO);

        assertThat(rendition.getContentType()).isEqualTo("video/mp4");
        assertThat(IsoBmff.tracks(ByteSource.of(read(rendition)), 8 << 20).tracks()).extracting(track -> track.codec())
                .containsExactly("H.264", "AAC");
    }

    @Test
    void amr_reaches_rcs_as_aac_in_mp4_and_wav_reaches_mms_as_mp3() throws IOException {
        // Given an AMR voice note for RCS (MP3 or MP4 audio) and a WAV for MMS (MP3 or AMR)
        MediaRendition rcs = renditionOf("voice.amr", "audio/amr", Channel.RCS, MediaKind.AUDIO);
        MediaRendition mms = renditionOf("voice.wav", "audio/wav", Channel.MMS, MediaKind.AUDIO);

        // Then RCS gets AAC in MP4, MMS an MP3
        assertThat(rcs.getContentType()).isEqualTo("audio/mp4");
        assertThat(IsoBmff.tracks(ByteSource.of(read(rcs)), 8 << 20).tracks()).extracting(track -> track.codec())
                .containsExactly("AAC");
        assertThat(mms.getContentType()).isEqualTo("audio/mpeg");
        assertThat(new ContentDetector().detect(read(mms))).isEqualTo("audio/mpeg");
    }

    /** Stores the file, publishes it as the tenant-av's outbound media on that channel, and awaits its rendition. */
    private MediaRendition renditionOf(String file, String declared, Channel channel, MediaKind kind) {
        StoredObject stored = store(file, declared);
        MediaReceived plain = received(stored, Direction.OUTBOUND, file, declared, null, message(kind, null, null));
        MediaReceived received = MediaReceived.newBuilder(plain).setTenantId(AV_TENANT)
                .setMedia(io.mediaplatform.events.MediaRef.newBuilder(plain.getMedia()).setChannel(channel).build()).build();
        publish(Topics.MEDIA_RECEIVED, "conv-" + file, received);
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));
        assertThat(accepted.getRendition()).as(file + " has a rendition").isNotNull();
        assertThat(readKey(stored.key())).as("the original " + file + " is kept").isEqualTo(MediaFiles.bytes(file));
        return accepted.getRendition();
    }

    private byte[] read(MediaRendition rendition) throws IOException {
        byte[] bytes = readKey(rendition.getStorage().getKey());
        assertThat(bytes).hasSize((int) rendition.getSize());
        return bytes;
    }

    private byte[] readKey(String key) {
        try (InputStream in = storage.open(key, null)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
