package io.mediaplatform.validation.inbox.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Opens once the inbox settings have been read to the end of their topic at startup, so no media is judged
 * against settings not loaded yet. Waiting is bounded: after {@code maxWait} the gate opens anyway (and says so)
 * rather than stopping validation because of a settings topic that cannot be read to its end.
 */
public final class SettingsReadiness {

    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile boolean timedOut;

    /** The settings topic has been read to its end. */
    public void markLoaded() {
        loaded.countDown();
    }

    /** Whether the settings were read to the end. */
    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    /**
     * Waits until the settings are loaded, at most {@code maxWait} (once: after a time-out it no longer waits).
     *
     * @return true when loaded, false when the wait timed out
     */
    public boolean await(Duration maxWait) throws InterruptedException {
        if (isLoaded()) {
            return true;
        }
        if (timedOut) {
            return false;
        }
        boolean ok = loaded.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        if (!ok) {
            timedOut = true;
        }
        return ok;
    }
}
