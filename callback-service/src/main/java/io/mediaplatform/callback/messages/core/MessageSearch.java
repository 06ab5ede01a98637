package io.mediaplatform.callback.messages.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A search of a tenant's messages, newest first: every criterion is optional (none lists the latest messages).
 *
 * @param externalId     client's own id
 * @param clientId       client id
 * @param conversationId conversation id
 * @param from           created at or after (inclusive)
 * @param to             created before (exclusive)
 * @param limit          page size, 1 to {@link #MAX_LIMIT}
 * @param cursor         where the previous page ended, or null for the first page
 * @param direction      INBOUND or OUTBOUND only, or null for both
 */
public record MessageSearch(String externalId, String clientId, String conversationId, Instant from, Instant to,
                            int limit, MessageCursor cursor, MessageDirection direction) {

    /** Largest page. */
    public static final int MAX_LIMIT = 100;
    /** Page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 50;

    public MessageSearch {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /** A search of messages of both directions. */
    public MessageSearch(String externalId, String clientId, String conversationId, Instant from, Instant to, int limit,
                         MessageCursor cursor) {
        this(externalId, clientId, conversationId, from, to, limit, cursor, null);
    }

    /** Reads the query parameters of a search of both directions; see the other {@code parse}. */
    public static MessageSearch parse(String externalId, String clientId, String conversationId, String from, String to,
                                      String limit, String cursor) {
        return parse(externalId, clientId, conversationId, from, to, limit, cursor, null);
    }

    /**
     * Reads the query parameters as a client sends them (any may be null or blank).
     *
     * @throws IllegalArgumentException with a message fit for the client when one is malformed
     */
    public static MessageSearch parse(String externalId, String clientId, String conversationId, String from, String to,
                                      String limit, String cursor, String direction) {
        int size = DEFAULT_LIMIT;
        if (!blank(limit)) {
            try {
                size = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit must be a number between 1 and " + MAX_LIMIT);
            }
        }
        return new MessageSearch(orNull(externalId), orNull(clientId), orNull(conversationId), instant("from", from),
                instant("to", to), size, blank(cursor) ? null : MessageCursor.decode(cursor),
                blank(direction) ? null : MessageDirection.parse(direction));
    }

    private static Instant instant(String name, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-03-01T10:00:00Z");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String orNull(String value) {
        return blank(value) ? null : value.trim();
    }
}
