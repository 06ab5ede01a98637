package io.mediaplatform.common.http;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The outbound URL guard. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundConfiguration {

    @Bean
    UrlGuard urlGuard(OutboundProperties properties) {
        return new UrlGuard(properties.allowHosts());
    }

    @Bean
    WebhookUrlGuard webhookUrlGuard(OutboundProperties properties) {
        return new WebhookUrlGuard(new UrlGuard(properties.webhookAllowHosts()), properties.connectTimeout(),
                properties.readTimeout());
    }
}
