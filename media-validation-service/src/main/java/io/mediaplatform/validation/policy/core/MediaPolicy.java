package io.mediaplatform.validation.policy.core;

import java.util.Map;
import java.util.Optional;

/**
 * The media policy (docs/ARCHITECTURE.md §5) as data: rules per channel and media kind, loaded from YAML by an adapter,
 * with optional per-tenant overrides (a tenant's rule for a channel and kind replaces the default one), and named
 * profiles: a product's own table of kinds, types and sizes (e.g. {@code notification-api}), chosen per tenant or per
 * inbox, that media must pass besides its channel's rules (so the stricter of the two wins).
 *
 * @param channels       rules per channel
 * @param tenants        per tenant id, the channel rules that override the defaults (only the kinds they name)
 * @param profiles       per profile name, its rules per kind (a kind it does not name is one it does not carry)
 * @param tenantProfiles per tenant id, the profile its media is judged by when its inbox names none
 */
public record MediaPolicy(Map<MediaChannel, ChannelRules> channels, Map<String, Map<MediaChannel, ChannelRules>> tenants,
                          Map<String, ChannelRules> profiles, Map<String, String> tenantProfiles) {

    public MediaPolicy {
        channels = Map.copyOf(channels);
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
        profiles = profiles == null ? Map.of() : Map.copyOf(profiles);
        tenantProfiles = tenantProfiles == null ? Map.of() : Map.copyOf(tenantProfiles);
        for (Map.Entry<String, String> chosen : tenantProfiles.entrySet()) {
            if (!profiles.containsKey(chosen.getValue())) {
                throw new IllegalArgumentException("tenant " + chosen.getKey() + " is given the media profile "
                        + chosen.getValue() + ", which is not defined (defined: " + new java.util.TreeSet<>(profiles.keySet()) + ")");
            }
        }
    }

    /** A policy without profiles. */
    public MediaPolicy(Map<MediaChannel, ChannelRules> channels, Map<String, Map<MediaChannel, ChannelRules>> tenants) {
        this(channels, tenants, Map.of(), Map.of());
    }

    /** A policy without tenant overrides or profiles. */
    public MediaPolicy(Map<MediaChannel, ChannelRules> channels) {
        this(channels, Map.of());
    }

    /** The same policy with these tenants' profiles (tenant id to profile name; each must be defined). */
    public MediaPolicy withTenantProfiles(Map<String, String> chosen) {
        return new MediaPolicy(channels, tenants, profiles, chosen);
    }

    /** The name of the profile that applies: the inbox's when it names one, else the tenant's, else none. */
    public Optional<String> profileFor(String tenantId, String inboxProfile) {
        if (inboxProfile != null && !inboxProfile.isBlank()) {
            return Optional.of(inboxProfile);
        }
        return Optional.ofNullable(tenantId == null ? null : tenantProfiles.get(tenantId));
    }

    /** The rules of a profile, if it is defined. */
    public Optional<ChannelRules> profile(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    /** The default rules of that channel, if the policy has any. */
    public Optional<ChannelRules> rules(MediaChannel channel) {
        return Optional.ofNullable(channels.get(channel));
    }

    /** The rule for that tenant, channel and kind: the tenant's override if it has one, else the default. */
    public Optional<KindRule> rule(String tenantId, MediaChannel channel, Kind kind) {
        if (tenantId != null) {
            Optional<KindRule> override = Optional.ofNullable(tenants.get(tenantId))
                    .map(byChannel -> byChannel.get(channel))
                    .flatMap(rules -> rules.rule(kind));
            if (override.isPresent()) {
                return override;
            }
        }
        return rules(channel).flatMap(rules -> rules.rule(kind));
    }
}
