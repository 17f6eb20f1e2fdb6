package org.ipc4j.shm.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A non-reentrant lock for the hot path of a channel end: acquiring is one CAS and releasing one
 * release store (no fence), where {@link java.util.concurrent.locks.ReentrantLock#unlock()} pays a
 * volatile write. Contention (two threads of one process sending on one channel) is rare: waiters
 * spin briefly, then park in short steps.
 */
final class SpinLock {
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SpinLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")   // accessed through STATE
    private volatile int state;

    boolean tryLock() {
        return (int) STATE.getOpaque(this) == 0 && STATE.compareAndSet(this, 0, 1);
    }

    /**
     * Waits at most {@code nanos} for the lock.
     *
     * @return false on timeout or when the thread is interrupted (its status stays set)
     */
    boolean tryLock(long nanos) {
        long start = System.nanoTime();
        for (int spins = 0; !tryLock(); spins++) {
            if (Thread.currentThread().isInterrupted() || System.nanoTime() - start >= nanos) {
                return false;
            }
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
        return true;
    }

    /** Waits for the lock, ignoring interrupts. */
    void lock() {
        for (int spins = 0; !tryLock(); spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** Releases the lock; pairs with the CAS in {@link #tryLock()}. */
    void unlock() {
        STATE.setRelease(this, 0);
    }
}
