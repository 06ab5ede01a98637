package io.mediaplatform.validation.inspection.core;

import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.TestImages;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JpegMetadataTest {

    private static final BufferedImage PICTURE = TestImages.picture(64, 48, false);

    @Test
    void finds_the_gps_ifd_and_the_orientation_in_a_phones_exif_segment() {
        // Given a JPEG with EXIF naming orientation 6 and a GPS IFD
        byte[] jpeg = TestImages.jpegWithGps(PICTURE, 6);

        // When / Then
        assertThat(JpegMetadata.read(jpeg)).isEqualTo(new JpegMetadata.Found(true, false, true, 6));
        // And a plain JPEG written by javax.imageio carries none
        assertThat(JpegMetadata.read(MediaFiles.bytes("photo.jpg")).location()).isFalse();
    }

    @Test
    void drops_the_exif_segment_and_keeps_the_image_data_byte_for_byte() throws IOException {
        // Given a JPEG with GPS EXIF and orientation 1
        byte[] jpeg = TestImages.jpegWithGps(PICTURE, 1);

        // When its metadata is removed
        byte[] stripped = JpegMetadata.withoutMetadata(jpeg, 1);

        // Then no location is left, the bytes from the start of scan on are the same, and it still decodes as before
        assertThat(JpegMetadata.read(stripped)).isEqualTo(new JpegMetadata.Found(false, false, false, 1));
        assertThat(fromStartOfScan(stripped)).isEqualTo(fromStartOfScan(jpeg));
        assertThat(new String(stripped, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Exif");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(stripped));
        assertThat(decoded.getWidth()).isEqualTo(64);
        assertThat(decoded.getHeight()).isEqualTo(48);
    }

    @Test
    void keeps_an_orientation_other_than_1_in_a_segment_of_that_tag_alone() {
        // Given a JPEG shot on its side (orientation 6) with GPS
        byte[] jpeg = TestImages.jpegWithGps(PICTURE, 6);

        // When
        byte[] stripped = JpegMetadata.withoutMetadata(jpeg, JpegMetadata.read(jpeg).orientation());

        // Then the picture still shows upright (orientation 6) and carries no location
        assertThat(JpegMetadata.read(stripped)).isEqualTo(new JpegMetadata.Found(true, false, false, 6));
    }

    @Test
    void refuses_bytes_that_are_no_jpeg_or_whose_segments_run_past_the_end() {
        assertThatThrownBy(() -> JpegMetadata.withoutMetadata(MediaFiles.bytes("photo.png"), 1))
                .hasMessageContaining("not a JPEG");
        byte[] jpeg = TestImages.jpegWithGps(PICTURE, 1);
        assertThatThrownBy(() -> JpegMetadata.withoutMetadata(Arrays.copyOf(jpeg, 40), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] fromStartOfScan(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                return Arrays.copyOfRange(jpeg, i, jpeg.length);
            }
        }
        throw new AssertionError("no start of scan");
    }
}
