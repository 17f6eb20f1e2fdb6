package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;

/**
 * A channel over named pipes ({@code fifo:/path}).
 *
 * <ul>
 *   <li>{@code fifo:/path?read} — the read end of the FIFO at /path; {@code fifo:/path?write} — its
 *       write end. One-way.</li>
 *   <li>{@code fifo:/path} (optionally {@code side=a}, the default, or {@code side=b}) — a duplex
 *       channel over two FIFOs, {@code /path.a2b} and {@code /path.b2a}: side a writes .a2b and reads
 *       .b2a, side b the reverse. The two processes must use different sides.</li>
 * </ul>
 *
 * <p>A missing FIFO is created with {@code mkfifo} (mode 0600 unless {@code mode=}) when
 * {@code create} is given. A path that is a symbolic link, a regular file, a directory or anything
 * but a FIFO is refused ({@code O_NOFOLLOW} and {@code fstat} after the open, so nothing can be swapped
 * in between). Opens never block: the read end opens with {@code O_NONBLOCK} at once; the write end
 * retries {@code ENXIO} (no reader yet) until the address's {@code timeout} (default 30s).
 */
public final class FifoChannel extends FdChannel {
    /** Query keys this kind accepts besides the common ones. */
    public static final String[] KEYS = {"read", "write", "side", "framing", "maxMessageSize"};
    /** How long opening the write end waits for a reader unless {@code timeout=} says otherwise. */
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(30);

    private FifoChannel(String address, int readFd, int writeFd, boolean framed, int maxMessageSize) {
        super(address, readFd, writeFd, framed, maxMessageSize);
    }

    /** Opens {@code fifo:/path?...}. */
    public static FifoChannel open(IpcAddress a) throws IOException {
        a.checkKeys(KEYS);
        boolean framed = framed(a);
        int max = maxMessageSize(a);
        boolean read = a.flag("read");
        boolean write = a.flag("write");
        if (read && write) {
            throw a.invalid("read", "give read or write for a one-way FIFO, or neither for a duplex pair; not both");
        }
        String side = a.string("side").orElse("a");
        if (!side.equals("a") && !side.equals("b")) {
            throw a.invalid("side", "side must be 'a' or 'b': side=" + side);
        }
        if ((read || write) && a.has("side")) {
            throw a.invalid("side", "side applies to duplex FIFO pairs only; drop it, or drop read/write");
        }
        Deadline deadline = Deadline.after(a.timeout(DEFAULT_OPEN_TIMEOUT));
        String path = a.name();
        if (read || write) {
            prepare(a, path);
            int fd = read ? openRead(a, path) : openWrite(a, path, deadline);
            return new FifoChannel(a.text(), read ? fd : -1, read ? -1 : fd, framed, max);
        }
        String in = path + (side.equals("a") ? ".b2a" : ".a2b");
        String out = path + (side.equals("a") ? ".a2b" : ".b2a");
        prepare(a, in);
        prepare(a, out);
        // side a opens its write end first and side b its read end first: b cannot finish opening
        // (and perhaps close again) before a holds both ends, so no retry of a's open misses b's reader
        int readFd;
        int writeFd;
        if (side.equals("a")) {
            writeFd = openWrite(a, out, deadline);
            try {
                readFd = openRead(a, in);
            } catch (IOException | RuntimeException e) {
                LibC.close(writeFd);
                throw e;
            }
        } else {
            readFd = openRead(a, in);
            try {
                writeFd = openWrite(a, out, deadline);
            } catch (IOException | RuntimeException e) {
                LibC.close(readFd);
                throw e;
            }
        }
        return new FifoChannel(a.text(), readFd, writeFd, framed, max);
    }

