package io.mediaplatform.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The small real media files committed under {@code src/test/resources/media/}. */
public final class MediaFiles {

    private MediaFiles() {
    }

    /** The bytes of {@code media/<path>}. */
    public static byte[] bytes(String path) {
        try (InputStream in = MediaFiles.class.getResourceAsStream("/media/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test file media/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
