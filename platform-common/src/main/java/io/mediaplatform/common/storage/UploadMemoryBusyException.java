package io.mediaplatform.common.storage;

/**
 * An upload refused because the service is receiving as many bytes at once as {@link UploadMemory} allows: nothing of
 * it was kept, and the same upload later will go. An edge answers 503 with Retry-After.
 */
public class UploadMemoryBusyException extends RuntimeException {

    public UploadMemoryBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
