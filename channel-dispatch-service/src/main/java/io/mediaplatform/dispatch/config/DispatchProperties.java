package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Service-wide dispatch settings.
 *
 * @param publicUrl            this service's public base URL, as providers call it back: the base of the status
 *                             callback URLs handed to Twilio and the notification API, and of Twilio's signed URL
 *                             ({@code DISPATCH_PUBLIC_URL})
 * @param ledgerRetention      how far back the send ledger is rebuilt from {@code message.status.v1} and how long a
 *                             sent message id is remembered ({@code DISPATCH_LEDGER_RETENTION})
 * @param ledgerRebuildMaxTime longest a rebuild may take on partition assignment ({@code DISPATCH_LEDGER_REBUILD_MAX_TIME})
 * @param parallelSends        most provider calls one listener thread has under way at once, for the conversations of
 *                             one poll ({@code DISPATCH_PARALLEL_SENDS}); a conversation's messages go one after another
 */
@ConfigurationProperties("dispatch")
public record DispatchProperties(
        @DefaultValue("http://127.0.0.1:8082") String publicUrl,
        @DefaultValue("7d") Duration ledgerRetention,
        @DefaultValue("60s") Duration ledgerRebuildMaxTime,
        @DefaultValue("32") int parallelSends) {
}
