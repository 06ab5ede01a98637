package io.mediaplatform.callback.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Message retention (ARCHITECTURE §10): messages recorded longer ago than {@code retention} are deleted like
 * {@code DELETE /v1/messages/{id}} (reason RETENTION, their media with them unless still named elsewhere).
 *
 * @param retention     how long a message is kept ({@code MESSAGE_RETENTION}); 0s, the default, keeps them for ever
 * @param sweepInterval how often the sweep runs ({@code MESSAGE_RETENTION_SWEEP_INTERVAL}, 1h; 0s: never)
 */
@ConfigurationProperties("callback.message-retention")
public record MessageRetentionProperties(@DefaultValue("0s") Duration retention,
                                         @DefaultValue("1h") Duration sweepInterval) {
}
