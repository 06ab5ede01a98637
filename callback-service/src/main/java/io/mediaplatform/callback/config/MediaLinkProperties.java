package io.mediaplatform.callback.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Signed download links to customers' media in {@code message.received} webhooks, made fresh at each attempt.
 *
 * @param publicBaseUrl ingest's public base URL, reachable by the clients ({@code INGEST_PUBLIC_URL},
 *                      http://127.0.0.1:8080)
 * @param signingKey    HMAC key shared with ingest, at least 32 characters ({@code LINK_SIGNING_KEY}; the default
 *                      is the development key ingest and dispatch default to, never for a real deployment)
 * @param ttl           how long a link stays valid ({@code MEDIA_LINK_TTL}, 300s)
 */
@ConfigurationProperties("callback.media-links")
public record MediaLinkProperties(
        @DefaultValue("http://127.0.0.1:8080") String publicBaseUrl,
        @DefaultValue("dev-only-link-signing-key-CHANGE-ME-0123456789") String signingKey,
        @DefaultValue("300s") Duration ttl) {

    /** Without the key. */
    @Override
    public String toString() {
        return "MediaLinkProperties[publicBaseUrl=" + publicBaseUrl + ", signingKey=<hidden>, ttl=" + ttl + "]";
    }
}
