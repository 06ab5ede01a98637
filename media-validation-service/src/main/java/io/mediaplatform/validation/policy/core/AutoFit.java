package io.mediaplatform.validation.policy.core;

import java.util.Locale;

/**
 * Whether validation converts outbound media that breaks a channel rule instead of rejecting it (ARCHITECTURE §5):
 * {@code OFF} rejects as ever, {@code IMAGES} converts images (in the JVM), {@code ALL} also converts audio and video
 * (with ffmpeg; where ffmpeg does not run it converts images only, and says so at start-up).
 */
public enum AutoFit {
    OFF, IMAGES, ALL;

    /** Whether images are converted. */
    public boolean images() {
        return this != OFF;
    }

    /** {@code off}, {@code images} or {@code all} in any case (YAML's bare {@code off} arrives as false). */
    public static AutoFit parse(Object value) {
        if (value instanceof Boolean bool && !bool) {
            return OFF;
        }
        String text = String.valueOf(value).trim().toUpperCase(Locale.ROOT);
        try {
            return valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auto-fit must be off, images or all, not " + value);
        }
    }
}
