package org.ipc4j.posix.internal;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * The lock of one direction (send or receive) of a channel: not reentrant, and cheaper than a
 * {@link java.util.concurrent.locks.ReentrantLock}, which stores and clears its owner thread on
 * every lock and unlock. Waiters park, so a virtual thread waiting for it does not pin its carrier.
 */
final class DirectionLock extends AbstractQueuedSynchronizer {
    private static final long serialVersionUID = 1L;

    void lock() {
        acquire(1);
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
