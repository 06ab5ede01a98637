package io.mediaplatform.callback.webhook;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes this instance's webhook sender when its outbox has work for it: deliveries committed, or attempts recorded
 * (which may release the deliveries held behind them); other instances' rows and retries coming due are found by the
 * sender's poll interval.
 */
final class OutboxSignal {

    private final Semaphore work = new Semaphore(0);

    /** Waits until signalled since the last wait, or {@code timeout} passed; answers whether it was woken. */
    boolean await(Duration timeout) throws InterruptedException {
        boolean woken = work.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        work.drainPermits();
        return woken;
    }

    /** Wakes a sender waiting in {@link #await}. */
    void signal() {
        if (work.availablePermits() == 0) {
            work.release();
        }
    }

    /** Wakes the sender once the caller's transaction commits (at once outside a transaction). */
    void signalAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal();
                }
            });
        } else {
            signal();
        }
    }
}
