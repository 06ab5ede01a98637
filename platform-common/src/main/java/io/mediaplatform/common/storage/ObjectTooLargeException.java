package io.mediaplatform.common.storage;

/** The stream passed the size limit while it was being stored; nothing was kept. */
public class ObjectTooLargeException extends RuntimeException {

    private final long limit;

    public ObjectTooLargeException(long limit) {
        super("Content is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
