package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.TestImages;
import io.mediaplatform.validation.conversion.storage.AutoFitter;
import io.mediaplatform.validation.conversion.ffmpeg.FfmpegConverter;
import io.mediaplatform.validation.conversion.imageio.ImageConverter;
import io.mediaplatform.validation.conversion.core.FitPlan;
import io.mediaplatform.validation.conversion.core.FitPlanner;
import io.mediaplatform.validation.inspection.core.ByteSource;
import io.mediaplatform.validation.inspection.core.BytesProbe;
import io.mediaplatform.validation.inspection.core.IsoBmff;
import io.mediaplatform.validation.policy.core.AutoFit;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.MediaChannel;
import io.mediaplatform.validation.policy.core.MediaDirection;
import io.mediaplatform.validation.policy.core.ValidationRequest;
import io.mediaplatform.validation.policy.core.Validator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Auto-fit through the running service (ARCHITECTURE §5): real images stored in S3, media.received published, and the
 * rendition the accepted event names read back from the bucket and decoded.
 */
class AutoFitServiceTest extends ValidationServiceTestSupport {

    @Autowired
    Validator validator;
    @Autowired
    ImageConverter imageConverter;
    @Autowired
    FitPlanner fitPlanner;
    @Autowired
    AutoFitter autoFitter;

