package io.mediaplatform.ingest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The HTTP edge of the media platform: uploads, downloads and signed links, the send-message API and inbox
 * media settings; reads {@code message.send-requested.v1} and customers' media messages ({@code message.inbound.v1},
 * fetched from the providers), and writes {@code media.received.v1}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestApplication {

    /** Name of the configuration file ({@code ingest.yml}). */
    public static final String CONFIG_NAME = "ingest";

    /** A builder that reads {@code ingest.yml}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(IngestApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
