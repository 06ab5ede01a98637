package io.mediaplatform.dispatch.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mediaplatform.dispatch.config.WebhookReplayProperties;
import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import io.mediaplatform.dispatch.webhook.core.TimestampTolerance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The replay defence of the provider status webhooks: one in-memory {@link ReplayGuard} shared by the WhatsApp,
 * Twilio and notification API endpoints (their keys name the provider), and the tolerance of signed webhook
 * timestamps. The webhook controllers take both by constructor. The memory is per instance: across several dispatch
 * instances callback-service's own duplicate check of {@code message.status.v1} still applies.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookReplayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebhookReplayConfiguration.class);

    @Bean
    ReplayGuard webhookReplayGuard(WebhookReplayProperties properties, Clock dispatchClock,
                                   ObjectProvider<MeterRegistry> meters) {
        if (properties.window().compareTo(properties.timestampTolerance()) < 0) {
            log.warn("DISPATCH_WEBHOOK_REPLAY_WINDOW ({}) is shorter than DISPATCH_WEBHOOK_TIMESTAMP_TOLERANCE ({}): "
                    + "a signed webhook replayed after the window but within the tolerance would be published again",
                    properties.window(), properties.timestampTolerance());
        }
        ReplayGuard guard = new ReplayGuard(properties.window(), properties.maxEntries(), dispatchClock);
        meters.ifAvailable(registry -> {
            Gauge.builder("dispatch.webhook.replay.remembered", guard, ReplayGuard::size)
                    .description("provider webhook events remembered for replay detection").register(registry);
            FunctionCounter.builder("dispatch.webhook.replay.evicted", guard, g -> g.evictedForSpace())
                    .description("remembered webhook events forgotten early to stay within DISPATCH_WEBHOOK_REPLAY_MAX_ENTRIES")
                    .register(registry);
        });
        return guard;
    }

    @Bean
    TimestampTolerance webhookTimestampTolerance(WebhookReplayProperties properties) {
        return new TimestampTolerance(properties.timestampTolerance());
    }
}
