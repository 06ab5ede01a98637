package io.mediaplatform.validation.conversion.imageio;

import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.TestImages;
import io.mediaplatform.validation.conversion.core.FitPlan;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Conversions of real images in the JVM (no Spring, no storage). */
class ImageConverterTest {

    private static final ImageConverter CONVERTER = new ImageConverter(50_000_000, Duration.ofSeconds(20));
    private static final Decision.Rejected BECAUSE = new Decision.Rejected(Reason.UNSUPPORTED_TYPE, "not allowed");

    @AfterAll
    static void close() {
        CONVERTER.close();
    }

    private static FitPlan.Convert plan(String from, long maxBytes, String... targets) {
        return new FitPlan.Convert(BECAUSE, Kind.IMAGE, from, List.of(targets), maxBytes);
    }

    private static BufferedImage decode(byte[] bytes) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void turns_a_webp_photo_into_a_jpeg_of_the_same_size_in_pixels() throws Exception {
        ImageConverter.Converted converted = CONVERTER.convert(MediaFiles.bytes("photo.webp"),
                plan("image/webp", 5L << 20, "image/jpeg", "image/png"));

        assertThat(converted.contentType()).isEqualTo("image/jpeg");
        assertThat(converted.bytes()).startsWith(0xFF, 0xD8);
        BufferedImage decoded = decode(converted.bytes());
        assertThat(decoded.getWidth()).isEqualTo(320);
        assertThat(decoded.getHeight()).isEqualTo(240);
    }

    @Test
    void turns_bmp_tiff_and_a_still_gif_into_jpeg() throws Exception {
        BufferedImage picture = TestImages.picture(40, 30, false);
        for (String format : List.of("bmp", "tiff", "gif")) {
            ImageConverter.Converted converted = CONVERTER.convert(TestImages.encode(picture, format),
                    plan("image/" + format, 5L << 20, "image/jpeg"));
            assertThat(decode(converted.bytes()).getWidth()).as(format).isEqualTo(40);
            assertThat(converted.contentType()).isEqualTo("image/jpeg");
        }
    }

    @Test
    void writes_png_for_an_image_with_transparency_where_png_is_allowed() throws Exception {
        BufferedImage translucent = new BufferedImage(20, 20, BufferedImage.TYPE_INT_ARGB);
        translucent.setRGB(5, 5, 0x80FF0000);

        ImageConverter.Converted converted = CONVERTER.convert(TestImages.encode(translucent, "png"),
                plan("image/png", 1L << 20, "image/jpeg", "image/png"));

        assertThat(converted.contentType()).isEqualTo("image/png");
        assertThat(decode(converted.bytes()).getColorModel().hasAlpha()).isTrue();
    }

    @Test
    void shrinks_a_noisy_png_until_its_jpeg_is_under_the_limit() throws Exception {
        // Given a 600x600 PNG of noise (about 1 MB) and a 60 KB limit
        byte[] png = TestImages.encode(TestImages.picture(600, 600, true), "png");

        ImageConverter.Converted converted = CONVERTER.convert(png, plan("image/png", 60 << 10, "image/jpeg"));

        assertThat(converted.bytes().length).isLessThanOrEqualTo(60 << 10);
        assertThat(converted.width()).isLessThan(600);
        assertThat(decode(converted.bytes()).getWidth()).isEqualTo(converted.width());
    }

    @Test
    void turns_a_jpeg_upright_by_its_exif_orientation() throws Exception {
        // Given a 64x48 JPEG whose EXIF says it is to be turned 90 degrees clockwise (orientation 6)
        byte[] jpeg = TestImages.jpegWithGps(TestImages.picture(64, 48, false), 6);

        ImageConverter.Converted converted = CONVERTER.convert(jpeg, plan("image/jpeg", 5L << 20, "image/jpeg"));

        BufferedImage decoded = decode(converted.bytes());
        assertThat(decoded.getWidth()).isEqualTo(48);
        assertThat(decoded.getHeight()).isEqualTo(64);
    }

    @Test
    void refuses_a_pixel_bomb_from_its_header_before_decoding() {
        // Given a 40-byte GIF declaring 65535 x 65535 pixels and a tiny PNG declaring 100000 x 100000
        assertThatThrownBy(() -> CONVERTER.convert(TestImages.gifBomb(65535, 65535), plan("image/gif", 5L << 20, "image/jpeg")))
                .isInstanceOf(ImageConverter.ConversionFailedException.class)
                .hasMessage("it declares 65535 x 65535 pixels (4294.8 MP), over the 50.0 MP decoding limit");
        assertThatThrownBy(() -> CONVERTER.convert(TestImages.pngBomb(100_000, 100_000), plan("image/png", 5L << 20, "image/jpeg")))
                .hasMessageContaining("100000 x 100000 pixels");
    }

    @Test
    void refuses_an_animated_gif_and_bytes_no_decoder_reads() throws Exception {
        byte[] animated = animatedGif();
        assertThatThrownBy(() -> CONVERTER.convert(animated, plan("image/gif", 5L << 20, "image/jpeg")))
                .hasMessageContaining("animated GIF");
        assertThatThrownBy(() -> CONVERTER.convert(MediaFiles.bytes("invoice.pdf"), plan("image/webp", 5L << 20, "image/jpeg")))
                .hasMessageContaining("no decoder");
    }

    @Test
    void gives_up_on_a_conversion_that_overruns_its_time_limit() {
        ImageConverter hurried = new ImageConverter(50_000_000, Duration.ofMillis(1));
        byte[] png = TestImages.encode(TestImages.picture(400, 400, true), "png");
        try {
            assertThatThrownBy(() -> hurried.convert(png, plan("image/png", 10 << 10, "image/jpeg")))
                    .hasMessageContaining("longer than the 1 ms limit");
        } finally {
            hurried.close();
        }
    }

    private static byte[] animatedGif() throws IOException {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (int frame = 0; frame < 2; frame++) {
                writer.writeToSequence(new javax.imageio.IIOImage(TestImages.picture(10, 10, frame == 1), null, null), null);
            }
            writer.endWriteSequence();
        }
        writer.dispose();
        return out.toByteArray();
    }
}
