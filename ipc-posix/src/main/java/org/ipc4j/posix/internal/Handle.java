package org.ipc4j.posix.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.ChannelClosedException;

/**
 * Life of one native handle (descriptors, a semaphore pointer): operations bracket their use with
 * {@link #begin()}/{@link #end()}, and {@link #close()} frees the native resource only once no
 * operation uses it, so a descriptor number is never closed under a thread that may still pass it to
 * the kernel (where it could meanwhile name another file). Closing wakes threads waiting in the
 * {@link Poller} and those in an untimed {@link BlockingCall} (by signal); slice-based waits notice
 * it at their next slice.
 */
public abstract class Handle implements AutoCloseable {
    /** The bit of {@link #state} set by {@link #close()}; the bits below it count operations under way. */
    private static final int CLOSED = 1 << 30;

    /** The object as the user named it, for messages. */
    protected final String object;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Handle.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Operations under way, plus {@link #CLOSED} once closed: one atomic add per begin and per end,
     * no lock; a field of this object, so no second object to reach.
     */
    private volatile int state;
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set once some thread may wait in a {@link BlockingCall}; close then looks for them. */
    static volatile boolean blockingCallsInUse;

    protected Handle(String object) {
        this.object = object;
    }

    /** The object as the user named it. */
    public final String object() {
        return object;
    }

    /** Marks the start of an operation; fails if closed. */
    public final void begin() throws ChannelClosedException {
        int s = (int) STATE.getAndAdd(this, 1);
        if ((s & CLOSED) != 0) {
            end();   // frees nothing twice: release() runs once
            throw new ChannelClosedException(object);
        }
    }

    /** Marks the end of an operation started with {@link #begin()}. */
    public final void end() {
        if ((int) STATE.getAndAdd(this, -1) - 1 == CLOSED) {
            release();   // closed meanwhile, and this was the last operation
        }
    }

    /** True until {@link #close()}. */
    public final boolean isOpen() {
        return (state & CLOSED) == 0;
    }

    /** Closes: idempotent, any thread; blocked operations end with {@link AsyncClosedException}. */
    @Override
    public final void close() {
        int before;
        do {
            before = state;
        } while ((before & CLOSED) == 0 && !STATE.compareAndSet(this, before, before | CLOSED));
        if ((before & CLOSED) != 0) {
            return;
        }
        Poller.cancel(this);
        if (blockingCallsInUse) {
            BlockingCall.wake(this);
        }
        if (before == 0) {
            release();
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            freeNative();
        }
    }

    /** Frees the native resource; called exactly once, when closed and unused. */
    protected abstract void freeNative();

    /**
     * Checks, after a wait, whether the operation must end: closed by another thread or interrupted
     * (the interrupt status is kept).
     */
    public final void checkWake(String operation) throws IOException {
        if (!isOpen()) {
            throw new AsyncClosedException(object);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(operation + " on '" + object + "' was interrupted");
        }
    }
}
