package io.mediaplatform.ingest.fallback.core;

import io.mediaplatform.common.core.TenantSettings;
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

    private static final TenantSettings SETTING =
            new TenantSettings("FALLBACK_TENANTS", '=', "<CHANNEL>[,<CHANNEL>...]", false);

    public TenantFallbacks {
        byTenant = Map.copyOf(byTenant);
    }

    /** Parses {@code <tenantId>=<CHANNEL>,<CHANNEL>} pairs separated by {@code ;}; a bad entry stops the start. */
    public static TenantFallbacks parse(String pairs) {
        Map<String, List<String>> byTenant = new LinkedHashMap<>();
        SETTING.parse(pairs).forEach((tenant, names) -> {
            List<String> channels = new ArrayList<>();
            for (String name : names.split(",")) {
                try {
                    channels.add(MediaChannel.parse(SETTING.setting(), name).name());
                } catch (InvalidInputException e) {
                    throw new IllegalStateException(e.getMessage() + " (in '" + tenant + "=" + names + "')");
                }
            }
            byTenant.put(tenant, List.copyOf(channels));
        });
        return new TenantFallbacks(byTenant);
    }

    /** The tenant's default fallback channels, or none. */
    public List<String> forTenant(String tenantId) {
        return tenantId == null ? List.of() : byTenant.getOrDefault(tenantId, List.of());
    }
}
