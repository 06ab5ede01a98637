package io.mediaplatform.dispatch.config;

import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.mediaplatform.common.kafka.EventPublisher;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import io.mediaplatform.common.signing.LinkSigner;
import io.mediaplatform.dispatch.connector.email.EmailConnector;
import io.mediaplatform.dispatch.connector.fcm.FcmConnector;
import io.mediaplatform.dispatch.support.AcceptedSends;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.dispatch.retry.kafka.SendRetries;
import io.mediaplatform.dispatch.retry.core.ProviderHealth;
import io.mediaplatform.dispatch.status.kafka.KafkaStatusSink;
import io.mediaplatform.dispatch.ledger.kafka.LedgerRebuilder;
import io.mediaplatform.dispatch.send.kafka.MediaAcceptedListener;
import io.mediaplatform.dispatch.support.MediaLinks;
import io.mediaplatform.dispatch.send.kafka.MediaRejectedListener;
import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.connector.notify.NotifyConnector;
import io.mediaplatform.dispatch.resilience.resilience4j.ResilientSender;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.dispatch.resilience.core.RateShare;
import io.mediaplatform.dispatch.send.core.AcceptedPartitions;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.connector.twilio.TwilioConnector;
import io.mediaplatform.dispatch.connector.whatsapp.WhatsAppConnector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Wires the send capability: the resilient sender around the connectors, the send service, the media links, and the
 * {@code media.accepted.v1} and {@code media.rejected.v1} listeners with the main listener's container factory.
 */
@Configuration(proxyBeanMethods = false)
public class SendConfiguration {

    /**
     * This instance's part of each per-sender rate limit: its share of media.accepted's partitions (the listener tells
     * it of assignments), the partition count asked of the broker once.
     */
    @Bean
    RateShare rateShare(KafkaAdmin admin) {
        return new RateShare(() -> admin.describeTopics(Topics.MEDIA_ACCEPTED_NAME).get(Topics.MEDIA_ACCEPTED_NAME)
                .partitions().size());
    }

    @Bean
    ResilientSender resilientSender(RetryProperties retry, ResilienceProperties resilience, WhatsAppProperties whatsApp,
                                    TwilioProperties twilio, NotifyProperties notify, EmailProperties email,
                                    FcmProperties fcm, RateShare rateShare, ObjectProvider<MeterRegistry> meters,
                                    ObjectProvider<ObservationRegistry> observations) {
        Map<String, Integer> rates = new HashMap<>();
        rates.put(WhatsAppConnector.PROVIDER, whatsApp.rateLimit());
        rates.put(TwilioConnector.PROVIDER, twilio.rateLimit());
        rates.put(NotifyConnector.PROVIDER, notify.rateLimit());
        rates.put(EmailConnector.PROVIDER, email.rateLimit());
        rates.put(FcmConnector.PROVIDER, fcm.rateLimit());
        ResilientSender sender = new ResilientSender(new ResilientSender.Settings(retry.maxAttempts(),
                retry.initialBackoff(), retry.maxBackoff(), retry.multiplier(), retry.jitter(),
                resilience.circuitFailureRate(), resilience.circuitMinimumCalls(), resilience.circuitWindow(),
                resilience.circuitOpenWait(), resilience.circuitHalfOpenCalls(), resilience.bulkheadMaxCalls(),
                resilience.bulkheadMaxWait()), rates, resilience.rateLimitWait(), resilience.rateLimitMargin(), rateShare,
                new ProviderHealth());
        meters.ifAvailable(registry -> {
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(sender.circuitBreakers()).bindTo(registry);
            TaggedRetryMetrics.ofRetryRegistry(sender.retries()).bindTo(registry);
            sender.meters(registry);
        });
        observations.ifAvailable(sender::observations);
        return sender;
    }

    @Bean
    SendService sendService(WhatsAppProperties whatsApp, TwilioProperties twilio, NotifyProperties notify,
                            EmailProperties email, FcmProperties fcm, SmsProperties sms, DispatchProperties dispatch,
                            ResilientSender sender, Clock dispatchClock) {
        List<ProviderConnector> connectors = new ArrayList<>();
        if (!whatsApp.viaTwilio()) {
            Connectors.whatsAppConnector(whatsApp).ifPresent(connectors::add);
        }
        Optional<ProviderConnector> viaTwilio = Connectors.twilioConnector(twilio, whatsApp.viaTwilio(),
                "twilio".equals(sms.provider()), dispatch.publicUrl());
        Optional<ProviderConnector> viaNotify = Connectors.notifyConnector(notify, "notify".equals(sms.provider()),
                dispatch.publicUrl());
        viaTwilio.ifPresent(connectors::add);
        viaNotify.ifPresent(connectors::add);
        Connectors.emailConnector(email).ifPresent(connectors::add);
        Connectors.fcmConnector(fcm).ifPresent(connectors::add);
        return new SendService(connectors, Connectors.smsTenants(sms, viaTwilio, viaNotify), sender, dispatchClock);
    }

    @Bean
    MediaLinks mediaLinks(LinkProperties properties, SmsProperties sms, FcmProperties fcm, Clock dispatchClock) {
        return new MediaLinks(new LinkSigner(properties.signingKey()), properties.publicBaseUrl(), properties.ttl(),
                Map.of(TwilioConnector.SMS, sms.linkTtl(), FcmConnector.CHANNEL, fcm.linkTtl()), dispatchClock);
    }

    @Bean
    AcceptedSends acceptedSends(MediaLinks mediaLinks) {
        return new AcceptedSends(mediaLinks);
    }

    @Bean
    MediaAcceptedListener mediaAcceptedListener(SendService sendService, AcceptedSends acceptedSends, SendLedger ledger,
                                                LedgerRebuilder rebuilder, SendRetries sendRetries,
                                                DeadLetters deadLetters, Clock dispatchClock, RateShare rateShare,
                                                KafkaTemplate<Object, Object> template, DispatchProperties properties,
                                                ObjectProvider<ObservationRegistry> observations) {
        MediaAcceptedListener listener = new MediaAcceptedListener(sendService, acceptedSends, ledger,
                List.of(AcceptedPartitions.of(rebuilder::rebuild, partitions -> { }), sendRetries,
                        AcceptedPartitions.of(rateShare::assigned, rateShare::revoked)),
                sendRetries, deadLetters, dispatchClock, template, new KafkaStatusSink(new EventPublisher(template)),
                properties.parallelSends());
        observations.ifAvailable(listener::observations);
        return listener;
    }

    /**
     * The media.accepted listener's containers: a whole poll at a time, in the listener's own Kafka transaction (not
     * the container's one per record), offsets committed only in it (manual acknowledgement, never given); a record it
     * names as failed goes to the shared error handler (retried in place, then {@code media.accepted.v1.dlt}).
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> mediaAcceptedContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
            CommonErrorHandler deadLetterErrorHandler) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        factory.setBatchListener(true);
        factory.getContainerProperties().setKafkaAwareTransactionManager(null);
        factory.getContainerProperties().setTransactionManager(null);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        factory.setCommonErrorHandler(deadLetterErrorHandler);
        return factory;
    }

    @Bean
    MediaRejectedListener mediaRejectedListener(SendService sendService) {
        return new MediaRejectedListener(sendService);
    }
}