    @Test
    void accepts_a_webp_photo_for_whatsapp_as_a_jpeg_rendition_and_keeps_the_original() throws IOException {
        // Given a real WebP photo sent as a WhatsApp image (WhatsApp takes JPEG and PNG images only)
        byte[] webp = MediaFiles.bytes("photo.webp");
        StoredObject stored = storeBytes(webp, "image/webp");
        MediaReceived received = received(stored, Direction.OUTBOUND, "holiday.webp", "image/webp", null,
                message(MediaKind.IMAGE, "From the beach", null));

        // When
        publish(Topics.MEDIA_RECEIVED, "conv-webp", received);

        // Then it is accepted, and the event names a JPEG rendition stored as a new media of the tenant
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));
        MediaRendition rendition = accepted.getRendition();
        assertThat(rendition).isNotNull();
        assertThat(rendition.getContentType()).isEqualTo("image/jpeg");
        assertThat(rendition.getFromContentType()).isEqualTo("image/webp");
        assertThat(rendition.getFromSize()).isEqualTo(webp.length);
        assertThat(rendition.getStorage().getKey()).isEqualTo("tenants/tenant-a/media/" + rendition.getMediaId());
        assertThat(rendition.getMediaId()).isNotEqualTo(received.getMedia().getMediaId());
        assertThat(rendition.getConversion()).contains("image/webp is not allowed for WHATSAPP image")
                .contains("converted to image/jpeg (320x240)");
        assertThat(accepted.getMessage().getCaption()).isEqualTo("From the beach");
        // And the stored bytes decode as a 320x240 JPEG, with the metadata ingest serves media by
        byte[] bytes = read(rendition.getStorage().getKey());
        assertThat(bytes).hasSize((int) rendition.getSize());
        assertThat(formatOf(bytes)).isEqualTo("jpeg");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(240);
        HeadObjectResponse head = storage.head(rendition.getStorage().getKey()).orElseThrow();
        assertThat(head.contentType()).isEqualTo("image/jpeg");
        assertThat(head.metadata()).containsEntry("tenant", "tenant-a").containsEntry("declared-type", "image%2Fjpeg")
                .containsEntry("file-name", "holiday.jpg").containsEntry("sha256", rendition.getSha256())
                .containsEntry("rendition-of", received.getMedia().getMediaId());
        // And the original is still there, unchanged
        assertThat(read(stored.key())).isEqualTo(webp);
    }

    @Test
    void turns_a_png_over_whatsapps_5_MB_into_a_jpeg_under_it() throws IOException {
        // Given a real PNG of over 5 MB (1400x1400 pixels of noise, which PNG cannot shrink)
        byte[] png = TestImages.encode(TestImages.picture(1400, 1400, true), "png");
        assertThat(png.length).isGreaterThan(5 << 20);

        // When it is sent as a WhatsApp image
        MediaReceived received = sendImage(storeBytes(png, "image/png"), "scan.png", "image/png");

        // Then it is accepted as a JPEG rendition under 5 MB
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));
        MediaRendition rendition = accepted.getRendition();
        assertThat(rendition.getContentType()).isEqualTo("image/jpeg");
        assertThat(rendition.getSize()).isLessThanOrEqualTo(5L << 20);
        assertThat(rendition.getConversion()).contains("over the 5 MB limit for WHATSAPP image");
        byte[] bytes = read(rendition.getStorage().getKey());
        assertThat(formatOf(bytes)).isEqualTo("jpeg");
        assertThat(bytes.length).isLessThanOrEqualTo(5 << 20);
    }

    @Test
    void sends_a_jpeg_with_gps_exif_as_a_copy_without_any_exif_the_image_data_unchanged() throws IOException {
        // Given a JPEG with a GPS EXIF segment (as a phone writes it) that otherwise passes WhatsApp's rules
        byte[] jpeg = TestImages.jpegWithGps(TestImages.picture(64, 48, false), 1);
        assertThat(appSegments(jpeg)).contains("APP1 Exif");
        StoredObject stored = storeBytes(jpeg, "image/jpeg");

        // When it is sent as a WhatsApp image
        MediaReceived received = sendImage(stored, "IMG_0001.jpg", "image/jpeg");

        // Then the accepted event names a rendition whose bytes have no EXIF (so no GPS), losslessly
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));
        MediaRendition rendition = accepted.getRendition();
        assertThat(rendition.getContentType()).isEqualTo("image/jpeg");
        assertThat(rendition.getConversion()).startsWith("location metadata removed");
        byte[] delivered = read(rendition.getStorage().getKey());
        assertThat(appSegments(delivered)).doesNotContain("APP1 Exif");
        assertThat(delivered.length).isLessThan(jpeg.length);
        assertThat(last(delivered, 200)).isEqualTo(last(jpeg, 200));
        // And the original keeps its EXIF (it is never changed)
        assertThat(read(stored.key())).isEqualTo(jpeg);
    }

    @Test
    void refuses_a_pixel_bomb_with_the_original_reason_and_why_it_was_not_converted() {
        // Given a 40-byte GIF declaring 65535 x 65535 pixels, sent as a WhatsApp image (GIF not allowed)
        byte[] bomb = TestImages.gifBomb(65535, 65535);

        // When
        MediaReceived received = sendImage(storeBytes(bomb, "image/gif"), "bomb.gif", "image/gif");

        // Then it is rejected as today, and the reason says why auto-fit did not convert it
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, received));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.UNSUPPORTED_TYPE);
        assertThat(rejected.getReasonMessage()).startsWith("image/gif is not allowed for WHATSAPP image")
                .contains("auto-fit could not fix it: it declares 65535 x 65535 pixels (4294.8 MP), over the 50.0 MP decoding limit");
    }

    @Test
    void sends_a_jpeg_without_location_as_it_is() {
        // Given a plain JPEG (no EXIF)
        StoredObject stored = store("photo.jpg", "image/jpeg");

        // When
        MediaReceived received = sendImage(stored, "photo.jpg", "image/jpeg");

        // Then there is no rendition: the original is sent
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));
        assertThat(accepted.getRendition()).isNull();
    }

    @Test
    void with_auto_fit_all_and_ffmpeg_an_h265_video_is_stored_as_an_h264_aac_mp4_rendition() throws IOException {
        // Given ffmpeg (skipped without it), a planner and fitter for auto-fit all over this context's storage and rules
        FfmpegConverter ffmpeg = new FfmpegConverter("ffmpeg", Duration.ofSeconds(60), true);
        assumeTrue(ffmpeg.available(), "ffmpeg is not installed");
        FitPlanner planner = new FitPlanner(validator, AutoFit.ALL, true, true);
        AutoFitter fitter = new AutoFitter(storage, validator, imageConverter, ffmpeg, 64 << 20, Clock.systemUTC());
        // And an H.265 MP4 stored and announced as a WhatsApp video (H.264 + AAC only)
        StoredObject stored = store("clip-h265.mp4", "video/mp4");
        MediaReceived received = received(stored, Direction.OUTBOUND, "clip.mp4", "video/mp4", null,
                message(MediaKind.VIDEO, "a clip", null));
        ValidationRequest request = new ValidationRequest("tenant-a", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND,
                Kind.VIDEO, "video/mp4", "clip.mp4", "video/mp4", stored.size(), null,
                new BytesProbe(ByteSource.of(MediaFiles.bytes("clip-h265.mp4")), 8 << 20));
        Decision rejected = validator.decide(request);
        assertThat(rejected).isInstanceOf(Decision.Rejected.class);

        // When the plan is carried out
        AutoFitter.Fitted fitted = fitter.fit(planner.plan(request, rejected), received, request);

        // Then the video is accepted, and the stored rendition is an MP4 whose tracks the codec check takes
        assertThat(fitted.decision()).isEqualTo(new Decision.Accepted(Kind.VIDEO, "video/mp4"));
        MediaRendition rendition = fitted.rendition();
        assertThat(rendition.getContentType()).isEqualTo("video/mp4");
        assertThat(rendition.getConversion()).contains("Video codec H.265 is not supported")
                .contains("converted to video/mp4 (H.264 + AAC MP4)");
        byte[] bytes = read(rendition.getStorage().getKey());
        assertThat(IsoBmff.tracks(ByteSource.of(bytes), 8 << 20).tracks()).extracting(track -> track.codec())
                .containsExactly("H.264", "AAC");
        assertThat(read(stored.key())).isEqualTo(MediaFiles.bytes("clip-h265.mp4"));
    }

    @Test
    void by_default_where_ffmpeg_runs_an_h265_video_is_sent_as_an_h264_aac_rendition() throws IOException {
        // Given ffmpeg here (skipped without it) and a tenant on the service's default auto-fit (auto: all with ffmpeg)
        assumeTrue(FfmpegConverter.runs("ffmpeg"), "ffmpeg is not installed");
        StoredObject stored = store("clip-h265.mp4", "video/mp4");
        MediaReceived received = MediaReceived.newBuilder(received(stored, Direction.OUTBOUND, "clip.mp4", "video/mp4",
                null, message(MediaKind.VIDEO, "a clip", null))).setTenantId(AV_TENANT).build();

        // When its H.265 MP4 is sent as a WhatsApp video (H.264 + AAC only)
        publish(Topics.MEDIA_RECEIVED, "conv-av-h265", received);

        // Then it is accepted with an H.264 + AAC MP4 rendition, the original unchanged
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));
        MediaRendition rendition = accepted.getRendition();
        assertThat(rendition.getContentType()).isEqualTo("video/mp4");
        assertThat(IsoBmff.tracks(ByteSource.of(read(rendition.getStorage().getKey())), 8 << 20).tracks())
                .extracting(track -> track.codec()).containsExactly("H.264", "AAC");
        assertThat(read(stored.key())).isEqualTo(MediaFiles.bytes("clip-h265.mp4"));
    }

    @Test
    void converting_the_same_media_again_for_the_same_rule_writes_the_same_rendition_object() throws IOException {
        // Given a WebP photo announced for WhatsApp, and the plan the service makes for it
        byte[] webp = MediaFiles.bytes("photo.webp");
        StoredObject stored = storeBytes(webp, "image/webp");
        MediaReceived received = received(stored, Direction.OUTBOUND, "holiday.webp", "image/webp", null,
                message(MediaKind.IMAGE, null, null));
        ValidationRequest request = new ValidationRequest(TENANT, MediaChannel.WHATSAPP, MediaDirection.OUTBOUND,
                Kind.IMAGE, "image/webp", "holiday.webp", "image/webp", stored.size(), null,
                new BytesProbe(ByteSource.of(webp), 8 << 20));
        FitPlan plan = fitPlanner.plan(request, validator.decide(request));

        // When it is converted twice (a record redelivered after a crash before its commit)
        MediaRendition first = autoFitter.fit(plan, received, request).rendition();
        MediaRendition again = autoFitter.fit(plan, received, request).rendition();

        // Then both name the same media id and object, holding the bytes the second names
        assertThat(again.getMediaId()).isEqualTo(first.getMediaId());
        assertThat(again.getStorage().getKey()).isEqualTo(first.getStorage().getKey());
        assertThat(read(again.getStorage().getKey())).hasSize((int) again.getSize());
        assertThat(again.getSha256()).isEqualTo(first.getSha256());
        // And the same media for another channel's rule is another rendition
        MediaReceived forMms = MediaReceived.newBuilder(received).setMedia(io.mediaplatform.events.MediaRef
                .newBuilder(received.getMedia()).setChannel(io.mediaplatform.events.Channel.MMS).build()).build();
        assertThat(autoFitter.fit(plan, forMms, request).rendition().getMediaId()).isNotEqualTo(first.getMediaId());
    }

    /** Publishes the stored media as an outbound WhatsApp image message without caption. */
    private MediaReceived sendImage(StoredObject stored, String fileName, String contentType) {
        MediaReceived received = received(stored, Direction.OUTBOUND, fileName, contentType, null,
                message(MediaKind.IMAGE, null, null));
        publish(Topics.MEDIA_RECEIVED, "conv-" + fileName, received);
        return received;
    }

    private byte[] read(String key) throws IOException {
        try (InputStream in = storage.open(key, null)) {
            return in.readAllBytes();
        }
    }

    private static byte[] last(byte[] bytes, int count) {
        return java.util.Arrays.copyOfRange(bytes, bytes.length - count, bytes.length);
    }

    private static String formatOf(byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            return reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The APPn segments of a JPEG as javax.imageio's JPEG metadata tree names them ("APP1 Exif", "APP0 JFIF"). */
    private static List<String> appSegments(byte[] jpeg) throws IOException {
        List<String> segments = new ArrayList<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
            reader.setInput(in);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
            collect(root, segments);
            reader.dispose();
        }
        return segments;
    }

    private static void collect(IIOMetadataNode node, List<String> segments) {
        if (node.getNodeName().equals("app0JFIF")) {
            segments.add("APP0 JFIF");
        } else if (node.getNodeName().equals("unknown")) {
            int marker = Integer.parseInt(node.getAttribute("MarkerTag"));
            byte[] data = (byte[]) node.getUserObject();
            String start = data == null ? "" : new String(data, 0, Math.min(4, data.length), java.nio.charset.StandardCharsets.ISO_8859_1);
            segments.add("APP" + (marker - 0xE0) + " " + start);
        }
        for (int i = 0; i < node.getLength(); i++) {
            collect((IIOMetadataNode) node.item(i), segments);
        }
    }
}
