package org.ipc4j.posix.internal;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * The lock of one direction (send or receive) of a channel: not reentrant, and cheaper than a
 * {@link java.util.concurrent.locks.ReentrantLock}, which stores and clears its owner thread on
 * every lock and unlock. Waiters park, so a virtual thread waiting for it does not pin its carrier.
 *
 * <p>A thread waits for it no longer than its call's deadline, and an interrupt ends the wait: the
 * holder may be another thread blocked in an untimed receive, so the lock must not make a timed call
 * outlast its timeout or an interrupted one hang.
 */
final class DirectionLock extends AbstractQueuedSynchronizer {
    private static final long serialVersionUID = 1L;

    /**
     * Takes the lock before {@code deadline}.
     *
     * @param handle the channel, for the message
     * @param operation "send" or "receive", for the message
     * @return false if the deadline passed first
     * @throws InterruptedIOException if interrupted while waiting (the interrupt status is kept)
     */
    boolean lock(Deadline deadline, Handle handle, String operation) throws InterruptedIOException {
        if (compareAndSetState(0, 1)) {
            return true;
        }
        try {
            if (!deadline.finite()) {
                acquireInterruptibly(1);
                return true;
            }
            return tryAcquireNanos(1, deadline.remaining());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(operation + " on '" + handle.object()
                    + "' was interrupted while waiting for another thread's " + operation + " to finish");
        }
    }

    void unlock() {
        release(1);
    }

    @Override
    protected boolean tryAcquire(int ignored) {
        return compareAndSetState(0, 1);
    }

    @Override
    protected boolean tryRelease(int ignored) {
        setState(0);
        return true;
    }
}