    /** Checks what is at {@code path} and creates the FIFO if asked. */
    private static void prepare(IpcAddress a, String path) throws IOException {
        try (Memory st = new Memory(LibC.STAT_SIZE)) {
            if (LibC.lstat(path, Pointer.nativeValue(st)) == 0) {
                checkType(a, path, st.getInt(LibC.STAT_MODE_OFFSET));
                if (a.exclusive()) {
                    throw new ObjectExistsException(path, "mkfifo(" + path + ") refused: the FIFO already exists"
                            + " and exclusive was given; drop exclusive or delete it first");
                }
                return;
            }
            int errno = LibC.errno();
            if (errno != Errno.ENOENT) {
                throw Errno.exception("lstat", path, errno, null);
            }
            if (!a.create()) {
                throw new ObjectNotFoundException(path, "fifo " + path + " does not exist; add ?create to the"
                        + " address to make it with mkfifo");
            }
            if (LibC.mkfifo(path, a.mode()) != 0) {
                errno = LibC.errno();
                if (errno == Errno.EEXIST && !a.exclusive()) {
                    prepare(a, path);
                    return;
                }
                throw Errno.exception("mkfifo", path, errno, errno == Errno.ENOENT
                        ? "its directory does not exist" : null);
            }
            setMode(a, path);
        }
    }

    /** mkfifo applies the umask: give the FIFO just made the mode asked for, through a checked descriptor. */
    private static void setMode(IpcAddress a, String path) throws IOException {
        int fd = LibC.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0);
        if (fd < 0) {
            throw openFailure(a, path, LibC.errno());
        }
        verify(a, path, fd);
        try {
            if (LibC.fchmod(fd, a.mode()) != 0) {
                throw Errno.last("fchmod", path);
            }
        } finally {
            LibC.close(fd);
        }
    }

    private static void checkType(IpcAddress a, String path, int mode) throws IOException {
        int type = mode & LibC.S_IFMT;
        if (type == LibC.S_IFIFO) {
            return;
        }
        String what = type == LibC.S_IFLNK ? "a symbolic link" : type == 0040000 ? "a directory"
                : type == 0100000 ? "a regular file" : "not a FIFO (st_mode=0" + Integer.toOctalString(mode) + ")";
        throw new IpcException(path, "refusing fifo " + path + " from '" + a.text() + "': it is " + what
                + "; a fifo: address must name a FIFO (or nothing, with ?create); symbolic links are never followed");
    }

    private static int openRead(IpcAddress a, String path) throws IOException {
        int fd = LibC.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0);
        if (fd < 0) {
            throw openFailure(a, path, LibC.errno());
        }
        verify(a, path, fd);
        return fd;
    }

    private static int openWrite(IpcAddress a, String path, Deadline deadline) throws IOException {
        long backoff = 100_000L;
        while (true) {
            int fd = LibC.open(path, LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0);
            if (fd >= 0) {
                verify(a, path, fd);
                return fd;
            }
            int errno = LibC.errno();
            if (errno != Errno.ENXIO && errno != Errno.EINTR) {
                throw openFailure(a, path, errno);
            }
            if (deadline.expired()) {
                throw new IpcTimeoutException(a.text(), "open for writing (no reader opened " + path + ")",
                        deadline.timeout());
            }
            LockSupport.parkNanos(Math.min(backoff, deadline.remaining()));
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("open of '" + a.text() + "' was interrupted");
            }
            backoff = Math.min(backoff * 2, 20_000_000L);
        }
    }

    private static IpcException openFailure(IpcAddress a, String path, int errno) {
        if (errno == Errno.ELOOP) {
            return new IpcException(path, "open(" + path + ") refused: " + Errno.describe(errno)
                    + "; it is a symbolic link, and a fifo: address must name the FIFO itself");
        }
        return Errno.exception("open", path, errno, null);
    }

    /** fstat on the open descriptor: it must be a FIFO, whatever was at the path before. */
    private static void verify(IpcAddress a, String path, int fd) throws IOException {
        try (Memory st = new Memory(LibC.STAT_SIZE)) {
            if (LibC.fstat(fd, Pointer.nativeValue(st)) != 0) {
                IpcException e = Errno.last("fstat", path);
                LibC.close(fd);
                throw e;
            }
            try {
                checkType(a, path, st.getInt(LibC.STAT_MODE_OFFSET));
            } catch (IOException e) {
                LibC.close(fd);
                throw e;
            }
        }
    }
}
