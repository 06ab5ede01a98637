package io.mediaplatform.ingest.messages.core;

import io.mediaplatform.ingest.core.InvalidInputException;

import java.util.Locale;

/** What a media message is; the channel rules (type, size, caption, file name) depend on it. */
public enum MessageKind {
    IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER;

    /** Parses {@code image|video|audio|document|sticker}, case-insensitively. */
    public static MessageKind parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " is required (image, video, audio, document or sticker)");
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, field + " must be one of image, video, audio, document, sticker");
        }
    }
}
