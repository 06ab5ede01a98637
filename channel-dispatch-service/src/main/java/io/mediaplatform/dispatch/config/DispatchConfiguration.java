package io.mediaplatform.dispatch.config;

import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mediaplatform.common.kafka.DeadLetterRouting;
import io.micrometer.observation.ObservationRegistry;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.KafkaEventsConfiguration;
import io.mediaplatform.common.kafka.KafkaEventsProperties;
import io.mediaplatform.common.kafka.PoisonRecordException;
import org.springframework.kafka.listener.AfterRollbackProcessor;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import io.mediaplatform.common.security.ApiSecurityConfiguration;
import io.mediaplatform.common.signing.LinkSigner;
import io.mediaplatform.dispatch.connector.email.EmailConnector;
import io.mediaplatform.dispatch.connector.fcm.FcmConnector;
import io.mediaplatform.dispatch.inbound.core.InboundRoutes;
import io.mediaplatform.dispatch.inbound.core.InboundService;
import io.mediaplatform.dispatch.inbound.kafka.KafkaInboundSink;
import io.mediaplatform.dispatch.support.AcceptedSends;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.dispatch.retry.kafka.SendRetries;
import io.mediaplatform.dispatch.retry.core.ProviderHealth;
import io.mediaplatform.dispatch.retry.core.RetryParking;
import io.mediaplatform.dispatch.retry.core.RetryProbes;
import io.mediaplatform.dispatch.retry.core.RetryRounds;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import io.mediaplatform.dispatch.status.kafka.KafkaStatusSink;
import io.mediaplatform.dispatch.ledger.kafka.LedgerRebuilder;
import io.mediaplatform.dispatch.send.kafka.MediaAcceptedListener;
import io.mediaplatform.dispatch.support.MediaLinks;
import io.mediaplatform.dispatch.send.kafka.MediaRejectedListener;
import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.connector.notify.NotifyConnector;
import io.mediaplatform.dispatch.connector.notify.NotifyStatusWebhook;
import io.mediaplatform.dispatch.resilience.resilience4j.ResilientSender;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.dispatch.resilience.core.RateShare;
import io.mediaplatform.dispatch.send.core.AcceptedPartitions;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.connector.twilio.TwilioConnector;
import io.mediaplatform.dispatch.connector.twilio.TwilioSignature;
import io.mediaplatform.dispatch.connector.twilio.TwilioStatusWebhook;
import io.mediaplatform.dispatch.connector.whatsapp.WebhookSignature;
import io.mediaplatform.dispatch.connector.whatsapp.WhatsAppConnector;
import io.mediaplatform.dispatch.connector.whatsapp.WhatsAppStatusWebhook;
import io.mediaplatform.dispatch.connector.whatsapp.WhatsAppWebhookController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Wires the dispatch service: connectors, resilience, the send service, the Kafka listeners, the webhooks and the
 * inbound messages they carry.
 */
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
    SendLedger sendLedger(DispatchProperties properties) {
        return new SendLedger(properties.ledgerRetention());
    }

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
            whatsAppConnector(whatsApp).ifPresent(connectors::add);
        }
        Optional<ProviderConnector> viaTwilio = twilioConnector(twilio, whatsApp.viaTwilio(),
                "twilio".equals(sms.provider()), dispatch.publicUrl());
        Optional<ProviderConnector> viaNotify = notifyConnector(notify, "notify".equals(sms.provider()),
                dispatch.publicUrl());
        viaTwilio.ifPresent(connectors::add);
        viaNotify.ifPresent(connectors::add);
        emailConnector(email).ifPresent(connectors::add);
        fcmConnector(fcm).ifPresent(connectors::add);
        return new SendService(connectors, smsTenants(sms, viaTwilio, viaNotify), sender, dispatchClock);
    }

    /** The tenants whose SMS go through another provider than {@code SMS_PROVIDER}'s, by their connector. */
    static Map<String, Map<String, ProviderConnector>> smsTenants(SmsProperties sms, Optional<ProviderConnector> twilio,
                                                                  Optional<ProviderConnector> notify) {
        Map<String, Map<String, ProviderConnector>> tenants = new HashMap<>();
        sms.tenants().forEach((tenant, provider) -> {
            Optional<ProviderConnector> connector = "notify".equals(provider) ? notify : twilio;
            if (connector.isEmpty()) {
                log.warn("Tenant {} sends SMS through {}, which is not configured: its SMS will fail with "
                        + "CHANNEL_NOT_CONFIGURED", tenant, provider);
                return;
            }
            tenants.put(tenant, Map.of(TwilioConnector.SMS, connector.get()));
        });
        if (!tenants.isEmpty()) {
            log.info("SMS through {} by default; tenants with their own SMS provider: {}", sms.provider(), sms.tenants());
        }
        return tenants;
    }

    /** The WhatsApp connector, when sending is configured; the channel fails with CHANNEL_NOT_CONFIGURED otherwise. */
    static Optional<ProviderConnector> whatsAppConnector(WhatsAppProperties properties) {
        if (!properties.sendConfigured()) {
            log.warn(properties.via360dialog()
                    ? "WhatsApp through 360dialog not configured (D360_API_KEY): WhatsApp messages will fail with "
                    + "CHANNEL_NOT_CONFIGURED"
                    : "WhatsApp sending not configured (WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_ACCESS_TOKEN): "
                    + "WhatsApp messages will fail with CHANNEL_NOT_CONFIGURED");
            return Optional.empty();
        }
        if (properties.via360dialog()) {
            log.info("WhatsApp connector sends through 360dialog at {}", properties.d360BaseUrl());
            String sender = properties.phoneNumberId() == null || properties.phoneNumberId().isBlank()
                    ? "360dialog" : properties.phoneNumberId();
            return Optional.of(WhatsAppConnector.dialog360(http(properties.connectTimeout()), properties.d360BaseUrl(),
                    properties.d360ApiKey(), sender, properties.requestTimeout()));
        }
        log.info("WhatsApp connector sends to {}", properties.baseUrl());
        return Optional.of(new WhatsAppConnector(http(properties.connectTimeout()), properties.baseUrl(),
                properties.apiVersion(), properties.phoneNumberId(), properties.accessToken(),
                properties.requestTimeout()));
    }

    static Optional<ProviderConnector> twilioConnector(TwilioProperties properties, boolean carriesWhatsApp,
                                                       boolean carriesSms, String publicUrl) {
        if (!properties.sendConfigured()) {
            log.info("Twilio not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): MMS{}{} messages will fail with "
                    + "CHANNEL_NOT_CONFIGURED", carriesSms ? ", SMS" : "", carriesWhatsApp ? " and WhatsApp" : "");
            return Optional.empty();
        }
        Set<String> channels = new LinkedHashSet<>(List.of("MMS"));
        if (carriesSms) {
            channels.add(TwilioConnector.SMS);
        }
        if (carriesWhatsApp) {
            channels.add(WhatsAppConnector.CHANNEL);
        }
        log.info("Twilio connector sends {} to {}", channels, properties.baseUrl());
        return Optional.of(new TwilioConnector(http(properties.connectTimeout()), properties.baseUrl(),
                properties.accountSid(), properties.authToken(), properties.from(), publicUrl, channels,
                properties.requestTimeout()));
    }

    static Optional<ProviderConnector> notifyConnector(NotifyProperties properties, boolean carriesSms,
                                                       String publicUrl) {
        if (!properties.sendConfigured()) {
            log.info("Notification API not configured (NOTIFY_BASE_URL): {}{} messages will fail with "
                    + "CHANNEL_NOT_CONFIGURED", properties.channels(), carriesSms ? " and SMS" : "");
            return Optional.empty();
        }
        Set<String> channels = new LinkedHashSet<>();
        properties.channels().forEach(c -> channels.add(c.trim().toUpperCase(Locale.ROOT)));
        // SMS_PROVIDER, not NOTIFY_CHANNELS, says who carries SMS by default
        channels.remove(NotifyConnector.SMS);
        if (carriesSms) {
            channels.add(NotifyConnector.SMS);
        }
        log.info("Notification API connector sends {} to {}", channels, properties.baseUrl());
        return Optional.of(new NotifyConnector(http(properties.connectTimeout()), properties.baseUrl(),
                properties.apiKey(), publicUrl, channels, properties.requestTimeout()));
    }

    static Optional<ProviderConnector> emailConnector(EmailProperties properties) {
        if (!properties.sendConfigured()) {
            log.info("E-mail not configured (EMAIL_SMTP_HOST): EMAIL messages will fail with CHANNEL_NOT_CONFIGURED");
            return Optional.empty();
        }
        JavaMailSenderImpl mail = new JavaMailSenderImpl();
        mail.setHost(properties.smtpHost());
        mail.setPort(properties.smtpPort());
        mail.setDefaultEncoding("UTF-8");
        Properties javaMail = new Properties();
        String timeout = Long.toString(properties.timeout().toMillis());
        javaMail.put("mail.smtp.connectiontimeout", timeout);
        javaMail.put("mail.smtp.timeout", timeout);
        javaMail.put("mail.smtp.writetimeout", timeout);
        if (properties.username() != null && !properties.username().isBlank()) {
            mail.setUsername(properties.username());
            mail.setPassword(properties.password());
            javaMail.put("mail.smtp.auth", "true");
        }
        if (properties.startTls()) {
            javaMail.put("mail.smtp.starttls.enable", "true");
            javaMail.put("mail.smtp.starttls.required", "true");
        }
        mail.setJavaMailProperties(javaMail);
        log.info("E-mail connector sends through {}:{}", properties.smtpHost(), properties.smtpPort());
        return Optional.of(new EmailConnector(mail, http(properties.timeout()), properties.from(), properties.subject(),
                properties.messageIdDomain(), properties.maxAttachment().toBytes(), properties.timeout()));
    }

    static Optional<ProviderConnector> fcmConnector(FcmProperties properties) {
        if (!properties.sendConfigured()) {
            log.info("FCM not configured (FCM_PROJECT_ID, FCM_ACCESS_TOKEN): PUSH messages will fail with "
                    + "CHANNEL_NOT_CONFIGURED");
            return Optional.empty();
        }
        log.info("FCM connector sends PUSH to {} for project {}", properties.baseUrl(), properties.projectId());
        return Optional.of(new FcmConnector(http(properties.connectTimeout()), properties.baseUrl(),
                properties.projectId(), properties.accessToken(), properties.title(), properties.requestTimeout()));
    }

    private static HttpClient http(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Bean
    MediaLinks mediaLinks(LinkProperties properties, SmsProperties sms, FcmProperties fcm, Clock dispatchClock) {
        return new MediaLinks(new LinkSigner(properties.signingKey()), properties.publicBaseUrl(), properties.ttl(),
                Map.of(TwilioConnector.SMS, sms.linkTtl(), FcmConnector.CHANNEL, fcm.linkTtl()), dispatchClock);
    }

    @Bean
    @SuppressWarnings("unchecked")
    LedgerRebuilder ledgerRebuilder(ConsumerFactory<?, ?> consumerFactory, SendLedger ledger, DispatchProperties properties,
                                    Clock dispatchClock) {
        return new LedgerRebuilder((ConsumerFactory<Object, Object>) consumerFactory, ledger, dispatchClock,
                properties.ledgerRebuildMaxTime());
    }

    /**
     * With Kafka transactions the listener containers hand failed records to an after-rollback processor instead of
     * the platform's error handler: this one keeps the platform's behaviour (undecodable records and
     * {@code PoisonRecordException} straight to {@code <topic>.dlt}, others after the configured retries), and
     * commits the dead-lettered record's offset in the same transaction as its copy.
     */
    @Bean
    AfterRollbackProcessor<Object, Object> deadLetterAfterRollbackProcessor(KafkaTemplate<Object, Object> template,
                                                                            KafkaEventsProperties properties) {
        return DeadLetterRouting.afterRollbackProcessor(template, properties);
    }

    @Bean
    DeadLetters deadLetters(KafkaTemplate<Object, Object> template) {
        return new DeadLetters(template);
    }

    @Bean
    AcceptedSends acceptedSends(MediaLinks mediaLinks) {
        return new AcceptedSends(mediaLinks);
    }

    /**
     * The conversations waiting on the retry topic; {@code dispatch.retry.waiting} (messages) and
     * {@code dispatch.retry.oldest.age} (seconds the longest-parked conversation has waited) gauge them.
     */
    @Bean
    RetryParking retryParking(ObjectProvider<MeterRegistry> meters) {
        RetryParking parking = new RetryParking();
        meters.ifAvailable(registry -> {
            Gauge.builder("dispatch.retry.waiting", parking, RetryParking::waiting)
                    .description("Messages waiting on the retry topic").register(registry);
            Gauge.builder("dispatch.retry.oldest.age", parking, p -> p.oldestWait(Instant.now()).toMillis() / 1000.0)
                    .description("How long the longest-waiting conversation has waited on the retry topic")
                    .baseUnit("seconds").register(registry);
        });
        return parking;
    }

    @Bean
    @SuppressWarnings("unchecked")
    SendRetries sendRetries(ConsumerFactory<?, ?> consumerFactory, KafkaTemplate<Object, Object> template,
                            KafkaTransactionManager<?, ?> kafkaTransactionManager, AcceptedSends acceptedSends,
                            SendService sendService, StatusSink statusSink, SendLedger ledger, RetryProperties retry,
                            ResilientSender resilientSender, DispatchProperties properties, Clock dispatchClock,
                            RetryParking retryParking, ObjectProvider<ObservationRegistry> observations) {
        SendRetries retries = new SendRetries((ConsumerFactory<Object, Object>) consumerFactory, template,
                new TransactionTemplate(kafkaTransactionManager), acceptedSends, sendService, statusSink, ledger,
                retryParking,
                new RetryRounds(retry.delays()), new RetryProbes(retry.probeInterval()), resilientSender.health(),
                new DeadLetters(template), dispatchClock,
                properties.ledgerRebuildMaxTime());
        observations.ifAvailable(retries::observations);
        return retries;
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
