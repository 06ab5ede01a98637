package io.mediaplatform.callback.messages.core;

import java.util.List;
import java.util.Locale;

/** Which way a message went: INBOUND (a customer's message to the business) or OUTBOUND (sent to a customer). */
public enum MessageDirection {
    INBOUND, OUTBOUND;

    /**
     * Reads a direction as a client sends it, whatever its case.
     *
     * @throws IllegalArgumentException with a message fit for the client when it is neither
     */
    public static MessageDirection parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("direction must be one of " + List.of(values()));
        }
    }
}
