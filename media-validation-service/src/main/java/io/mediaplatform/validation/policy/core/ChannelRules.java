package io.mediaplatform.validation.policy.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One channel's rules per media kind; a kind the channel does not carry (MMS stickers) has no rule.
 *
 * @param kinds rule per kind
 */
public record ChannelRules(Map<Kind, KindRule> kinds) {

    public ChannelRules {
        kinds = kinds.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(kinds));
    }

    /** The rule for that kind, if the channel carries it. */
    public Optional<KindRule> rule(Kind kind) {
        return Optional.ofNullable(kinds.get(kind));
    }
}
