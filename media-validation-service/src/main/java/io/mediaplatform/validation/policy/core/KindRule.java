package io.mediaplatform.validation.policy.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * What one channel accepts for one media kind.
 *
 * @param contentTypes     allowed (normalised) content types, e.g. {@code image/jpeg}; {@code image/*} allows every
 *                         image type, {@code *}{@code /*} every type
 * @param maxBytes         largest accepted size in bytes
 * @param animatedMaxBytes largest accepted size of an animation (animated WebP sticker), 0 for the same as
 *                         {@code maxBytes}
 * @param codecs           codecs allowed inside ISO base media files ({@link CodecRule#ANY} for any)
 * @param directions       the rule to apply instead for media going one way (e.g. smaller outbound limits)
 * @param fit              auto-fit settings of the kind ({@link FitRule#UNSET} for the service defaults)
 */
public record KindRule(Set<String> contentTypes, long maxBytes, long animatedMaxBytes, CodecRule codecs,
                       Map<MediaDirection, KindRule> directions, FitRule fit) {

    public KindRule {
        contentTypes = Set.copyOf(contentTypes);
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        if (animatedMaxBytes < 0) {
            throw new IllegalArgumentException("animatedMaxBytes must not be negative");
        }
        codecs = codecs == null ? CodecRule.ANY : codecs;
        directions = directions == null || directions.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(directions));
        fit = fit == null ? FitRule.UNSET : fit;
    }

    /** A rule with the service's auto-fit defaults. */
    public KindRule(Set<String> contentTypes, long maxBytes, long animatedMaxBytes, CodecRule codecs,
                    Map<MediaDirection, KindRule> directions) {
        this(contentTypes, maxBytes, animatedMaxBytes, codecs, directions, FitRule.UNSET);
    }

    /** A rule of types and size only. */
    public KindRule(Set<String> contentTypes, long maxBytes) {
        this(contentTypes, maxBytes, 0, CodecRule.ANY, Map.of());
    }

    /** A rule without per-direction variants. */
    public KindRule(Set<String> contentTypes, long maxBytes, long animatedMaxBytes, CodecRule codecs) {
        this(contentTypes, maxBytes, animatedMaxBytes, codecs, Map.of());
    }

    /** The rule for media going that way: its direction variant when there is one, else this rule. */
    public KindRule forDirection(MediaDirection direction) {
        return direction == null ? this : directions.getOrDefault(direction, this);
    }

    /** Whether the (normalised) content type is allowed: listed, or under a listed {@code image/*} or {@code *}{@code /*}. */
    public boolean allows(String contentType) {
        if (contentType == null) {
            return false;
        }
        int slash = contentType.indexOf('/');
        return contentTypes.contains(contentType) || contentTypes.contains("*/*")
                || (slash > 0 && contentTypes.contains(contentType.substring(0, slash) + "/*"));
    }

    /** The size limit of a still or an animated media. */
    public long limit(boolean animated) {
        return animated && animatedMaxBytes > 0 ? animatedMaxBytes : maxBytes;
    }
}
