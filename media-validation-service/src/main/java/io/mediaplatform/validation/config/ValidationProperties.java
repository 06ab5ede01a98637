package io.mediaplatform.validation.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the validation service.
 *
 * @param policyFile where the media policy YAML is ({@code MEDIA_POLICY_FILE}, default
 *                   {@code classpath:media-policy.yml}; {@code file:/path.yml} for an operator's own)
 * @param headBytes  how many bytes of each media are read for type detection ({@code VALIDATION_HEAD_BYTES},
 *                   default 65536)
 */
@ConfigurationProperties("validation")
public record ValidationProperties(
        @DefaultValue("classpath:media-policy.yml") String policyFile,
        @DefaultValue("65536") int headBytes) {

    public ValidationProperties {
        if (headBytes < 512) {
            throw new IllegalArgumentException("validation.head-bytes must be at least 512");
        }
    }
}
