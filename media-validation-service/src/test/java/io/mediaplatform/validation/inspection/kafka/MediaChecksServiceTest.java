package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.inspection.tika.ContentDetector;
import io.mediaplatform.validation.inspection.storage.StoredMediaInspector;
import io.mediaplatform.validation.policy.core.MediaTracks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Structure, codec and startup-order checks through the running service. */
class MediaChecksServiceTest extends ValidationServiceTestSupport {

    @Autowired
    S3AsyncClient s3;
    @Autowired
    S3Presigner presigner;

    @Test
    void judges_media_published_before_startup_with_the_inbox_settings_published_before_it() {
        // Given (before the service started) an inbox with receive off, then a customer's PNG for that inbox
        // When the service starts, it reads the settings topic to its end before judging the PNG
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, StartupRaceFixture.media));

        // Then the PNG is refused with the inbox's message
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.MEDIA_DISABLED);
        assertThat(rejected.getCustomerMessage()).isEqualTo("No attachments at startup either.");
    }

    @Test
    void rejects_an_h265_mp4_for_whatsapp_as_CODEC_UNSUPPORTED_and_a_truncated_png_as_corrupt() {
        // Given an H.265 MP4 sent as a WhatsApp video and a PNG cut short sent as an image
        MediaReceived h265 = received(store("clip-h265.mp4", "video/mp4"), Direction.OUTBOUND, "clip.mp4", "video/mp4", null,
                message(MediaKind.VIDEO, "a clip", null));
        MediaReceived truncated = received(store("truncated.png", "image/png"), Direction.OUTBOUND, "photo.png", "image/png",
                null, message(MediaKind.IMAGE, null, null));

        // When
        publish(Topics.MEDIA_RECEIVED, "conv-h265", h265);
        publish(Topics.MEDIA_RECEIVED, "conv-truncated", truncated);

        // Then
        MediaRejected codec = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, h265));
        assertThat(codec.getReason()).isEqualTo(RejectionReason.CODEC_UNSUPPORTED);
        assertThat(codec.getReasonMessage()).contains("H.265");
        MediaRejected corrupt = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, truncated));
        assertThat(corrupt.getReason()).isEqualTo(RejectionReason.UNSUPPORTED_TYPE);
        assertThat(corrupt.getReasonMessage()).startsWith("truncated or corrupt PNG");
    }

    @Test
    void reads_a_bounded_number_of_bytes_of_a_large_mp4_whose_moov_is_at_the_end() {
        // Given a 3 MB H.264 + AAC MP4 in S3: the real clip with 3 MB of padding between its mdat and its moov (small
        // enough for the test clamd to scan it whole, which the service does after the policy accepts it)
        byte[] bytes = paddedClip(3 << 20);
        StoredObject stored = storeBytes(bytes, "video/mp4");
        // And an inspector reading through an ObjectStorage that counts the bytes S3 sent back (the embedded S3
        // server cannot be instrumented, so the count is taken at the ObjectStorage boundary)
        CountingStorage counting = new CountingStorage(s3, presigner, storage.bucket());
        StoredMediaInspector inspector = new StoredMediaInspector(counting, new ContentDetector(), 65536, 8 << 20);

        // When it is inspected and its tracks read
        StoredMediaInspector.Inspection inspection = inspector.inspect(stored.key(), stored.size());
        MediaTracks tracks = inspection.probe().tracks(inspection.detectedType()).orElseThrow();

        // Then the codecs are found having read the head, a few box headers and the moov: under 80 KB of 3 MB
        assertThat(inspection.detectedType()).isEqualTo("video/mp4");
        assertThat(tracks.tracks()).extracting(MediaTracks.Track::codec).containsExactly("H.264", "AAC");
        assertThat(counting.bytesRead.get()).isLessThan(80 * 1024).isGreaterThan(0);
        assertThat(counting.whole.get()).as("whole-object reads").isZero();

        // And the service accepts the same object as a WhatsApp video
        MediaReceived received = received(stored, Direction.OUTBOUND, "big.mp4", "video/mp4", null,
                message(MediaKind.VIDEO, null, null));
        publish(Topics.MEDIA_RECEIVED, "conv-big", received);
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));
        assertThat(accepted.getKind()).isEqualTo(MediaKind.VIDEO);
    }

    /** The committed clip with a {@code free} box of {@code padding} bytes inserted before its moov. */
    static byte[] paddedClip(int padding) {
        byte[] clip = MediaFiles.bytes("clip.mp4");
        int moovAt = 0;
        while (!new String(clip, moovAt + 4, 4, StandardCharsets.ISO_8859_1).equals("moov")) {
            moovAt += ByteBuffer.wrap(clip, moovAt, 4).getInt();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(clip.length + padding);
        out.write(clip, 0, moovAt);
        out.writeBytes(ByteBuffer.allocate(8).putInt(padding).put("free".getBytes(StandardCharsets.ISO_8859_1)).array());
        out.writeBytes(new byte[padding - 8]);
        out.write(clip, moovAt, clip.length - moovAt);
        return out.toByteArray();
    }

    /** The real ObjectStorage adapter, counting what its reads return. */
    static final class CountingStorage extends ObjectStorage {
        final AtomicLong bytesRead = new AtomicLong();
        final AtomicLong whole = new AtomicLong();

        CountingStorage(S3AsyncClient s3, S3Presigner presigner, String bucket) {
            super(s3, presigner, bucket, 5 << 20);
        }

        @Override
        public byte[] readRange(String key, long offset, long length) {
            byte[] bytes = super.readRange(key, offset, length);
            bytesRead.addAndGet(bytes.length);
            return bytes;
        }

        @Override
        public ResponseInputStream<GetObjectResponse> open(String key, String range) {
            whole.incrementAndGet();
            return super.open(key, range);
        }
    }
}
