package io.mediaplatform.dispatch.status.core;

import java.util.Objects;

/**
 * What validation converted so a message's media fits its channel (auto-fit, ARCHITECTURE §5), told with the message's
 * QUEUED status.
 *
 * @param renditionMediaId media id of the rendition the provider is sent
 * @param fromContentType  type of the original
 * @param toContentType    type of the rendition
 * @param fromSize         size in bytes of the original
 * @param toSize           size in bytes of the rendition
 * @param description      what was done and why, in a sentence
 */
public record Conversion(String renditionMediaId, String fromContentType, String toContentType, long fromSize,
                         long toSize, String description) {

    public Conversion {
        Objects.requireNonNull(renditionMediaId, "renditionMediaId");
        Objects.requireNonNull(description, "description");
    }
}
