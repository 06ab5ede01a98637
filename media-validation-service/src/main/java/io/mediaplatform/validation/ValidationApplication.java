package io.mediaplatform.validation;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * media-validation-service: decides each stored media (type from magic bytes, structure, size, codecs from
 * the MP4 {@code moov}, inbox settings, per-tenant policy, ClamAV scan) through ranged reads of S3, and answers
 * {@code media.received.v1} with {@code media.accepted.v1} or {@code media.rejected.v1} in a Kafka transaction
 * (exactly once for read_committed readers). No HTTP API of its own; actuator only.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ValidationApplication {

    /** Name of this service's configuration file ({@code validation.yml}). */
    public static final String CONFIG_NAME = "validation";

    /** A builder reading {@code validation.yml}, for the main method and the local stack. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ValidationApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
