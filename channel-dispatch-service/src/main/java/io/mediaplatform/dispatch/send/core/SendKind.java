package io.mediaplatform.dispatch.send.core;

/** What a send carries: one media kind, or plain text (e.g. an inbox's message back to a customer). */
public enum SendKind {
    IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER, TEXT;

    /** Whether the channel shows a caption with this kind (ARCHITECTURE §5: image and video only). */
    public boolean takesCaption() {
        return this == IMAGE || this == VIDEO;
    }

    /** Whether the recipient sees the original file name (documents). */
    public boolean takesFileName() {
        return this == DOCUMENT;
    }
}
