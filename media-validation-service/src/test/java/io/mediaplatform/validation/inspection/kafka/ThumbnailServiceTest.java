package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.TestImages;
import io.mediaplatform.validation.conversion.ffmpeg.FfmpegConverter;
import io.mediaplatform.validation.conversion.core.ThumbnailSize;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Thumbnails of accepted media, made once beside it against the real broker and bucket: each image type, an MP4's
 * first frame (where ffmpeg runs), a JPEG turned by its EXIF orientation, and a pixel bomb refused with its reason.
 */
class ThumbnailServiceTest extends ValidationServiceTestSupport {

    private StoredObject accept(byte[] bytes, String type, MediaKind kind) {
        return acceptAgain(storeBytes(bytes, type), type, kind);
    }

    /** Accepts that stored media for another message (a campaign naming one media). */
    private StoredObject acceptAgain(StoredObject stored, String type, MediaKind kind) {
        MediaReceived received = received(stored, Direction.OUTBOUND, "file", type, null, message(kind, null, null));
        received.getMedia().setChannel(Channel.EMAIL);
        publish(Topics.MEDIA_RECEIVED, "conv-thumb", received);
        assertThat(decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received))).isInstanceOf(MediaAccepted.class);
        return stored;
    }

    private BufferedImage thumbnail(StoredObject stored, String size) {
        String key = ThumbnailSize.parse(size).orElseThrow().key(stored.key());
        await().atMost(Duration.ofSeconds(60)).until(() -> storage.head(key).isPresent());
        try (InputStream in = storage.open(key, null)) {
            return ImageIO.read(new ByteArrayInputStream(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void every_image_type_gets_a_cropped_square_and_two_scaled_renditions() {
        // Given accepted images of each type, 400x300
        BufferedImage picture = TestImages.picture(400, 300, false);
        List<StoredObject> images = List.of(
                accept(TestImages.encode(picture, "jpeg"), "image/jpeg", MediaKind.IMAGE),
                accept(TestImages.encode(picture, "png"), "image/png", MediaKind.IMAGE),
                accept(TestImages.encode(picture, "gif"), "image/gif", MediaKind.IMAGE),
                accept(MediaFiles.bytes("photo.webp"), "image/webp", MediaKind.IMAGE));

        // Then each has its three renditions, the square filled and the others inside their boxes
        for (StoredObject image : images) {
            BufferedImage square = thumbnail(image, "96x96");
            assertThat(square.getWidth()).isEqualTo(96);
            assertThat(square.getHeight()).isEqualTo(96);
            BufferedImage small = thumbnail(image, "320x240");
            assertThat(small.getWidth()).isLessThanOrEqualTo(320);
            assertThat(small.getHeight()).isLessThanOrEqualTo(240);
            assertThat(Math.max(small.getWidth(), small.getHeight() * 4 / 3)).isGreaterThanOrEqualTo(319);
            assertThat(thumbnail(image, "640x480").getWidth()).isLessThanOrEqualTo(640);
        }
        // And the 400x300 JPEG is not enlarged in the largest box
        assertThat(thumbnail(images.getFirst(), "640x480").getWidth()).isEqualTo(400);
    }

    @Test
    void the_copy_auto_fit_makes_of_an_image_gets_thumbnails_of_its_own() {
        // Given a WebP sent by WhatsApp, which takes no WebP: auto-fit sends a JPEG copy
        StoredObject webp = storeBytes(MediaFiles.bytes("photo.webp"), "image/webp");
        MediaReceived received = received(webp, Direction.OUTBOUND, "photo.webp", "image/webp", null,
                message(MediaKind.IMAGE, null, null));
        received.getMedia().setChannel(Channel.WHATSAPP);

        // When validation accepts it with that copy
        publish(Topics.MEDIA_RECEIVED, "conv-thumb", received);
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));

        // Then the copy, fetched by its own id, has its thumbnails too, like the original
        assertThat(accepted.getRendition()).isNotNull();
        StoredObject copy = new StoredObject(accepted.getRendition().getStorage().getBucket(),
                accepted.getRendition().getStorage().getKey(), accepted.getRendition().getSize(), null, null);
        assertThat(thumbnail(copy, "96x96").getWidth()).isEqualTo(96);
        assertThat(thumbnail(webp, "96x96").getWidth()).isEqualTo(96);
    }

    @Test
    void a_jpeg_is_turned_upright_by_its_exif_orientation() {
        // Given a 400x200 JPEG whose EXIF says "rotate 90 degrees" (orientation 6): shown 200x400
        StoredObject rotated = accept(TestImages.jpegWithGps(TestImages.picture(400, 200, false), 6), "image/jpeg",
                MediaKind.IMAGE);

        // Then its renditions are portrait
        BufferedImage small = thumbnail(rotated, "320x240");
        assertThat(small.getWidth()).isEqualTo(120);
        assertThat(small.getHeight()).isEqualTo(240);
    }

    @Test
    void an_mp4_gets_thumbnails_of_its_first_frame() {
        Assumptions.assumeTrue(FfmpegConverter.runs("ffmpeg"), "ffmpeg is not installed here: no MP4 poster frame");
        // Given an accepted MP4
        StoredObject clip = accept(MediaFiles.bytes("clip.mp4"), "video/mp4", MediaKind.VIDEO);

        // Then its first frame is the thumbnail
        assertThat(thumbnail(clip, "96x96").getWidth()).isEqualTo(96);
        assertThat(thumbnail(clip, "320x240").getWidth()).isPositive();
    }

    @Test
    void a_pixel_bomb_gets_no_thumbnail_and_the_reason_is_kept() throws IOException {
        // Given an accepted PNG of a few hundred bytes declaring 20000 x 20000 pixels
        StoredObject bomb = accept(TestImages.pngBomb(20_000, 20_000), "image/png", MediaKind.IMAGE);

        // Then no rendition is made, and the reason names the decoding limit
        String refused = bomb.key() + ThumbnailSize.REFUSED_SUFFIX;
        await().atMost(Duration.ofSeconds(60)).until(() -> storage.head(refused).isPresent());
        try (InputStream in = storage.open(refused, null)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("20000 x 20000 pixels").contains("decoding limit");
        }
        assertThat(storage.head(ThumbnailSize.ALL.getFirst().key(bomb.key()))).isEmpty();
    }

    @Test
    void a_media_accepted_again_for_another_message_is_not_looked_at_again() {
        // Given an image whose thumbnails were made
        byte[] png = TestImages.encode(TestImages.picture(400, 300, false), "png");
        StoredObject campaign = accept(png, "image/png", MediaKind.IMAGE);
        String square = ThumbnailSize.parse("96x96").orElseThrow().key(campaign.key());
        thumbnail(campaign, "96x96");
        // And its square rendition then removed behind the service's back
        storage.delete(square);

        // When the same media is accepted for another message, and then a new image in the same conversation
        acceptAgain(campaign, "image/png", MediaKind.IMAGE);
        StoredObject next = accept(png, "image/png", MediaKind.IMAGE);

        // Then the new image got its thumbnails, after the repeat was taken (one partition, in order)
        thumbnail(next, "96x96");
        // And the repeat was skipped from memory: nothing looked for, or remade, the missing rendition
        assertThat(storage.head(square)).isEmpty();
    }
}
