package io.mediaplatform.common.http;

import java.io.IOException;

/** The server answered with a redirect; {@link GuardedHttpClient} never follows one (each hop would escape the guard). */
public class RedirectRefusedException extends IOException {

    private final int status;

    public RedirectRefusedException(int status) {
        super("The server answered HTTP " + status + " (a redirect); redirects are not followed");
        this.status = status;
    }

    public int status() {
        return status;
    }
}
