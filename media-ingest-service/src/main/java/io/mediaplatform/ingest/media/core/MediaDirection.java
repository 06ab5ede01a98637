package io.mediaplatform.ingest.media.core;

import io.mediaplatform.ingest.core.InvalidInputException;

import java.util.Locale;

/** INBOUND: customer to agent; OUTBOUND: agent to customer (the default for uploads through the API). */
public enum MediaDirection {
    INBOUND, OUTBOUND;

    /** Parses case-insensitively; absent means OUTBOUND. */
    public static MediaDirection parseOrDefault(String field, String value) {
        if (value == null || value.isBlank()) {
            return OUTBOUND;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, field + " must be INBOUND or OUTBOUND");
        }
    }
}
