package io.mediaplatform.callback.config;

import io.mediaplatform.callback.audit.core.AuditTrail;
import io.mediaplatform.callback.audit.kafka.AuditEvents;
import io.mediaplatform.callback.deletion.MessageDeletions;
import io.mediaplatform.callback.deletion.core.MessageRetention;
import io.mediaplatform.callback.deletion.kafka.DeletionAnnouncer;
import io.mediaplatform.callback.inbound.InboundRecorder;
import io.mediaplatform.callback.inbound.jdbc.InboundStore;
import io.mediaplatform.callback.inbound.kafka.InboundMediaListener;
import io.mediaplatform.callback.messages.jdbc.MessageQueries;
import io.mediaplatform.callback.status.StatusRecorder;
import io.mediaplatform.callback.status.jdbc.MessageStore;
import io.mediaplatform.callback.status.kafka.StatusEventsListener;
import io.mediaplatform.callback.webhook.MediaLinks;
import io.mediaplatform.callback.webhook.WebhookEndpoints;
import io.mediaplatform.callback.webhook.WebhookOutbox;
import io.mediaplatform.callback.webhook.WebhookPayloads;
import io.mediaplatform.callback.webhook.WebhookReplay;
import io.mediaplatform.callback.webhook.WebhookSender;
import io.mediaplatform.callback.webhook.WebhookTraces;
import io.mediaplatform.callback.webhook.core.RetrySchedule;
import io.mediaplatform.callback.webhook.core.SecretCipher;
import io.mediaplatform.callback.webhook.core.WebhookRetryPolicy;
import io.mediaplatform.callback.webhook.core.WebhookSecrets;
import io.mediaplatform.callback.webhook.jdbc.AttemptLedger;
import io.mediaplatform.callback.webhook.jdbc.DeliveryQueue;
import io.mediaplatform.callback.webhook.jdbc.WebhookBacklog;
import io.mediaplatform.common.http.GuardedHttpClient;
import io.mediaplatform.common.http.OutboundConfiguration;
import io.mediaplatform.common.http.OutboundProperties;
import io.mediaplatform.common.http.UrlGuard;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.KafkaEventsConfiguration;
import io.mediaplatform.common.security.ApiSecurityConfiguration;
import io.mediaplatform.common.signing.LinkSigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;

/**
 * Wires the status store, the inbound messages, the Kafka listeners, the webhook outbox, sender, media links,
 * tenant endpoints and replay, and the status API.
 */
