package io.mediaplatform.validation.policy.core;

import java.util.Set;

/**
 * What one channel accepts for one media kind.
 *
 * @param contentTypes allowed (normalised) content types, e.g. {@code image/jpeg}
 * @param maxBytes     largest accepted size in bytes
 */
public record KindRule(Set<String> contentTypes, long maxBytes) {

    public KindRule {
        contentTypes = Set.copyOf(contentTypes);
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
    }

    /** Whether the (normalised) content type is allowed. */
    public boolean allows(String contentType) {
        return contentType != null && contentTypes.contains(contentType);
    }
}
