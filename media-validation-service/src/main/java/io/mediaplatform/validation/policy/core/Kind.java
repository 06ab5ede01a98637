package io.mediaplatform.validation.policy.core;

/**
 * What a media is as a message. The channel rules (types, size) and the message rules (docs/ARCHITECTURE.md §5: captions
 * for image and video only, a file name for documents only, audio carries neither) depend on it.
 */
public enum Kind {
    IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER;

    /** Whether a message of this kind keeps its caption. */
    public boolean carriesCaption() {
        return this == IMAGE || this == VIDEO;
    }

    /** Whether a message of this kind keeps its file name. */
    public boolean carriesFileName() {
        return this == DOCUMENT;
    }

    /** Lower-case word for messages ("image", "document"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
