package io.mediaplatform.validation.config;

import io.mediaplatform.validation.conversion.core.FitDefaults;
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
 * @param mode          {@code off}, {@code images}, {@code all} or {@code auto} ({@code VALIDATION_AUTO_FIT}, default
 *                      auto: all where ffmpeg runs, else images; all also converts video and audio with ffmpeg, and
 *                      acts as images where ffmpeg is not there; start-up says which and why)
 * @param tenants       per tenant or tenant and channel, the mode instead ({@code VALIDATION_AUTO_FIT_TENANTS},
 *                      {@code acme=off;globex:WHATSAPP=images})
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
        @DefaultValue("auto") String mode,
        @DefaultValue("") String tenants,
        @DefaultValue("true") boolean stripLocation,
        @DefaultValue("50000000") long maxPixels,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("64MB") DataSize maxInput,
        @DefaultValue("ffmpeg") String ffmpeg) {

    public AutoFitProperties {
        if (!automatic(mode)) {
            AutoFit.parse(mode);
        }
        FitDefaults.parseTenants(tenants);
        if (maxPixels <= 0 || timeout.isNegative() || timeout.isZero() || maxInput.toBytes() <= 0) {
            throw new IllegalArgumentException("validation.auto-fit max-pixels, timeout and max-input must be positive");
        }
    }

    /** Whether the mode is left to what is installed ({@code auto}, or blank). */
    public boolean automatic() {
        return automatic(mode);
    }

    private static boolean automatic(String mode) {
        return mode == null || mode.isBlank() || mode.trim().equalsIgnoreCase("auto");
    }

    /** The mode as the policy core knows it: {@code auto} is all where ffmpeg runs, else images. */
    public AutoFit autoFit(boolean ffmpegRuns) {
        return automatic() ? (ffmpegRuns ? AutoFit.ALL : AutoFit.IMAGES) : AutoFit.parse(mode);
    }

    /** Whether ffmpeg may be used by some tenant's media (worth a look at start-up). */
    public boolean mayUseFfmpeg() {
        return automatic() || new FitDefaults(AutoFit.parse(mode), FitDefaults.parseTenants(tenants)).anyAll();
    }

    /** The service's and the tenants' modes, {@code auto} resolved. */
    public FitDefaults defaults(boolean ffmpegRuns) {
        return new FitDefaults(autoFit(ffmpegRuns), FitDefaults.parseTenants(tenants));
    }
}
