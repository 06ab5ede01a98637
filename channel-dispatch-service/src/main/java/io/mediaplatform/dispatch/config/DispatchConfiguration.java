package io.mediaplatform.dispatch.config;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.KafkaEventsConfiguration;
import io.mediaplatform.common.security.ApiSecurityConfiguration;
import io.mediaplatform.common.signing.LinkSigner;
import io.mediaplatform.dispatch.kafka.KafkaStatusSink;
import io.mediaplatform.dispatch.kafka.MediaAcceptedListener;
import io.mediaplatform.dispatch.kafka.MediaLinks;
import io.mediaplatform.dispatch.kafka.MediaRejectedListener;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.RetryPolicy;
import io.mediaplatform.dispatch.send.core.RetryingSender;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.whatsapp.WebhookSignature;
import io.mediaplatform.dispatch.whatsapp.WhatsAppConnector;
import io.mediaplatform.dispatch.whatsapp.WhatsAppStatusWebhook;
import io.mediaplatform.dispatch.whatsapp.WhatsAppWebhookController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Wires the dispatch service: connectors, the send service, the Kafka listeners and the webhook handling. */
@Configuration(proxyBeanMethods = false)
@Import({KafkaEventsConfiguration.class, ApiSecurityConfiguration.class})
public class DispatchConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DispatchConfiguration.class);

    @Bean
    Clock dispatchClock() {
        return Clock.systemUTC();
    }

    @Bean
    StatusSink statusSink(EventPublisher publisher) {
        return new KafkaStatusSink(publisher);
    }

    @Bean
    SendService sendService(WhatsAppProperties whatsApp, RetryProperties retry, StatusSink statusSink, Clock dispatchClock) {
        List<ProviderConnector> connectors = new ArrayList<>();
        whatsAppConnector(whatsApp).ifPresent(connectors::add);
        RetryPolicy policy = new RetryPolicy(retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff());
        return new SendService(connectors, RetryingSender.sleeping(policy), statusSink, dispatchClock);
    }

    /** The WhatsApp connector, when sending is configured; the channel fails with CHANNEL_NOT_CONFIGURED otherwise. */
    static Optional<ProviderConnector> whatsAppConnector(WhatsAppProperties properties) {
        if (!properties.sendConfigured()) {
            log.warn("WhatsApp sending not configured (WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_ACCESS_TOKEN): "
                    + "WhatsApp messages will fail with CHANNEL_NOT_CONFIGURED");
            return Optional.empty();
        }
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        log.info("WhatsApp connector sends to {}", properties.baseUrl());
        return Optional.of(new WhatsAppConnector(http, properties.baseUrl(), properties.apiVersion(),
                properties.phoneNumberId(), properties.accessToken(), properties.requestTimeout()));
    }

    @Bean
    MediaLinks mediaLinks(LinkProperties properties, Clock dispatchClock) {
        return new MediaLinks(new LinkSigner(properties.signingKey()), properties.publicBaseUrl(), properties.ttl(),
                dispatchClock);
    }

    @Bean
    MediaAcceptedListener mediaAcceptedListener(SendService sendService, MediaLinks mediaLinks) {
        return new MediaAcceptedListener(sendService, mediaLinks);
    }

    @Bean
    MediaRejectedListener mediaRejectedListener(SendService sendService) {
        return new MediaRejectedListener(sendService);
    }

    @Bean
    WhatsAppStatusWebhook whatsAppStatusWebhook(WhatsAppProperties properties, StatusSink statusSink, Clock dispatchClock) {
        return new WhatsAppStatusWebhook(new WebhookSignature(properties.appSecret()), statusSink, dispatchClock);
    }

    @Bean
    WhatsAppWebhookController.WhatsAppVerifyToken whatsAppVerifyToken(WhatsAppProperties properties) {
        return new WhatsAppWebhookController.WhatsAppVerifyToken(properties.verifyToken());
    }
}
