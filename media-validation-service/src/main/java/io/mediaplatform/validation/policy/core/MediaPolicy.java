package io.mediaplatform.validation.policy.core;

import java.util.Map;
import java.util.Optional;

/**
 * The media policy (docs/DESIGN.md §5) as data: rules per channel and media kind, loaded from YAML by an adapter,
 * with optional per-tenant overrides (a tenant's rule for a channel and kind replaces the default one).
 *
 * @param channels rules per channel
 * @param tenants  per tenant id, the channel rules that override the defaults (only the kinds they name)
 */
public record MediaPolicy(Map<MediaChannel, ChannelRules> channels, Map<String, Map<MediaChannel, ChannelRules>> tenants) {

    public MediaPolicy {
        channels = Map.copyOf(channels);
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    /** A policy without tenant overrides. */
    public MediaPolicy(Map<MediaChannel, ChannelRules> channels) {
        this(channels, Map.of());
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
