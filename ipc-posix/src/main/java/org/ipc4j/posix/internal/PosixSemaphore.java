package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.time.Duration;
import org.ipc4j.IpcAddress;
import org.ipc4j.PermissionDeniedException;
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

    private static final int S_IFREG = 0100000;

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
        // create with O_EXCL, so we know whether we made it (and must set its mode); with create but
        // not exclusive, an EEXIST then opens what is there
        long sem;
        boolean created;
        while (true) {
            sem = LibC.sem_open(a.name(), a.create() ? LibC.O_CREAT | LibC.O_EXCL : 0, a.mode(), (int) initial);
            created = a.create() && sem != 0;
            if (sem != 0 || !a.create() || a.exclusive() || LibC.errno() != Errno.EEXIST) {
                break;
            }
            sem = LibC.sem_open(a.name(), 0, 0, 0);
            if (sem != 0 || LibC.errno() != Errno.ENOENT) {
                break;
            }
            // removed between the two calls: try to create it again
        }
        if (sem == 0) {
            throw Errno.last("sem_open", a.name());
        }
        try {
            checkFile(a, created);
        } catch (IOException | RuntimeException e) {
            LibC.sem_close(sem);
            throw e;
        }
        return new PosixSemaphore(a.text(), a.name(), sem);
    }

    /**
     * glibc keeps the semaphore in {@code /dev/shm/sem.NAME} and, for an existing name, maps whatever
     * file is there (it refuses only a symbolic link): a hard link planted there would be mapped and
     * written. So the file must be a regular file with one link, ours if we created it; and since
     * {@code sem_open} applies the umask, a created file gets the mode asked for with {@code fchmod}.
     */
    private static void checkFile(IpcAddress a, boolean created) throws IOException {
        String path = "/dev/shm/sem." + a.name().substring(a.name().startsWith("/") ? 1 : 0);
        int fd = LibC.open(path, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.last("open", path);
        }
        try (Memory st = new Memory(LibC.STAT_SIZE)) {
            if (LibC.fstat(fd, Pointer.nativeValue(st)) != 0) {
                throw Errno.last("fstat", path);
            }
            int mode = st.getInt(LibC.STAT_MODE_OFFSET);
            long links = LibC.statLinks(st);
            int uid = st.getInt(LibC.STAT_UID_OFFSET);
            if ((mode & LibC.S_IFMT) != S_IFREG || links != 1) {
                throw new PermissionDeniedException(a.name(), "refusing sem " + a.name() + " from '" + a.text() + "': "
                        + path + " is " + ((mode & LibC.S_IFMT) != S_IFREG ? "not a regular file (st_mode=0"
                        + Integer.toOctalString(mode) + ")" : "a file with " + links + " links (a hard link)")
                        + "; a semaphore's file must be its own, so it is left untouched");
            }
            if (created && uid != LibC.geteuid()) {
                throw new PermissionDeniedException(a.name(), "refusing sem " + a.name() + ": " + path
                        + " was replaced by a file of uid=" + uid + " while it was being created");
            }
            if (created && LibC.fchmod(fd, a.mode()) != 0) {
                throw Errno.last("fchmod", path);
            }
        } finally {
            LibC.close(fd);
        }
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
