package io.mediaplatform.common.http;

/** The URL may not be called: wrong scheme, unresolvable, or a non-public address. */
public class BlockedUrlException extends RuntimeException {
    public BlockedUrlException(String message) {
        super(message);
    }
}
