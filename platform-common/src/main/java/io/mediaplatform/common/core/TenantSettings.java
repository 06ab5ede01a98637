package io.mediaplatform.common.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one grammar of the per-tenant settings ({@code MEDIA_TENANT_PROFILES}, {@code FALLBACK_TENANTS},
 * {@code SMS_PROVIDER_TENANTS}, {@code MEDIA_RETENTION_TENANTS}): entries separated by {@code ;} (and by {@code ,}
 * too when a value is never a list), each {@code <tenantId><separator><value>}, blanks around either part and empty
 * entries ignored. The tenant id ends at the first {@code =}, or at the last {@code :} (a tenant id has neither).
 * A malformed entry is refused with one message: {@code <SETTING>: '<entry>' is not <tenantId>=<value shape>}.
 *
 * @param setting            the environment variable, named in the error
 * @param separator          {@code '='} or {@code ':'}
 * @param valueShape         how a value looks, for the error (e.g. {@code <profile>})
 * @param commaSeparatesEntries whether {@code ,} separates entries as {@code ;} does (not when a value is a list)
 */
public record TenantSettings(String setting, char separator, String valueShape, boolean commaSeparatesEntries) {

    public TenantSettings {
        if (separator != '=' && separator != ':') {
            throw new IllegalArgumentException("A tenant setting separates tenant and value by = or :");
        }
    }

    /** The entries in their order, tenant id to value (both stripped); empty for null or blank text. */
    public Map<String, String> parse(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return entries;
        }
        for (String entry : text.split(commaSeparatesEntries ? "[;,]" : ";")) {
            if (entry.isBlank()) {
                continue;
            }
            int at = separator == '=' ? entry.indexOf('=') : entry.lastIndexOf(':');
            String tenant = at < 0 ? "" : entry.substring(0, at).strip();
            String value = at < 0 ? "" : entry.substring(at + 1).strip();
            if (tenant.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException(malformed(entry));
            }
            entries.put(tenant, value);
        }
        return entries;
    }

    /** The error of a malformed entry. */
    public String malformed(String entry) {
        return setting + ": '" + entry.strip() + "' is not <tenantId>" + separator + valueShape;
    }
}
