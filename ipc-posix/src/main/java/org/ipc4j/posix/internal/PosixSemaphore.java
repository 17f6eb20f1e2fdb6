package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.time.Duration;
import org.ipc4j.IpcAddress;
import org.ipc4j.ResourceLimitException;
import org.ipc4j.Semaphore;

/**
 * A POSIX named semaphore ({@code sem_open}). Blocking waits are {@code sem_timedwait} slices of at
 * most {@link Deadline#SLICE_NANOS}, so interrupts and close are noticed within a slice.
 *
 * <p>A permit held by a process that dies is <b>not</b> given back: the count stays where it was.
 * Use {@code sysvsem:} (with {@code SEM_UNDO}) when holders may crash.
 */
public final class PosixSemaphore extends Handle implements Semaphore {
    /** Query keys this kind accepts besides the common ones. */
    public static final String[] KEYS = {"initial"};
    /** SEM_VALUE_MAX on Linux. */
    public static final long VALUE_MAX = Integer.MAX_VALUE;

    private final String address;
    private final String name;
    private final long sem;

    private PosixSemaphore(String address, String name, long sem) {
        super(address);
        this.address = address;
        this.name = name;
        this.sem = sem;
    }

    /** Opens {@code sem:/name?...}. */
    public static PosixSemaphore open(IpcAddress a) throws IOException {
        a.checkKeys(KEYS);
        long initial = a.integer("initial", 0, 0, VALUE_MAX);
        int flags = a.create() ? LibC.O_CREAT : 0;
        if (a.exclusive()) {
            flags |= LibC.O_EXCL;
        }
        long sem = LibC.sem_open(a.name(), flags, a.mode(), (int) initial);
        if (sem == 0) {
            throw Errno.last("sem_open", a.name());
        }
        return new PosixSemaphore(a.text(), a.name(), sem);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void acquire() throws IOException {
        await(Deadline.never());
    }

    @Override
    public boolean tryAcquire() throws IOException {
        begin();
        try {
            return tryOnce();
        } finally {
            end();
        }
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws IOException {
        return await(Deadline.after(timeout));
    }

    private boolean tryOnce() throws IOException {
        while (true) {
            if (LibC.sem_trywait(sem) == 0) {
                return true;
            }
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN) {
                return false;
            }
            if (errno != Errno.EINTR) {
                throw Errno.exception("sem_trywait", name, errno, null);
            }
        }
    }

    private boolean await(Deadline deadline) throws IOException {
        begin();
        try {
            Memory ts = null;
            long backoff = Poller.MIN_BACKOFF;
            while (true) {
                checkWake("acquire");
                if (tryOnce()) {
                    return true;
                }
                if (deadline.expired()) {
                    return false;
                }
                if (Poller.isVirtual(Thread.currentThread())) {
                    backoff = Poller.pause(this, backoff, deadline, "acquire");
                    continue;
                }
                if (ts == null) {
                    ts = new Memory(16);
                }
                Timespec.realtimeAfter(ts, deadline.slice());
                if (LibC.sem_timedwait(sem, Pointer.nativeValue(ts)) == 0) {
                    return true;
                }
                int errno = LibC.errno();
                if (errno != Errno.ETIMEDOUT && errno != Errno.EINTR && errno != Errno.EAGAIN) {
                    throw Errno.exception("sem_timedwait", name, errno, null);
                }
            }
        } finally {
            end();
        }
    }

    @Override
    public void release() throws IOException {
        begin();
        try {
            if (LibC.sem_post(sem) != 0) {
                int errno = LibC.errno();
                if (errno == Errno.EOVERFLOW) {
                    throw new ResourceLimitException(name, "sem_post(" + name + ") failed: " + Errno.describe(errno)
                            + "; the count is at SEM_VALUE_MAX=" + VALUE_MAX);
                }
                throw Errno.exception("sem_post", name, errno, null);
            }
        } finally {
            end();
        }
    }

    @Override
    public int availablePermits() throws IOException {
        begin();
        try (Memory value = new Memory(4)) {
            if (LibC.sem_getvalue(sem, Pointer.nativeValue(value)) != 0) {
                throw Errno.last("sem_getvalue", name);
            }
            return Math.max(0, value.getInt(0));
        } finally {
            end();
        }
    }

    @Override
    public void unlink() throws IOException {
        if (LibC.sem_unlink(name) != 0) {
            int errno = LibC.errno();
            throw Errno.exception("sem_unlink", name, errno,
                    errno == Errno.ENOENT ? "it was already removed or never existed" : null);
        }
    }

    /** Removes a semaphore by name; false if there was none. */
    public static boolean unlink(String name) {
        return LibC.sem_unlink(name) == 0;
    }

    @Override
    protected void freeNative() {
        LibC.sem_close(sem);
    }

    @Override
    public String toString() {
        return "PosixSemaphore[" + address + "]";
    }
}
