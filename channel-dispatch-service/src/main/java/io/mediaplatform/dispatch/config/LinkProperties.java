package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Signed media links handed to providers.
 *
 * @param publicBaseUrl ingest's public base URL, reachable by the providers ({@code INGEST_PUBLIC_URL})
 * @param signingKey    HMAC key shared with ingest, at least 32 characters ({@code LINK_SIGNING_KEY})
 * @param ttl           how long a link stays valid ({@code PROVIDER_MEDIA_LINK_TTL}; long enough for the provider to fetch the media)
 */
@ConfigurationProperties("dispatch.links")
public record LinkProperties(
        @DefaultValue("http://127.0.0.1:8080") String publicBaseUrl,
        @DefaultValue("dev-only-link-signing-key-CHANGE-ME-0123456789") String signingKey,
        @DefaultValue("900s") Duration ttl) {

    /** Without the key. */
    @Override
    public String toString() {
        return "LinkProperties[publicBaseUrl=" + publicBaseUrl + ", signingKey=<set>, ttl=" + ttl + "]";
    }
}
