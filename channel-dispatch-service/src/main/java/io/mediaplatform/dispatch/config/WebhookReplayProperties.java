package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Replay defence of the provider status webhooks ({@code dispatch.webhook-replay}).
 *
 * @param window             how long an event taken from a provider webhook is remembered, so that the same event
 *                           sent again publishes nothing ({@code DISPATCH_WEBHOOK_REPLAY_WINDOW})
 * @param maxEntries         most events remembered at once; beyond it the oldest are forgotten first
 *                           ({@code DISPATCH_WEBHOOK_REPLAY_MAX_ENTRIES})
 * @param timestampTolerance how far a signed webhook timestamp (the notification API's {@code webhook-timestamp})
 *                           may be from now before the webhook is refused as stale
 *                           ({@code DISPATCH_WEBHOOK_TIMESTAMP_TOLERANCE})
 */
@ConfigurationProperties("dispatch.webhook-replay")
public record WebhookReplayProperties(
        @DefaultValue("24h") Duration window,
        @DefaultValue("100000") int maxEntries,
        @DefaultValue("5m") Duration timestampTolerance) {
}
