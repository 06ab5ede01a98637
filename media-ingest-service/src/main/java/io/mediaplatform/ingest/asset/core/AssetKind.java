package io.mediaplatform.ingest.asset.core;

import io.mediaplatform.ingest.core.InvalidInputException;

import java.util.List;
import java.util.Locale;

/** What an asset is, from its content type: what the library is filtered by ({@code kind=}). */
public final class AssetKind {

    public static final List<String> ALL = List.of("image", "video", "audio", "document");

    private AssetKind() {
    }

    /** {@code image}, {@code video}, {@code audio}, else {@code document}. */
    public static String of(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("image/")) {
            return "image";
        }
        if (type.startsWith("video/")) {
            return "video";
        }
        if (type.startsWith("audio/")) {
            return "audio";
        }
        return "document";
    }

    /** The kind named by a query, or null when none is given. */
    public static String parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String kind = value.strip().toLowerCase(Locale.ROOT);
        if (!ALL.contains(kind)) {
            throw new InvalidInputException("kind", "kind must be one of " + String.join(", ", ALL));
        }
        return kind;
    }
}
