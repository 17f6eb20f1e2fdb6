package org.ipc4j.posix.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.ChannelClosedException;

/**
 * Life of one native handle (descriptors, a semaphore pointer): operations bracket their use with
 * {@link #begin()}/{@link #end()}, and {@link #close()} frees the native resource only once no
 * operation uses it, so a descriptor number is never closed under a thread that may still pass it to
 * the kernel (where it could meanwhile name another file). Closing wakes threads waiting in the
 * {@link Poller}; slice-based waits notice it at their next slice.
 */
public abstract class Handle implements AutoCloseable {
    /** The object as the user named it, for messages. */
    protected final String object;
    private int uses;
    private boolean closed;
    private boolean released;

    protected Handle(String object) {
        this.object = object;
    }

    /** The object as the user named it. */
    public final String object() {
        return object;
    }

    /** Marks the start of an operation; fails if closed. */
    public final void begin() throws ChannelClosedException {
        synchronized (this) {
            if (closed) {
                throw new ChannelClosedException(object);
            }
            uses++;
        }
    }

    /** Marks the end of an operation started with {@link #begin()}. */
    public final void end() {
        boolean release;
        synchronized (this) {
            uses--;
            release = closed && uses == 0 && !released;
            if (release) {
                released = true;
            }
        }
        if (release) {
            freeNative();
        }
    }

    /** True until {@link #close()}. */
    public final synchronized boolean isOpen() {
        return !closed;
    }

    /** Closes: idempotent, any thread; blocked operations end with {@link AsyncClosedException}. */
    @Override
    public final void close() {
        boolean release;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            release = uses == 0;
            released = release;
        }
        Poller.cancel(this);
        if (release) {
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
