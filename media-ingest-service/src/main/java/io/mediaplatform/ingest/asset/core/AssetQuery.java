package io.mediaplatform.ingest.asset.core;

import io.mediaplatform.ingest.core.InvalidInputException;

import java.time.Instant;
import java.util.Locale;

/**
 * A search of the library ({@code GET /v1/assets?q=&tag=&kind=&limit=&cursor=}), newest first, keyset paged.
 *
 * @param text   words the name must contain (case-insensitive), or null
 * @param tag    a tag the asset must carry, or null
 * @param kind   image, video, audio or document, or null
 * @param limit  page size, 1 to {@value #MAX_LIMIT}
 * @param cursor where the previous page ended, or null for the first page
 */
public record AssetQuery(String text, String tag, String kind, int limit, Cursor cursor) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** The last asset of a page: the next page starts after it. */
    public record Cursor(Instant createdAt, String assetId) {
    }

    /** Checks the query parameters. */
    public static AssetQuery parse(String q, String tag, String kind, int limit, Cursor cursor) {
        String text = q == null || q.isBlank() ? null : q.strip();
        if (text != null && text.length() > AssetChange.MAX_NAME) {
            throw new InvalidInputException("q", "q must be at most " + AssetChange.MAX_NAME + " characters");
        }
        String oneTag = null;
        if (tag != null && !tag.isBlank()) {
            oneTag = AssetChange.of(null, java.util.List.of(tag), null).tags().getFirst();
        }
        return new AssetQuery(text == null ? null : text.toLowerCase(Locale.ROOT), oneTag, AssetKind.parse(kind), limit,
                cursor);
    }
}
