package io.mediaplatform.dispatch.config;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.dispatch.inbound.core.InboundRoutes;
import io.mediaplatform.dispatch.inbound.core.InboundService;
import io.mediaplatform.dispatch.inbound.kafka.KafkaInboundSink;
import io.mediaplatform.dispatch.connector.notify.NotifyStatusWebhook;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.connector.twilio.TwilioSignature;
import io.mediaplatform.dispatch.connector.twilio.TwilioStatusWebhook;
import io.mediaplatform.dispatch.connector.whatsapp.WebhookSignature;
import io.mediaplatform.dispatch.connector.whatsapp.WhatsAppStatusWebhook;
import io.mediaplatform.dispatch.connector.whatsapp.WhatsAppWebhookController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;

/**
 * Wires the providers' webhooks: their status webhooks and the inbound messages they carry (the route table and the
 * inbound service that hands them to {@code message.inbound.v1}).
 */
@Configuration(proxyBeanMethods = false)
public class ProviderWebhookConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProviderWebhookConfiguration.class);

    /** The route table of inbound messages; a malformed {@code INBOUND_ROUTES} stops the start-up here. */
    @Bean
    InboundRoutes inboundRoutes(InboundProperties properties) {
        InboundRoutes routes = InboundRoutes.parse(properties.routes());
        if (routes.size() == 0) {
            log.warn("No inbound routes (INBOUND_ROUTES): every customer's media message will be dead-lettered "
                    + "on message.inbound.v1.dlt with reason NO_ROUTE");
        } else {
            log.info("Inbound messages routed for {}", routes.addresses());
        }
        return routes;
    }

    @Bean
    InboundService inboundService(InboundRoutes inboundRoutes, EventPublisher publisher,
                                  KafkaTemplate<Object, Object> template, Clock dispatchClock) {
        return new InboundService(inboundRoutes, new KafkaInboundSink(publisher, template), dispatchClock);
    }

    @Bean
    WhatsAppStatusWebhook whatsAppStatusWebhook(WhatsAppProperties properties, StatusSink statusSink,
                                                InboundService inboundService, Clock dispatchClock) {
        return new WhatsAppStatusWebhook(new WebhookSignature(properties.appSecret()), statusSink, inboundService,
                dispatchClock);
    }

    @Bean
    WhatsAppWebhookController.WebhookToken whatsAppWebhookToken(WhatsAppProperties properties) {
        return new WhatsAppWebhookController.WebhookToken(properties.d360WebhookToken());
    }

    @Bean
    WhatsAppWebhookController.WhatsAppVerifyToken whatsAppVerifyToken(WhatsAppProperties properties) {
        return new WhatsAppWebhookController.WhatsAppVerifyToken(properties.verifyToken());
    }

    @Bean
    TwilioStatusWebhook twilioStatusWebhook(TwilioProperties properties, DispatchProperties dispatch,
                                            StatusSink statusSink, InboundService inboundService,
                                            Clock dispatchClock) {
        return new TwilioStatusWebhook(new TwilioSignature(properties.authToken()), dispatch.publicUrl(), statusSink,
                inboundService, dispatchClock);
    }

    @Bean
    NotifyStatusWebhook notifyStatusWebhook(NotifyProperties properties, StatusSink statusSink,
                                            InboundService inboundService, Clock dispatchClock) {
        return new NotifyStatusWebhook(properties.webhookSecret(), statusSink, inboundService, properties.sender(),
                dispatchClock);
    }
}
