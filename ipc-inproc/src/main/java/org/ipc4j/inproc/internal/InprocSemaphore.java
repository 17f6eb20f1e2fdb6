package org.ipc4j.inproc.internal;

import java.io.IOException;
import java.time.Duration;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.IpcAddress;
import org.ipc4j.ResourceLimitException;
import org.ipc4j.Semaphore;

/**
 * One handle on an inproc semaphore. Permits held by a thread are not given back when its handle
 * closes, as with a POSIX named semaphore.
 */
public final class InprocSemaphore implements Semaphore {
    /** Query keys of semaphore addresses, besides the common ones. */
    public static final String[] KEYS = {"initial"};

    private final String address;
    private final SemaphoreState state;
    private volatile boolean closed;

    private InprocSemaphore(String address, SemaphoreState state) {
        this.address = address;
        this.state = state;
    }

    /** Opens or creates the semaphore the address names; {@code initial} (default 0) applies on creation. */
    public static InprocSemaphore open(IpcAddress address) throws IOException {
        address.checkKeys(KEYS);
        int initial = (int) address.integer("initial", 0, 0, Integer.MAX_VALUE);
        SemaphoreState state = Registry.SEMAPHORES.open(address, () -> new SemaphoreState(address.name(), initial));
        return new InprocSemaphore(address.text(), state);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void acquire() throws IOException {
        acquire(Waits.FOREVER);
    }

    @Override
    public boolean tryAcquire() throws IOException {
        return acquire(0L);
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws IOException {
        return acquire(Waits.nanos(timeout));
    }

    private boolean acquire(long nanos) throws IOException {
        state.lock.lock();
        try {
            long remaining = nanos;
            while (true) {
                ensureOpen();
                if (state.permits > 0) {
                    state.permits--;
                    return true;
                }
                if (Waits.expired(remaining)) {
                    return false;
                }
                remaining = Waits.await(state.released, remaining, address, "acquire");
                if (closed) {
                    throw new AsyncClosedException(address);
                }
            }
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public void release() throws IOException {
        state.lock.lock();
        try {
            ensureOpen();
            if (state.permits == Integer.MAX_VALUE) {
                throw new ResourceLimitException(address, "semaphore '" + address + "' is at its maximum count="
                        + Integer.MAX_VALUE + "; release refused");
            }
            state.permits++;
            // all waiters, so that one that times out or is interrupted cannot swallow the wake-up
            state.released.signalAll();
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public int availablePermits() throws IOException {
        state.lock.lock();
        try {
            ensureOpen();
            return state.permits;
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public void unlink() throws IOException {
        Registry.SEMAPHORES.unlink(address, state.name, state);
    }

    @Override
    public void close() {
        state.lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            state.released.signalAll();
        } finally {
            state.lock.unlock();
        }
    }

    private void ensureOpen() throws ChannelClosedException {
        if (closed) {
            throw new ChannelClosedException(address);
        }
    }

    @Override
    public String toString() {
        return "InprocSemaphore[" + address + (closed ? ", closed]" : "]");
    }
}
