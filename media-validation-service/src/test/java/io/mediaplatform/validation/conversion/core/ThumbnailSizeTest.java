package io.mediaplatform.validation.conversion.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThumbnailSizeTest {

    @Test
    void the_square_is_cropped_from_the_middle_and_the_boxes_fit_without_enlarging() {
        ThumbnailSize square = ThumbnailSize.parse("96x96").orElseThrow();
        assertThat(square.draw(400, 200)).isEqualTo(new ThumbnailSize.Draw(100, 0, 200, 200, 96, 96));
        assertThat(ThumbnailSize.parse("320x240").orElseThrow().draw(200, 400))
                .isEqualTo(new ThumbnailSize.Draw(0, 0, 200, 400, 120, 240));
        assertThat(ThumbnailSize.parse("640x480").orElseThrow().draw(200, 100))
                .isEqualTo(new ThumbnailSize.Draw(0, 0, 200, 100, 200, 100));
        assertThat(ThumbnailSize.parse("100x100")).isEmpty();
        assertThat(square.key("tenants/t/media/m")).isEqualTo("tenants/t/media/m.thumb-96x96.jpg");
    }
}
