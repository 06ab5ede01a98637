package io.mediaplatform.validation.policy.core;

import java.util.Optional;

/**
 * What the {@link Validator} may ask about a media's bytes beyond its type, answered lazily (only when a rule
 * needs it) by an adapter that reads just the bytes it needs.
 */
public interface ContentProbe {

    /** A probe that knows nothing: no structure problem, not animated, tracks not inspected. */
    ContentProbe NONE = new ContentProbe() {
        @Override
        public Optional<String> structureProblem(String contentType) {
            return Optional.empty();
        }

        @Override
        public boolean animated(String contentType) {
            return false;
        }

        @Override
        public Optional<MediaTracks> tracks(String contentType) {
            return Optional.empty();
        }
    };

    /**
     * Why a media of that (detected) type is broken, e.g. {@code "truncated or corrupt PNG: ..."}; empty when it
     * looks whole or the type has no structure check.
     */
    Optional<String> structureProblem(String contentType);

    /** Whether the media is an animation (an animated WebP). */
    boolean animated(String contentType);

    /** The tracks of an ISO base media file (MP4, 3GP, M4A); empty when the type has none or was not inspected. */
    Optional<MediaTracks> tracks(String contentType);

    /** Whether the media carries location metadata (a JPEG's EXIF GPS IFD or XMP GPS fields); false when unknown. */
    default boolean carriesLocation(String contentType) {
        return false;
    }
}
