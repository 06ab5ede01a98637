package io.mediaplatform.validation.policy.core;

import java.util.Map;
import java.util.Optional;

/**
 * The media policy (DESIGN §5) as data: rules per channel and media kind, loaded from YAML by an adapter.
 *
 * @param channels rules per channel
 */
public record MediaPolicy(Map<MediaChannel, ChannelRules> channels) {

    public MediaPolicy {
        channels = Map.copyOf(channels);
    }

    /** The rules of that channel, if the policy has any. */
    public Optional<ChannelRules> rules(MediaChannel channel) {
        return Optional.ofNullable(channels.get(channel));
    }
}
