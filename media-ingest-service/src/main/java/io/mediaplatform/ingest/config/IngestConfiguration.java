package io.mediaplatform.ingest.config;

import io.mediaplatform.common.http.OutboundConfiguration;
import io.mediaplatform.common.http.GuardedHttpClient;
import io.mediaplatform.common.http.OutboundProperties;
import io.mediaplatform.common.http.UrlGuard;
import io.mediaplatform.common.kafka.KafkaEventsConfiguration;
import io.mediaplatform.common.security.ApiSecurityConfiguration;
import io.mediaplatform.common.signing.LinkSigner;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.StorageConfiguration;
import io.mediaplatform.ingest.asset.core.ApprovalRule;
import io.mediaplatform.ingest.asset.core.AssetCatalog;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.ingest.retention.core.RetentionPolicy;
import io.mediaplatform.ingest.retention.storage.RetentionSweeper;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import io.mediaplatform.ingest.idempotency.core.IdempotentRequests;
import io.mediaplatform.ingest.idempotency.jdbc.JdbcIdempotencyStore;
import io.mediaplatform.ingest.fallback.jdbc.JdbcFallbackPlans;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import io.mediaplatform.ingest.settings.core.InboxSettingsView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.time.Clock;
import java.time.Duration;

/** Wires the ingest edge: platform adapters (security, Kafka, storage, URL guard) and the service's own beans. */
@Configuration(proxyBeanMethods = false)
@Import({ApiSecurityConfiguration.class, KafkaEventsConfiguration.class, StorageConfiguration.class,
        OutboundConfiguration.class})
public class IngestConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LinkSigner linkSigner(IngestProperties properties) {
        return new LinkSigner(properties.links().signingKey());
    }

    /**
     * Client for fetching media (and OAuth2 tokens) from client URLs: URL guard after DNS, connection pinned to
     * the checked address, redirects refused, connect/read timeouts from {@code platform.outbound}.
     */
    @Bean
    GuardedHttpClient guardedHttpClient(UrlGuard guard, OutboundProperties outbound) {
        return new GuardedHttpClient(guard, outbound.connectTimeout(), outbound.readTimeout(), outbound.keepAlive());
    }

    /** Which tenants send approved assets only ({@code ASSETS_APPROVAL_TENANTS}). */
    @Bean
    ApprovalRule approvalRule(IngestProperties properties) {
        return ApprovalRule.parse(properties.assets().approvalTenants());
    }

    /** Deletes media past its tenant's retention (never the asset library's) and stale staging objects, every {@code sweepInterval}. */
    @Bean(destroyMethod = "close")
    RetentionSweeper retentionSweeper(S3AsyncClient s3, ObjectStorage storage, IngestProperties properties, Clock clock,
                                      MediaStore store, AssetCatalog assets) {
        IngestProperties.Retention retention = properties.retention();
        RetentionSweeper sweeper = new RetentionSweeper(s3, storage, RetentionPolicy.of(retention.defaultRetention(),
                retention.tenants(), retention.stagingMaxAge()), clock, store::forgetDeleted, assets::mediaIds);
        sweeper.start(retention.sweepInterval());
        return sweeper;
    }

    /** {@code Idempotency-Key} claims and answers in PostgreSQL, swept every {@code sweepInterval}. */
    @Bean(destroyMethod = "close")
    JdbcIdempotencyStore idempotencyStore(JdbcClient jdbc, IngestProperties properties, Clock clock) {
        IngestProperties.Idempotency settings = properties.idempotency();
        JdbcIdempotencyStore store = new JdbcIdempotencyStore(jdbc, clock, settings.ttl(), settings.lease(),
                settings.maxKeysPerTenant());
        store.start(settings.sweepInterval());
        return store;
    }

    @Bean
    IdempotentRequests idempotentRequests(JdbcIdempotencyStore store, IngestProperties properties, Clock clock) {
        return new IdempotentRequests(store, clock, properties.idempotency().inFlightWait(), Duration.ofMillis(100));
    }

    /**
     * Channel fallback plans in PostgreSQL, claimed in a transaction with the publish of the next attempt, swept every
     * {@code sweepInterval}.
     */
    @Bean(destroyMethod = "close")
    JdbcFallbackPlans fallbackPlans(JdbcClient jdbc, PlatformTransactionManager transactions, JsonMapper json,
                                    IngestProperties properties, Clock clock) {
        JdbcFallbackPlans plans = new JdbcFallbackPlans(jdbc, new TransactionTemplate(transactions), json, clock,
                properties.fallback().planTtl());
        plans.start(properties.fallback().sweepInterval());
        return plans;
    }

    @Bean
    InboxSettingsView inboxSettingsView() {
        return new InboxSettingsView();
    }
}
