package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.time.Duration;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcException;
import org.ipc4j.ObjectRemovedException;
import org.ipc4j.ResourceLimitException;
import org.ipc4j.Semaphore;

/**
 * A SysV semaphore set of one semaphore ({@code semget}/{@code semtimedop}). With {@code SEM_UNDO}
 * (the default; {@code undo=false} turns it off) the kernel gives back the permits of a process that
 * dies, even by SIGKILL. Blocking waits are {@code semtimedop} slices of at most
 * {@link Deadline#SLICE_NANOS}.
 */
public final class SysvSemaphore extends Handle implements Semaphore {
    /** Query keys this kind accepts besides the common ones. */
    public static final String[] KEYS = {"initial", "undo", "project"};
    /** SEMVMX: the largest value of a SysV semaphore. */
    public static final int VALUE_MAX = 32767;

    private final String address;
    private final String object;
    private final int id;
    private final short flags;

    private SysvSemaphore(String address, String object, int id, boolean undo) {
        super(address);
        this.address = address;
        this.object = object;
        this.id = id;
        this.flags = (short) (undo ? LibC.SEM_UNDO : 0);
    }

    /** Opens {@code sysvsem:KEY-or-/path?...}. */
    public static SysvSemaphore open(IpcAddress a) throws IOException {
        a.checkKeys(KEYS);
        long initial = a.integer("initial", 0, 0, VALUE_MAX);
        boolean undo = !a.has("undo") || a.flag("undo");
        int key = SysvKeys.key(a);
        String object = a.name();
        int id;
        if (a.create()) {
            id = LibC.semget(key, 1, LibC.IPC_CREAT | LibC.IPC_EXCL | a.mode());
            if (id >= 0) {
                if (LibC.semctl(id, 0, LibC.SETVAL, initial) != 0) {
                    IpcException e = Errno.last("semctl(SETVAL)", object);
                    LibC.semctl(id, 0, LibC.IPC_RMID, 0);
                    throw e;
                }
                return new SysvSemaphore(a.text(), object, id, undo);
            }
            int errno = LibC.errno();
            if (errno != Errno.EEXIST || a.exclusive()) {
                throw Errno.exception("semget", object, errno, null);
            }
        }
        // asking for read and alter (0600) makes the kernel check access now, not at the first semop
        id = LibC.semget(key, 1, 0600);
        if (id < 0) {
            throw Errno.last("semget", object);
        }
        return new SysvSemaphore(a.text(), object, id, undo);
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
        try (Memory op = new Memory(8)) {
            return semop(op, -1, (short) (flags | LibC.IPC_NOWAIT), 0L, "acquire");
        } finally {
            end();
        }
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws IOException {
        return await(Deadline.after(timeout));
    }

    private boolean await(Deadline deadline) throws IOException {
        begin();
        try (Memory op = new Memory(8); Memory ts = new Memory(16)) {
            long backoff = Poller.MIN_BACKOFF;
            while (true) {
                checkWake("acquire");
                if (semop(op, -1, (short) (flags | LibC.IPC_NOWAIT), 0L, "acquire")) {
                    return true;
                }
                if (deadline.expired()) {
                    return false;
                }
                if (Poller.isVirtual(Thread.currentThread())) {
                    backoff = Poller.pause(this, backoff, deadline, "acquire");
                    continue;
                }
                Timespec.relative(ts, deadline.slice());
                if (semop(op, -1, flags, Pointer.nativeValue(ts), "acquire")) {
                    return true;
                }
            }
        } finally {
            end();
        }
    }

    /** One semtimedop; false on EAGAIN/EINTR (no permit taken). */
    private boolean semop(Memory op, int delta, short opFlags, long timeout, String what) throws IOException {
        op.setShort(0, (short) 0);
        op.setShort(2, (short) delta);
        op.setShort(4, opFlags);
        if (LibC.semtimedop(id, Pointer.nativeValue(op), 1, timeout) == 0) {
            return true;
        }
        int errno = LibC.errno();
        if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
            return false;
        }
        throw failure("semtimedop", errno, what);
    }

    private IpcException failure(String call, int errno, String what) {
        if (errno == Errno.EIDRM || errno == Errno.EINVAL) {
            return new ObjectRemovedException(object, call + "(" + object + ") failed during " + what + ": "
                    + Errno.describe(errno) + "; the semaphore was removed (IPC_RMID) by another process");
        }
        if (errno == Errno.ERANGE) {
            return new ResourceLimitException(object, call + "(" + object + ") failed: " + Errno.describe(errno)
                    + "; the count is at SEMVMX=" + VALUE_MAX);
        }
        return Errno.exception(call, object, errno, null);
    }

    @Override
    public void release() throws IOException {
        begin();
        try (Memory op = new Memory(8)) {
            if (!semop(op, 1, flags, 0L, "release")) {
                throw new IpcException(object, "semop(" + object + ") release was interrupted; retry");
            }
        } finally {
            end();
        }
    }

    @Override
    public int availablePermits() throws IOException {
        begin();
        try {
            int v = LibC.semctl(id, 0, LibC.GETVAL, 0);
            if (v < 0) {
                throw failure("semctl(GETVAL)", LibC.errno(), "availablePermits");
            }
            return v;
        } finally {
            end();
        }
    }

    /** The number of threads, in any process, waiting for a permit now ({@code GETNCNT}). */
    public int waiters() {
        return Math.max(0, LibC.semctl(id, 0, LibC.GETNCNT, 0));
    }

    @Override
    public void unlink() throws IOException {
        if (LibC.semctl(id, 0, LibC.IPC_RMID, 0) != 0) {
            int errno = LibC.errno();
            if (errno == Errno.EINVAL || errno == Errno.EIDRM) {
                throw new org.ipc4j.ObjectNotFoundException(object, "semctl(" + object + ", IPC_RMID) failed: "
                        + Errno.describe(errno) + "; it was already removed");
            }
            throw Errno.exception("semctl(IPC_RMID)", object, errno, null);
        }
    }

    @Override
    protected void freeNative() {
        // a SysV semaphore has no per-process handle to free
    }

    @Override
    public String toString() {
        return "SysvSemaphore[" + address + "]";
    }
}
