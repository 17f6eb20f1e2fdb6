package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcException;
import org.ipc4j.ObjectNotFoundException;

/**
 * A channel over anonymous pipe descriptors this process already has: {@code pipe:?read=3&write=4}
 * in a child started with pipe ends on those descriptors (see {@code org.ipc4j.posix.ChildProcess}),
 * or the parent's ends. The descriptors become non-blocking and close-on-exec, and this channel owns
 * them: closing it closes them.
 */
public final class PipeChannel extends FdChannel {
    /** Query keys this kind accepts besides the common ones. */
    public static final String[] KEYS = {"read", "write", "framing", "maxMessageSize"};

    PipeChannel(String address, int readFd, int writeFd, boolean framed, int maxMessageSize) {
        super(address, readFd, writeFd, framed, maxMessageSize);
    }

    /** Opens {@code pipe:?read=N&write=M}. */
    public static PipeChannel open(IpcAddress a) throws IOException {
        a.checkKeys(KEYS);
        boolean framed = framed(a);
        int max = maxMessageSize(a);
        int read = (int) a.integer("read", -1, 0, Integer.MAX_VALUE);
        int write = (int) a.integer("write", -1, 0, Integer.MAX_VALUE);
        if (read < 0 && write < 0) {
            throw a.invalid("read", "give read=FD and/or write=FD: the descriptors of the pipe ends this process"
                    + " inherited, such as pipe:?read=3&write=4");
        }
        if (read >= 0 && read == write) {
            throw a.invalid("write", "read and write must be different descriptors: read=" + read + ", write=" + write);
        }
        if (read >= 0) {
            adopt(a, read, true);
        }
        if (write >= 0) {
            adopt(a, write, false);
        }
        return new PipeChannel(a.text(), read, write, framed, max);
    }

    /** Wraps descriptors this process owns; for the typed API. */
    public static PipeChannel of(String address, int readFd, int writeFd, boolean framed, int maxMessageSize)
            throws IOException {
        if (readFd >= 0) {
            prepare(address, readFd);
        }
        if (writeFd >= 0) {
            prepare(address, writeFd);
        }
        return new PipeChannel(address, readFd, writeFd, framed, maxMessageSize);
    }

    private static void adopt(IpcAddress a, int fd, boolean forReading) throws IOException {
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (flags < 0) {
            throw new ObjectNotFoundException(a.text(), "descriptor " + fd + " named in '" + a.text()
                    + "' is not open in this process: " + Errno.describe(LibC.errno())
                    + "; the parent must place a pipe end there");
        }
        try (Memory st = new Memory(LibC.STAT_SIZE)) {
            if (LibC.fstat(fd, Pointer.nativeValue(st)) != 0
                    || (st.getInt(LibC.STAT_MODE_OFFSET) & LibC.S_IFMT) != LibC.S_IFIFO) {
                throw new IpcException(a.text(), "descriptor " + fd + " named in '" + a.text()
                        + "' is not a pipe; accepted: the read or write end of a pipe");
            }
        }
        int access = flags & LibC.O_ACCMODE;
        if (forReading ? access == LibC.O_WRONLY : access == LibC.O_RDONLY) {
            throw new IpcException(a.text(), "descriptor " + fd + " named in '" + a.text() + "' is the "
                    + (forReading ? "write" : "read") + " end of its pipe; it cannot be used for "
                    + (forReading ? "reading" : "writing"));
        }
        prepare(a.text(), fd);
    }

    private static void prepare(String address, int fd) throws IOException {
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (flags < 0 || LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK) != 0
                || LibC.fcntl(fd, LibC.F_SETFD, LibC.FD_CLOEXEC) != 0) {
            throw Errno.last("fcntl", address + " (fd " + fd + ")");
        }
    }
}
