package io.mediaplatform.common.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * API-key security of an edge.
 *
 * @param apiKeys     hashed keys, {@code tenantId:sha256hex[:scopes]} separated by {@code ;} ({@code API_KEYS})
 * @param publicPaths path patterns under {@code /v1} that need no key (the service checks them otherwise,
 *                    e.g. provider signatures or signed links)
 */
@ConfigurationProperties("platform.security")
public record SecurityProperties(String apiKeys, @DefaultValue List<String> publicPaths) {
}
