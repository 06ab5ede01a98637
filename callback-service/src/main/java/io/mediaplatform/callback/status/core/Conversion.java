package io.mediaplatform.callback.status.core;

import java.util.Objects;

/**
 * What validation converted so a message's media fits its channel (auto-fit), as the QUEUED status that follows its
 * acceptance tells it: the message history and its webhooks show it as {@code converted}.
 *
 * @param renditionMediaId media id of the rendition sent instead of the original
 * @param from             type of the original
 * @param to               type of the rendition
 * @param sizeBefore       size in bytes of the original
 * @param sizeAfter        size in bytes of the rendition
 */
public record Conversion(String renditionMediaId, String from, String to, long sizeBefore, long sizeAfter) {

    public Conversion {
        Objects.requireNonNull(renditionMediaId, "renditionMediaId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
