package io.mediaplatform.callback.webhook.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Standard Webhooks signing secret of each tenant, parsed from {@code tenantId:whsec_...;tenantId2:whsec_...}.
 * {@link #toString()} never shows a secret.
 *
 * @param byTenant secret per tenant id
 */
public record WebhookSecrets(Map<String, String> byTenant) {

    public WebhookSecrets {
        byTenant = Map.copyOf(byTenant);
    }

    /** Parses the configuration value; blank gives no secrets. */
    public static WebhookSecrets parse(String spec) {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (spec != null) {
            for (String entry : spec.split(";")) {
                String trimmed = entry.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int colon = trimmed.indexOf(':');
                if (colon <= 0 || colon == trimmed.length() - 1) {
                    throw new IllegalArgumentException("WEBHOOK_SECRETS entries must be tenantId:whsec_...; one entry is not"
                            + (colon > 0 ? " (tenant " + trimmed.substring(0, colon) + ")" : ""));
                }
                secrets.put(trimmed.substring(0, colon).trim(), trimmed.substring(colon + 1).trim());
            }
        }
        return new WebhookSecrets(secrets);
    }

    /** The tenant's secret, if one is configured. */
    public Optional<String> secretFor(String tenantId) {
        return Optional.ofNullable(byTenant.get(tenantId));
    }

    @Override
    public String toString() {
        return "WebhookSecrets[tenants=" + byTenant.keySet() + "]";
    }
}
