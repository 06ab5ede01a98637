package io.mediaplatform.common.http;

import java.io.IOException;

/** An outbound call took too long: connect, a pause between bytes, or the whole exchange. */
public class OutboundTimeoutException extends IOException {
    public OutboundTimeoutException(String message) {
        super(message);
    }
}
