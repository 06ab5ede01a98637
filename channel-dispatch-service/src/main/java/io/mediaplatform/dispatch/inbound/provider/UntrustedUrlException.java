package io.mediaplatform.dispatch.inbound.provider;

import java.io.IOException;

/** A URL (or a redirect) points at an origin the provider is not trusted on; nothing was sent to it. */
public class UntrustedUrlException extends IOException {
    public UntrustedUrlException(String message) {
        super(message);
    }
}
