package org.ipc4j;

import java.io.IOException;
import java.time.Duration;

/**
 * A named counting semaphore shared by processes: {@link #acquire()} (P) takes a permit, waiting
 * while there is none; {@link #release()} (V) gives one back.
 *
 * <p>Blocking waits stay interruptible (an interrupted waiter gets
 * {@link java.io.InterruptedIOException} with its interrupt status kept, and takes no permit) and
 * end with {@link java.nio.channels.AsynchronousCloseException} when another thread closes the
 * semaphore. {@link #tryAcquire(Duration)} returns false on timeout, as
 * {@link java.util.concurrent.Semaphore} does.
 *
 * <p>Whether a permit held by a process that dies comes back depends on the backend (SysV with
 * {@code SEM_UNDO}: yes; POSIX named semaphores: no); each backend documents it.
 *
 * <p>{@link #close()} releases this process's handle, not the permits it holds; the semaphore
 * stays in the system until {@link #unlink()}.
 */
public interface Semaphore extends java.nio.channels.Channel {

    /** The semaphore's address, as opened. */
    String address();

    /**
     * Takes a permit, waiting as long as needed.
     *
     * @throws java.nio.channels.ClosedChannelException if this handle is closed
     * @throws java.nio.channels.AsynchronousCloseException if another thread closed it while waiting
     * @throws java.io.InterruptedIOException if the thread was interrupted while waiting
     * @throws IOException if the system refused or the semaphore was removed
     */
    void acquire() throws IOException;

    /**
     * Takes a permit if one is available now.
     *
     * @return true if a permit was taken
     * @throws IOException as {@link #acquire()}
     */
    boolean tryAcquire() throws IOException;

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @return true if a permit was taken, false if the time ran out
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IOException as {@link #acquire()}
     */
    boolean tryAcquire(Duration timeout) throws IOException;

    /**
     * Gives back one permit, waking one waiter.
     *
     * @throws ResourceLimitException if the count is at the system's maximum
     * @throws IOException if closed or the system refused
     */
    void release() throws IOException;

    /**
     * The number of permits available now (a snapshot).
     *
     * @throws IOException if closed or the system refused
     */
    int availablePermits() throws IOException;

    /**
     * Removes the semaphore's name from the system; no new process can open it by name. A POSIX
     * semaphore lives on for the handles already open; a SysV semaphore set is destroyed at once, and
     * every call on an open handle (including one blocked in it) fails with {@link ObjectRemovedException}.
     *
     * @throws ObjectNotFoundException if it was already removed
     * @throws IOException if the system refused
     */
    void unlink() throws IOException;

    /** Releases this process's handle (not its permits). Idempotent; wakes blocked threads. */
    @Override
    void close() throws IOException;
}
