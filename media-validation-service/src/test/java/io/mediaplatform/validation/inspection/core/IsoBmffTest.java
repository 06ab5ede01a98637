package io.mediaplatform.validation.inspection.core;

import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.policy.core.MediaTracks;
import io.mediaplatform.validation.policy.core.MediaTracks.Track;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Track and codec discovery in the committed ffmpeg-made ISO base media files, with counted reads. */
class IsoBmffTest {

    private static MediaTracks tracks(String file) {
        return IsoBmff.tracks(ByteSource.of(MediaFiles.bytes(file)), 1 << 20);
    }

    private static List<String> codecs(String file) {
        return tracks(file).tracks().stream().map(t -> t.type() + ":" + t.codec()).toList();
    }

    @Test
    void finds_h264_video_and_aac_audio_with_the_moov_at_the_end_or_at_the_start() {
        assertThat(codecs("clip.mp4")).containsExactly("VIDEO:H.264", "AUDIO:AAC");
        assertThat(codecs("clip-faststart.mp4")).containsExactly("VIDEO:H.264", "AUDIO:AAC");
        assertThat(codecs("clip.3gp")).containsExactly("VIDEO:H.264", "AUDIO:AAC");
    }

    @Test
    void names_h265_vp9_and_mp3_in_mp4_and_aac_in_m4a() {
        assertThat(codecs("clip-h265.mp4")).containsExactly("VIDEO:H.265", "AUDIO:AAC");
        assertThat(codecs("clip-vp9.mp4")).containsExactly("VIDEO:VP9", "AUDIO:AAC");
        assertThat(codecs("clip-mp3-audio.mp4")).containsExactly("VIDEO:H.264", "AUDIO:MP3");
        assertThat(codecs("voice.m4a")).containsExactly("AUDIO:AAC");
        assertThat(codecs("movie.mov")).containsExactly("VIDEO:H.264", "AUDIO:AAC");
    }

    @Test
    void reports_a_file_without_moov() {
        // Given an MP4 cut before its moov box (moov at the end)
        byte[] clip = MediaFiles.bytes("clip.mp4");
        byte[] cut = java.util.Arrays.copyOf(clip, clip.length - 200);

        MediaTracks tracks = IsoBmff.tracks(ByteSource.of(cut), 1 << 20);

        assertThat(tracks.problem()).contains("moov");
        assertThat(tracks.tracks()).isEmpty();
    }

    @Test
    void reads_box_headers_and_the_moov_only_skipping_a_large_mdat() {
        // Given the clip with 8 MB of padding inserted before its moov (a free box after mdat)
        byte[] clip = MediaFiles.bytes("clip.mp4");
        int moovAt = moovOffset(clip);
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        big.write(clip, 0, moovAt);
        int padding = 8 << 20;
        big.writeBytes(ByteBuffer.allocate(8).putInt(padding).put("free".getBytes()).array());
        big.writeBytes(new byte[padding - 8]);
        big.write(clip, moovAt, clip.length - moovAt);
        byte[] bytes = big.toByteArray();
        List<long[]> reads = new ArrayList<>();
        ByteSource counted = new ByteSource() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public byte[] read(long offset, int length) {
                reads.add(new long[]{offset, length});
                return ByteSource.of(bytes).read(offset, length);
            }
        };

        // When its tracks are read
        MediaTracks tracks = IsoBmff.tracks(counted, 1 << 20);

        // Then the codecs are found from a few header reads plus the moov, far less than the file
        assertThat(tracks.tracks()).extracting(Track::codec).containsExactly("H.264", "AAC");
        long total = reads.stream().mapToLong(r -> Math.min(r[1], bytes.length - r[0])).sum();
        assertThat(total).isLessThan(4096);
        assertThat(reads).hasSizeLessThanOrEqualTo(6);
    }

    private static int moovOffset(byte[] b) {
        int offset = 0;
        while (offset + 8 <= b.length) {
            int size = ByteBuffer.wrap(b, offset, 4).getInt();
            if (new String(b, offset + 4, 4).equals("moov")) {
                return offset;
            }
            offset += size;
        }
        throw new IllegalStateException("no moov");
    }
}