@Configuration(proxyBeanMethods = false)
@Import({KafkaEventsConfiguration.class, ApiSecurityConfiguration.class, OutboundConfiguration.class})
public class CallbackConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CallbackConfiguration.class);
    private static final String DEV_LINK_SIGNING_KEY = "dev-only-link-signing-key-CHANGE-ME-0123456789";

    @Bean
    Clock callbackClock() {
        return Clock.systemUTC();
    }

    @Bean
    TransactionTemplate callbackTransactions(PlatformTransactionManager transactionManager) {
        return new TransactionTemplate(transactionManager);
    }

    @Bean
    RetrySchedule webhookRetrySchedule(WebhookProperties properties) {
        return new RetrySchedule(properties.retrySchedule());
    }

    @Bean
    WebhookSecrets webhookSecrets(WebhookProperties properties) {
        return WebhookSecrets.parse(properties.secrets());
    }

    @Bean
    MediaLinks mediaLinks(MediaLinkProperties properties) {
        if (DEV_LINK_SIGNING_KEY.equals(properties.signingKey())) {
            log.warn("LINK_SIGNING_KEY is the development default: set it (shared with ingest) in every real deployment");
        }
        return new MediaLinks(new LinkSigner(properties.signingKey()), properties.publicBaseUrl(), properties.ttl());
    }

    @Bean
    WebhookPayloads webhookPayloads(JsonMapper json, MediaLinks mediaLinks) {
        return new WebhookPayloads(json, mediaLinks);
    }

    @Bean
    WebhookEndpoints webhookEndpoints(JdbcClient jdbc, TransactionTemplate callbackTransactions, JsonMapper json,
                                      WebhookProperties properties) {
        SecretCipher cipher = SecretCipher.of(properties.encryptionKey());
        if (!cipher.encrypts()) {
            log.warn("WEBHOOK_ENCRYPTION_KEY is not set: tenant webhook endpoint secrets are stored unencrypted");
        }
        return new WebhookEndpoints(jdbc, callbackTransactions, json, cipher);
    }

    /** The gauges of the client webhooks still to be delivered (one query per 5 s at most). */
    @Bean
    WebhookBacklog webhookBacklog(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        return new WebhookBacklog(jdbc, clock, Duration.ofSeconds(5)).bindTo(meters);
    }

    /** The outbox's deliveries in PostgreSQL, each stored with the trace of its message. */
    @Bean
    DeliveryQueue webhookDeliveryQueue(JdbcClient jdbc, NamedParameterJdbcTemplate batchJdbc, RetrySchedule schedule,
                                       WebhookTraces traces) {
        return new DeliveryQueue(jdbc, batchJdbc, schedule, traces::contextOf);
    }

    @Bean
    AttemptLedger webhookAttemptLedger(JdbcClient jdbc, NamedParameterJdbcTemplate batchJdbc,
                                       TransactionTemplate callbackTransactions, RetrySchedule schedule) {
        return new AttemptLedger(jdbc, batchJdbc, callbackTransactions, schedule);
    }

    @Bean
    WebhookOutbox webhookOutbox(DeliveryQueue queue, AttemptLedger ledger, WebhookPayloads payloads,
                                RetrySchedule schedule, WebhookEndpoints endpoints) {
        return new WebhookOutbox(queue, ledger, payloads, schedule, endpoints);
    }

    @Bean
    WebhookReplay webhookReplay(MessageStore store, InboundStore inboundStore, WebhookOutbox outbox,
                                TransactionTemplate callbackTransactions, Clock clock) {
        return new WebhookReplay(store, inboundStore, outbox, callbackTransactions, clock);
    }

    @Bean
    MessageStore messageStore(JdbcClient jdbc, NamedParameterJdbcTemplate batchJdbc, JsonMapper json) {
        return new MessageStore(jdbc, batchJdbc, json);
    }

    @Bean
    StatusRecorder statusRecorder(MessageStore store, WebhookOutbox outbox, WebhookEndpoints endpoints,
                                  TransactionTemplate callbackTransactions, Clock clock, MeterRegistry meters) {
        return new StatusRecorder(store, outbox, endpoints, callbackTransactions, clock, meters);
    }

    @Bean
    InboundStore inboundStore(JdbcClient jdbc) {
        return new InboundStore(jdbc);
    }

    @Bean
    InboundRecorder inboundRecorder(InboundStore store, WebhookOutbox outbox, TransactionTemplate callbackTransactions,
                                    Clock clock, MeterRegistry meters) {
        return new InboundRecorder(store, outbox, callbackTransactions, clock, meters);
    }

    /** The audit trail (ARCHITECTURE §16), fed by the status and inbound listeners from the events they take. */
    @Bean
    AuditEvents auditEvents(AuditTrail trail) {
        return new AuditEvents(trail);
    }

    /** The trace of each message, for its webhooks (none without a tracer). */
    @Bean
    WebhookTraces webhookTraces(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new WebhookTraces(tracer.getIfAvailable(), propagator.getIfAvailable());
    }

    @Bean
    StatusEventsListener statusEventsListener(StatusRecorder recorder, InboundRecorder inboundRecorder, AuditEvents audit,
                                              WebhookTraces traces) {
        return new StatusEventsListener(recorder, inboundRecorder, audit).traces(traces);
    }

    @Bean
    InboundMediaListener inboundMediaListener(InboundRecorder inboundRecorder, AuditEvents audit) {
        return new InboundMediaListener(inboundRecorder, audit);
    }

    /**
     * Message deletion, contact erasure and the message retention sweep (ARCHITECTURE §10); the only writer of
     * {@code message.deleted.v1}.
     */
    @Bean(destroyMethod = "close")
    MessageDeletions messageDeletions(JdbcClient jdbc, NamedParameterJdbcTemplate batchJdbc,
                                      TransactionTemplate callbackTransactions, EventPublisher publisher, Clock clock,
                                      MessageRetentionProperties retention, AuditTrail auditTrail) {
        MessageDeletions deletions = new MessageDeletions(jdbc, batchJdbc, callbackTransactions,
                new DeletionAnnouncer(publisher), auditTrail, clock);
        deletions.startRetention(new MessageRetention(retention.retention()), retention.sweepInterval());
        return deletions;
    }

    @Bean
    MessageQueries messageQueries(JdbcClient jdbc) {
        return new MessageQueries(jdbc);
    }

    /**
     * The webhook client: resolves each URL once, checks every address with the {@link UrlGuard} and connects to
     * a checked one (no DNS rebinding between check and call); never follows redirects; HTTP/1.1. The request
     * timeout is both the longest pause between response bytes and the deadline of the whole exchange. Connections
     * are kept for {@code OUTBOUND_KEEP_ALIVE} between webhooks to the same address.
     */
    @Bean
    GuardedHttpClient webhookHttpClient(OutboundProperties outbound, WebhookProperties properties) {
        // Client webhooks have their own allow-list (WEBHOOK_ALLOW_HOSTS, defaulting to OUTBOUND_ALLOW_HOSTS).
        return new GuardedHttpClient(new UrlGuard(outbound.webhookAllowHosts()), properties.connectTimeout(),
                properties.requestTimeout(), outbound.keepAlive());
    }

    @Bean
    WebhookSender webhookSender(WebhookOutbox outbox, RetrySchedule schedule, WebhookSecrets secrets, WebhookEndpoints endpoints,
                                WebhookPayloads payloads, GuardedHttpClient webhookHttpClient, Clock clock, MeterRegistry meters,
                                WebhookProperties properties, WebhookTraces traces) {
        WebhookSender sender = new WebhookSender(outbox, new WebhookRetryPolicy(schedule), secrets, endpoints, payloads,
                webhookHttpClient, clock, meters,
                new WebhookSender.Settings(properties.pollInterval(), properties.batchSize(), properties.requestTimeout(),
                        properties.claimLease(), properties.maxInFlight()));
        return sender.traces(traces);
    }
}
