package io.mediaplatform.validation.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * ClamAV settings: media that passes the policy is streamed to clamd (INSTREAM) when a host or socket is set.
 *
 * @param host         clamd host ({@code CLAMAV_HOST}, empty: no scan)
 * @param port         clamd TCP port ({@code CLAMAV_PORT}, default 3310)
 * @param socket       clamd Unix socket path, used instead of host and port ({@code CLAMAV_SOCKET}, optional)
 * @param failOpen     accept media unscanned when clamd is down ({@code CLAMAV_FAIL_OPEN}, default false: the
 *                     record is retried until clamd answers)
 * @param timeout      connect and read time-out ({@code CLAMAV_TIMEOUT}, default 60s)
 * @param chunkSize    INSTREAM chunk size in bytes (default 65536)
 * @param retryBackoff pause between retries of a media while clamd is down ({@code CLAMAV_RETRY_BACKOFF}, default 5s)
 */
@ConfigurationProperties("validation.antivirus")
public record AntivirusProperties(
        String host,
        @DefaultValue("3310") int port,
        String socket,
        @DefaultValue("false") boolean failOpen,
        @DefaultValue("60s") Duration timeout,
        @DefaultValue("65536") int chunkSize,
        @DefaultValue("5s") Duration retryBackoff) {

    /** Whether a scanner is configured. */
    public boolean enabled() {
        return (host != null && !host.isBlank()) || (socket != null && !socket.isBlank());
    }
}
