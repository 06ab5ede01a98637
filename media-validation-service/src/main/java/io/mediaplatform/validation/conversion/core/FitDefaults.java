package io.mediaplatform.validation.conversion.core;

import io.mediaplatform.validation.policy.core.AutoFit;
import io.mediaplatform.validation.policy.core.MediaChannel;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Auto-fit where the media policy sets none for the kind (ARCHITECTURE §5): the service's mode, and per tenant (or tenant
 * and channel) overrides of it ({@code VALIDATION_AUTO_FIT_TENANTS=acme=off;globex:WHATSAPP=images}).
 *
 * @param mode    the service's mode ({@code VALIDATION_AUTO_FIT}, resolved: {@code all} where ffmpeg runs, else
 *                {@code images}, when it is {@code auto})
 * @param tenants per {@code tenant} or {@code tenant:CHANNEL}, the mode that applies instead
 */
public record FitDefaults(AutoFit mode, Map<String, AutoFit> tenants) {

    public FitDefaults {
        if (mode == null) {
            throw new IllegalArgumentException("an auto-fit mode is needed");
        }
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    /** One mode for every tenant. */
    public static FitDefaults of(AutoFit mode) {
        return new FitDefaults(mode, Map.of());
    }

    /** The mode for a tenant's media on a channel: its {@code tenant:CHANNEL} entry, else its tenant's, else the service's. */
    public AutoFit modeFor(String tenantId, MediaChannel channel) {
        if (tenantId != null) {
            AutoFit exact = channel == null ? null : tenants.get(tenantId + ":" + channel.name());
            if (exact != null) {
                return exact;
            }
            AutoFit tenant = tenants.get(tenantId);
            if (tenant != null) {
                return tenant;
            }
        }
        return mode;
    }

    /** Whether some tenant's media may be converted with ffmpeg (a mode of all anywhere). */
    public boolean anyAll() {
        return mode == AutoFit.ALL || tenants.containsValue(AutoFit.ALL);
    }

    /**
     * {@code <tenant>=<mode>} or {@code <tenant>:<CHANNEL>=<mode>} pairs separated by {@code ;} (as
     * {@code MEDIA_TENANT_PROFILES}); a bad entry (no {@code =}, an unknown channel or mode) stops the start.
     */
    public static Map<String, AutoFit> parseTenants(String pairs) {
        Map<String, AutoFit> modes = new LinkedHashMap<>();
        if (pairs == null || pairs.isBlank()) {
            return modes;
        }
        for (String pair : pairs.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("Invalid auto-fit tenants: '" + pair.trim()
                        + "' is not <tenantId>=<mode> or <tenantId>:<CHANNEL>=<mode>");
            }
            String who = pair.substring(0, eq).trim();
            int colon = who.indexOf(':');
            if (colon == 0 || colon == who.length() - 1) {
                throw new IllegalArgumentException("Invalid auto-fit tenants: '" + pair.trim() + "' names no tenant or channel");
            }
            if (colon > 0) {
                String channel = who.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
                try {
                    MediaChannel.valueOf(channel);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Invalid auto-fit tenants: '" + pair.trim()
                            + "' names the unknown channel " + channel);
                }
                who = who.substring(0, colon).trim() + ":" + channel;
            }
            try {
                modes.put(who, AutoFit.parse(pair.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid auto-fit tenants: '" + pair.trim() + "': " + e.getMessage());
            }
        }
        return modes;
    }
}
