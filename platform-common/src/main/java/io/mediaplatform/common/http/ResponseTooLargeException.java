package io.mediaplatform.common.http;

import java.io.IOException;

/** The response body is (or announced to be) larger than the caller's limit; reading stopped at the limit. */
public class ResponseTooLargeException extends IOException {

    private final long limit;

    public ResponseTooLargeException(long limit) {
        super("The response is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
