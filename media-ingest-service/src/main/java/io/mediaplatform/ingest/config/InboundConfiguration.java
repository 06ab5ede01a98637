package io.mediaplatform.ingest.config;

import io.mediaplatform.common.http.OutboundProperties;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.signing.InboundMediaSigner;
import io.mediaplatform.ingest.inbound.core.FetchPolicy;
import io.mediaplatform.ingest.inbound.fetch.DispatchMediaSource;
import io.mediaplatform.ingest.inbound.fetch.InboundMediaFetcher;
import io.mediaplatform.ingest.inbound.kafka.InboundMessageListener;
import io.mediaplatform.ingest.inbound.kafka.InboundProcessor;
import io.mediaplatform.ingest.inbound.kafka.InboundRetryListener;
import io.mediaplatform.ingest.media.storage.MediaStore;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

/**
 * Wires the fetching of customers' media ({@code inbound}): the one source, channel-dispatch-service's
 * inbound-media endpoint (ingest holds no provider credential), the fetch policy, and the listeners on
 * {@code message.inbound.v1} and {@code ingest.inbound-retry.v1}.
 */
@Configuration(proxyBeanMethods = false)
public class InboundConfiguration {

    /**
     * The client of dispatch's {@code GET /v1/providers/{provider}/inbound-media}: calls {@code DISPATCH_INTERNAL_URL}
     * only, signs each request with {@code LINK_SIGNING_KEY}, connect/read timeouts from {@code platform.outbound}.
     */
    @Bean(destroyMethod = "close")
    DispatchMediaSource dispatchMediaSource(InboundProperties properties, IngestProperties ingest, JsonMapper json,
                                            OutboundProperties outbound, Clock clock) {
        return new DispatchMediaSource(properties.dispatchUrl(), new InboundMediaSigner(ingest.links().signingKey()),
                json, outbound.connectTimeout(), outbound.readTimeout(), clock);
    }

    @Bean
    InboundMediaFetcher inboundMediaFetcher(DispatchMediaSource source, MediaStore store, InboundProperties properties,
                                            IngestProperties ingest, Clock clock, ObjectProvider<MeterRegistry> meters) {
        return new InboundMediaFetcher(source, store, properties.maxSize().toBytes(), ingest.fetch().totalTimeout(), clock,
                meters.getIfAvailable(SimpleMeterRegistry::new));
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
