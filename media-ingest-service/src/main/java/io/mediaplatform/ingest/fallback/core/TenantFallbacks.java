package io.mediaplatform.ingest.fallback.core;

import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.media.core.MediaChannel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each tenant's default fallback channels ({@code FALLBACK_TENANTS}, e.g. {@code acme=MMS,SMS;globex=SMS}): the
 * channels a tenant's message is tried on next when it names none itself. A follow-up attempt never takes them (it
 * carries what is left of its own list), so a chain always ends.
 *
 * @param byTenant channel names in order, per tenant id
 */
public record TenantFallbacks(Map<String, List<String>> byTenant) {

    public TenantFallbacks {
        byTenant = Map.copyOf(byTenant);
    }

    /** Parses {@code <tenantId>=<CHANNEL>,<CHANNEL>} pairs separated by {@code ;}; a bad entry stops the start. */
    public static TenantFallbacks parse(String pairs) {
        Map<String, List<String>> byTenant = new LinkedHashMap<>();
        if (pairs != null) {
            for (String pair : pairs.split(";")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalStateException("FALLBACK_TENANTS: '" + pair.trim() + "' is not <tenantId>=<CHANNEL>[,<CHANNEL>...]");
                }
                List<String> channels = new ArrayList<>();
                for (String name : pair.substring(eq + 1).split(",")) {
                    try {
                        channels.add(MediaChannel.parse("FALLBACK_TENANTS", name).name());
                    } catch (InvalidInputException e) {
                        throw new IllegalStateException(e.getMessage() + " (in '" + pair.trim() + "')");
                    }
                }
                byTenant.put(pair.substring(0, eq).trim(), List.copyOf(channels));
            }
        }
        return new TenantFallbacks(byTenant);
    }

    /** The tenant's default fallback channels, or none. */
    public List<String> forTenant(String tenantId) {
        return tenantId == null ? List.of() : byTenant.getOrDefault(tenantId, List.of());
    }
}
