package io.mediaplatform.ingest.media.core;

import io.mediaplatform.ingest.core.InvalidInputException;

import java.util.Arrays;
import java.util.Locale;

/** The channels a client may name (the event schema adds UNKNOWN for readers only). */
public enum MediaChannel {
    WHATSAPP, MMS, RCS, WEBCHAT, EMAIL, SMS, PUSH;

    /** Parses a channel name case-insensitively; {@code field} names the input for the error. */
    public static MediaChannel parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " is required (one of " + names() + ")");
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, field + " must be one of " + names());
        }
    }

    static String names() {
        return String.join(", ", Arrays.stream(values()).map(Enum::name).toList());
    }
}
