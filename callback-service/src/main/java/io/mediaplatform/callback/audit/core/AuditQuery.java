package io.mediaplatform.callback.audit.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A search of the audit trail ({@code GET /v1/audit?mediaId=|assetId=|to=|from=&to=&limit=&cursor=}), newest first.
 * {@code from} and {@code to} bound the time (ISO-8601); a {@code to} that is not a time is the recipient's address
 * (also {@code recipient=}).
 *
 * @param mediaId   the media, or null
 * @param assetId   the asset, or null
 * @param recipient the recipient's address, or null
 * @param since     earliest time (inclusive), or null
 * @param until     latest time (exclusive), or null
 * @param limit     page size, 1 to {@value #MAX_LIMIT}
 * @param cursor    where the previous page ended, or null
 */
public record AuditQuery(String mediaId, String assetId, String recipient, Instant since, Instant until, int limit,
                         Cursor cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    /** The last entry of a page. */
    public record Cursor(Instant at, String messageId) {
    }

    /** Checks the parameters; {@link IllegalArgumentException} says which is wrong. */
    public static AuditQuery parse(String mediaId, String assetId, String recipient, String from, String to,
                                   int limit, Cursor cursor) {
        Instant until = null;
        String address = blankToNull(recipient);
        if (to != null && !to.isBlank()) {
            try {
                until = Instant.parse(to.strip());
            } catch (DateTimeParseException e) {
                address = to.strip();
            }
        }
        Instant since = null;
        if (from != null && !from.isBlank()) {
            try {
                since = Instant.parse(from.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("from must be an ISO-8601 time such as 2026-12-01T00:00:00Z");
            }
        }
        return new AuditQuery(blankToNull(mediaId), blankToNull(assetId), address, since, until, limit, cursor);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
