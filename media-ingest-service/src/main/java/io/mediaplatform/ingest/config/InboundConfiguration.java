package io.mediaplatform.ingest.config;

import io.mediaplatform.common.http.OutboundProperties;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.ingest.inbound.core.FetchPolicy;
import io.mediaplatform.ingest.inbound.core.TrustedHosts;
import io.mediaplatform.ingest.inbound.kafka.InboundMessageListener;
import io.mediaplatform.ingest.inbound.kafka.InboundProcessor;
import io.mediaplatform.ingest.inbound.kafka.InboundRetryListener;
import io.mediaplatform.ingest.inbound.provider.InboundHttp;
import io.mediaplatform.ingest.inbound.provider.InboundMediaFetcher;
import io.mediaplatform.ingest.inbound.provider.MediaSource;
import io.mediaplatform.ingest.inbound.provider.NotifyMediaSource;
import io.mediaplatform.ingest.inbound.provider.TwilioMediaSource;
import io.mediaplatform.ingest.inbound.provider.WhatsAppMediaSource;
import io.mediaplatform.ingest.media.storage.MediaStore;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Wires the fetching of customers' media ({@code inbound}): the providers' trusted hosts, the pinned provider
 * client, one media source per provider, the fetch policy, and the listeners on {@code message.inbound.v1} and
 * {@code ingest.inbound-retry.v1}.
 */
@Configuration(proxyBeanMethods = false)
public class InboundConfiguration {

    /** Trusted hosts per provider (base URL's origin and its {@code INBOUND_MEDIA_HOSTS_*}). */
    public record ProviderHosts(TrustedHosts whatsapp, TrustedHosts twilio, TrustedHosts notificationApi) {
        public Set<String> hostNames() {
            Set<String> all = new LinkedHashSet<>(whatsapp.hostNames());
            all.addAll(twilio.hostNames());
            all.addAll(notificationApi.hostNames());
            return all;
        }
    }

    @Bean
    ProviderHosts providerHosts(InboundProperties properties) {
        return new ProviderHosts(
                TrustedHosts.of(properties.whatsapp().baseUrl(), properties.whatsapp().mediaHosts()),
                TrustedHosts.of(properties.twilio().baseUrl(), properties.twilio().mediaHosts()),
                TrustedHosts.of(properties.notificationApi().baseUrl(), properties.notificationApi().mediaHosts()));
    }

    /** The provider client: resolves only the trusted hosts, connect/read timeouts from {@code platform.outbound}. */
    @Bean(destroyMethod = "close")
    InboundHttp inboundHttp(ProviderHosts hosts, OutboundProperties outbound) {
        return new InboundHttp(hosts.hostNames(), outbound.connectTimeout(), outbound.readTimeout());
    }

    @Bean
    WhatsAppMediaSource whatsAppMediaSource(InboundHttp http, JsonMapper json, InboundProperties properties, ProviderHosts hosts) {
        return new WhatsAppMediaSource(http, json, properties.whatsapp(), hosts.whatsapp());
    }

    @Bean
    TwilioMediaSource twilioMediaSource(InboundHttp http, InboundProperties properties, ProviderHosts hosts) {
        return new TwilioMediaSource(http, properties.twilio(), hosts.twilio());
    }

    @Bean
    NotifyMediaSource notifyMediaSource(InboundHttp http, InboundProperties properties, ProviderHosts hosts) {
        return new NotifyMediaSource(http, properties.notificationApi(), hosts.notificationApi());
    }

    @Bean
    InboundMediaFetcher inboundMediaFetcher(List<MediaSource> sources, MediaStore store, InboundProperties properties,
                                            IngestProperties ingest, Clock clock) {
        return new InboundMediaFetcher(sources, store, properties.maxSize().toBytes(), ingest.fetch().totalTimeout(), clock);
    }

    @Bean
    FetchPolicy inboundFetchPolicy(InboundProperties properties) {
        return new FetchPolicy(properties.fetchBackoff(), properties.fetchGiveUpAfter());
    }

    @Bean
    InboundProcessor inboundProcessor(InboundMediaFetcher fetcher, FetchPolicy policy, MediaStore store,
                                      EventPublisher publisher, KafkaTemplate<Object, Object> template, Clock clock) {
        return new InboundProcessor(fetcher, policy, store, publisher, template, clock);
    }

    @Bean
    InboundMessageListener inboundMessageListener(InboundProcessor processor) {
        return new InboundMessageListener(processor);
    }

    @Bean
    InboundRetryListener inboundRetryListener(InboundProcessor processor, InboundProperties properties, Clock clock) {
        return new InboundRetryListener(processor, properties.retryHop(), clock);
    }

    /**
     * Containers of the retry topic's listener: Boot's settings and the dead-letter error handler, with manual
     * acknowledgement so a record not yet readable can be negatively acknowledged (seek back, pause while polling),
     * and a poll timeout no longer than the hop (at most 1 s): the container only wakes from such a pause between
     * polls, and a paused poll waits its whole timeout.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> inboundRetryContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
            InboundProperties properties) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        long hop = properties.retryHop().toMillis();
        factory.getContainerProperties().setPollTimeout(Math.max(50, Math.min(hop, 1000)));
        return factory;
    }
}
