package io.mediaplatform.validation.policy.core;

import java.util.Set;

/**
 * What one channel accepts for one media kind.
 *
 * @param contentTypes     allowed (normalised) content types, e.g. {@code image/jpeg}
 * @param maxBytes         largest accepted size in bytes
 * @param animatedMaxBytes largest accepted size of an animation (animated WebP sticker), 0 for the same as
 *                         {@code maxBytes}
 * @param codecs           codecs allowed inside ISO base media files ({@link CodecRule#ANY} for any)
 */
public record KindRule(Set<String> contentTypes, long maxBytes, long animatedMaxBytes, CodecRule codecs) {

    public KindRule {
        contentTypes = Set.copyOf(contentTypes);
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        if (animatedMaxBytes < 0) {
            throw new IllegalArgumentException("animatedMaxBytes must not be negative");
        }
        codecs = codecs == null ? CodecRule.ANY : codecs;
    }

    /** A rule of types and size only. */
    public KindRule(Set<String> contentTypes, long maxBytes) {
        this(contentTypes, maxBytes, 0, CodecRule.ANY);
    }

    /** Whether the (normalised) content type is allowed. */
    public boolean allows(String contentType) {
        return contentType != null && contentTypes.contains(contentType);
    }

    /** The size limit of a still or an animated media. */
    public long limit(boolean animated) {
        return animated && animatedMaxBytes > 0 ? animatedMaxBytes : maxBytes;
    }
}
