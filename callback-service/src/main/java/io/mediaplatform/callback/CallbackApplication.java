package io.mediaplatform.callback;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * callback-service: keeps every message's status history in PostgreSQL, tells clients through signed,
 * retried and recorded webhooks, and answers the status query API.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CallbackApplication {

    /** Name of the configuration file ({@code callback.yml}). */
    public static final String CONFIG_NAME = "callback";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(CallbackApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
