package io.mediaplatform.validation.config;

import io.mediaplatform.validation.policy.core.AutoFit;
import io.mediaplatform.validation.policy.core.MediaChannel;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The auto-fit mode as configured: auto follows what is installed; an explicit mode is kept. */
class AutoFitPropertiesTest {

    private static AutoFitProperties with(String mode, String tenants) {
        return new AutoFitProperties(mode, tenants, true, 50_000_000, Duration.ofSeconds(10), DataSize.ofMegabytes(64), "ffmpeg");
    }

    @Test
    void auto_is_all_where_ffmpeg_runs_and_images_where_it_does_not() {
        assertThat(with("auto", "").autoFit(true)).isEqualTo(AutoFit.ALL);
        assertThat(with("auto", "").autoFit(false)).isEqualTo(AutoFit.IMAGES);
        assertThat(with("", "").automatic()).isTrue();
        assertThat(with("auto", "").mayUseFfmpeg()).isTrue();
    }

    @Test
    void an_explicit_mode_stands_and_looks_for_ffmpeg_only_when_some_tenant_may_use_it() {
        assertThat(with("off", "").autoFit(true)).isEqualTo(AutoFit.OFF);
        assertThat(with("images", "").mayUseFfmpeg()).isFalse();
        assertThat(with("images", "acme:WHATSAPP=all").mayUseFfmpeg()).isTrue();
        assertThat(with("images", "acme:WHATSAPP=all").defaults(true).modeFor("acme", MediaChannel.WHATSAPP))
                .isEqualTo(AutoFit.ALL);
        assertThatThrownBy(() -> with("sometimes", "")).hasMessageContaining("auto-fit must be off, images or all");
        assertThatThrownBy(() -> with("auto", "acme")).hasMessageContaining("'acme' is not <tenantId>=<mode>");
    }
}
