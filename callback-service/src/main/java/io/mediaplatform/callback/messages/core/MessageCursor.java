package io.mediaplatform.callback.messages.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a page of messages (newest first) ends: the creation time and id of its last message. Clients see it
 * as an opaque token, base64url of {@code <createdAt ISO-8601>|<messageId>}.
 *
 * @param createdAt creation time of the last message of the page
 * @param messageId its id
 */
public record MessageCursor(Instant createdAt, String messageId) {

    public MessageCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(messageId, "messageId");
    }

    /** The opaque token. */
    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((createdAt + "|" + messageId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a token made by {@link #encode()}.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static MessageCursor decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            if (bar <= 0 || bar == text.length() - 1) {
                throw new IllegalArgumentException("no separator");
            }
            return new MessageCursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("The cursor is not one this API gave out");
        }
    }
}
