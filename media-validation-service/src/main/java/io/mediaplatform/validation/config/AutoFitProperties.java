package io.mediaplatform.validation.config;

import io.mediaplatform.validation.policy.core.AutoFit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Auto-fit (ARCHITECTURE §5): outbound media that breaks a channel rule in a way a conversion fixes is converted instead of
 * rejected; outbound JPEGs lose their location metadata. The policy may set both per channel, kind and tenant; these
 * are the defaults where it does not.
 *
 * @param mode          {@code off}, {@code images} or {@code all} ({@code VALIDATION_AUTO_FIT}, default images; all also
 *                      converts video and audio with ffmpeg, and acts as images where ffmpeg is not there, saying so
 *                      at start-up)
 * @param stripLocation remove EXIF/XMP (GPS) from outbound JPEGs that carry a location ({@code VALIDATION_STRIP_LOCATION},
 *                      default true)
 * @param maxPixels     largest image (width x height, read from its header before decoding) that is decoded for a
 *                      conversion ({@code VALIDATION_FIT_MAX_PIXELS}, default 50000000); a bigger one keeps its rejection
 * @param timeout       longest one conversion may take ({@code VALIDATION_FIT_TIMEOUT}, default 10s)
 * @param maxInput      largest original read whole for a conversion ({@code VALIDATION_FIT_MAX_INPUT}, default 64MB)
 * @param ffmpeg        the ffmpeg executable for audio and video ({@code VALIDATION_FFMPEG}, default {@code ffmpeg} on
 *                      the PATH)
 */
@ConfigurationProperties("validation.auto-fit")
public record AutoFitProperties(
        @DefaultValue("images") String mode,
        @DefaultValue("true") boolean stripLocation,
        @DefaultValue("50000000") long maxPixels,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("64MB") DataSize maxInput,
        @DefaultValue("ffmpeg") String ffmpeg) {

    public AutoFitProperties {
        AutoFit.parse(mode);
        if (maxPixels <= 0 || timeout.isNegative() || timeout.isZero() || maxInput.toBytes() <= 0) {
            throw new IllegalArgumentException("validation.auto-fit max-pixels, timeout and max-input must be positive");
        }
    }

    /** The mode as the policy core knows it. */
    public AutoFit autoFit() {
        return AutoFit.parse(mode);
    }
}
