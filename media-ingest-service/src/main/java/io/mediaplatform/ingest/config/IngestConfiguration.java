package io.mediaplatform.ingest.config;

import io.mediaplatform.common.http.OutboundConfiguration;
import io.mediaplatform.common.http.OutboundProperties;
import io.mediaplatform.common.kafka.KafkaEventsConfiguration;
import io.mediaplatform.common.security.ApiSecurityConfiguration;
import io.mediaplatform.common.signing.LinkSigner;
import io.mediaplatform.common.storage.StorageConfiguration;
import io.mediaplatform.ingest.messages.core.IdempotencyCache;
import io.mediaplatform.ingest.messages.web.MessagesController;
import io.mediaplatform.ingest.settings.core.InboxSettingsView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.net.http.HttpClient;
import java.time.Clock;

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

    /** Client for fetching media from URLs: never follows redirects (each hop would need the URL guard). */
    @Bean
    HttpClient mediaFetchHttpClient(OutboundProperties outbound) {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(outbound.connectTimeout())
                .build();
    }

    @Bean
    IdempotencyCache<MessagesController.Accepted> messageIdempotency(IngestProperties properties, Clock clock) {
        return new IdempotencyCache<>(properties.idempotency().maxKeysPerTenant(), properties.idempotency().ttl(), clock);
    }

    @Bean
    InboxSettingsView inboxSettingsView() {
        return new InboxSettingsView();
    }
}
