package io.mediaplatform.ingest.media.core;

import io.mediaplatform.ingest.core.InvalidInputException;

import java.util.Map;

/**
 * The text fields of an upload, checked: {@code conversationId} and {@code channel} required,
 * {@code direction} defaulting to OUTBOUND, {@code inboxId} and {@code fileName} optional.
 */
public record UploadFields(String conversationId, MediaChannel channel, MediaDirection direction, String inboxId,
                           String fileName) {

    public static final String CONVERSATION_ID = "conversationId";
    public static final String CHANNEL = "channel";
    public static final String DIRECTION = "direction";
    public static final String INBOX_ID = "inboxId";
    public static final String FILE_NAME = "fileName";
    /** Longest id a client may give (conversation, inbox). */
    public static final int MAX_ID_LENGTH = 200;

    /** Whether the fields needed to decide where and how the media goes are all present. */
    public static boolean complete(Map<String, String> fields) {
        return fields.containsKey(CONVERSATION_ID) && fields.containsKey(CHANNEL);
    }

    /** Checks the fields; throws {@link InvalidInputException} naming the first bad one. */
    public static UploadFields parse(Map<String, String> fields) {
        String conversationId = requiredId(CONVERSATION_ID, fields.get(CONVERSATION_ID));
        MediaChannel channel = MediaChannel.parse(CHANNEL, fields.get(CHANNEL));
        MediaDirection direction = MediaDirection.parseOrDefault(DIRECTION, fields.get(DIRECTION));
        String inboxId = optionalId(INBOX_ID, fields.get(INBOX_ID));
        String fileName = fields.get(FILE_NAME);
        if (fileName != null && fileName.isBlank()) {
            fileName = null;
        }
        return new UploadFields(conversationId, channel, direction, inboxId, fileName);
    }

    /** A required client id: non-blank, at most {@link #MAX_ID_LENGTH} characters, no control characters. */
    public static String requiredId(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " is required");
        }
        return checkId(field, value.strip());
    }

    /** An optional client id (blank means absent). */
    public static String optionalId(String field, String value) {
        return value == null || value.isBlank() ? null : checkId(field, value.strip());
    }

    private static String checkId(String field, String value) {
        if (value.length() > MAX_ID_LENGTH) {
            throw new InvalidInputException(field, field + " must be at most " + MAX_ID_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(field, field + " must not contain control characters");
        }
        return value;
    }
}
