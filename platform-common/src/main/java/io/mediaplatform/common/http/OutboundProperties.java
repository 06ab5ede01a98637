package io.mediaplatform.common.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * The guard on every URL the platform calls on behalf of a client (upload-from-URL, webhooks).
 *
 * @param allowHosts     host names or IP literals, optionally with {@code :port}, that may be private/loopback anyway ({@code OUTBOUND_ALLOW_HOSTS},
 *                       comma-separated; empty by default: only public addresses)
 * @param webhookAllowHosts the same for client webhook URLs ({@code WEBHOOK_ALLOW_HOSTS}; defaults to
 *                       {@code OUTBOUND_ALLOW_HOSTS})
 * @param connectTimeout connect timeout ({@code OUTBOUND_CONNECT_TIMEOUT})
 * @param readTimeout    time to wait for a response ({@code OUTBOUND_READ_TIMEOUT})
 * @param keepAlive      how long a connection is kept open after an exchange, for the next request to the same
 *                       checked address ({@code OUTBOUND_KEEP_ALIVE}; 0 closes each one)
 */
@ConfigurationProperties("platform.outbound")
public record OutboundProperties(
        @DefaultValue List<String> allowHosts,
        @DefaultValue List<String> webhookAllowHosts,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration readTimeout,
        @DefaultValue("4s") Duration keepAlive) {
}
