package io.mediaplatform.validation.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Thumbnails of accepted images and video (ARCHITECTURE §15), made with auto-fit's decoder and limits
 * ({@code VALIDATION_FIT_MAX_PIXELS}, {@code VALIDATION_FIT_TIMEOUT}, {@code VALIDATION_FIT_MAX_INPUT},
 * {@code VALIDATION_FFMPEG}).
 *
 * @param enabled whether they are made ({@code VALIDATION_THUMBNAILS}, default true)
 */
@ConfigurationProperties("validation.thumbnails")
public record ThumbnailProperties(@DefaultValue("true") boolean enabled) {
}
