package io.mediaplatform.dispatch;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * channel-dispatch-service: sends accepted outbound media through the channel's provider connector, takes the
 * providers' signed status webhooks and customers' media messages, and is the only writer of
 * {@code message.status.v1} and {@code message.inbound.v1}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DispatchApplication {

    /** Name of the configuration file ({@code dispatch.yml}). */
    public static final String CONFIG_NAME = "dispatch";
    /** Kafka consumer group of the service. */
    public static final String CONSUMER_GROUP = "dispatch";

    /** The application with its own configuration file, as the local stack and {@link #main} start it. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(DispatchApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
