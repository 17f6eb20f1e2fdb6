package org.ipc4j.posix;

import java.io.IOException;
import java.nio.file.Path;
import org.ipc4j.Channel;
import org.ipc4j.IpcAddress;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SignalService;
import org.ipc4j.posix.internal.FifoChannel;
import org.ipc4j.posix.internal.PipeChannel;
import org.ipc4j.posix.internal.PosixMessageQueue;
import org.ipc4j.posix.internal.PosixSemaphore;
import org.ipc4j.posix.internal.PosixSignals;
import org.ipc4j.posix.internal.SysvMessageQueue;
import org.ipc4j.posix.internal.SysvSemaphore;

/**
 * Typed factories for users who prefer them to address strings. Each builds the address and goes
 * through {@link IpcAddress#parse}, so names are checked by the one validator every kind shares,
 * before any system call.
 */
public final class Posix {
    private Posix() {
    }

    /** Whether an open may create the object. */
    public enum Open {
        /** Open an existing object; a missing one is {@link org.ipc4j.ObjectNotFoundException}. */
        EXISTING,
        /** Create it if absent. */
        CREATE,
        /** Create it; an existing one is {@link org.ipc4j.ObjectExistsException}. */
        EXCLUSIVE
    }

    private static String flag(Open open) {
        switch (open) {
            case CREATE:
                return "create&";
            case EXCLUSIVE:
                return "exclusive&";
            default:
                return "";
        }
    }

    private static String checked(String name) {
        if (name.indexOf('?') >= 0 || name.indexOf('&') >= 0) {
            throw new IllegalArgumentException("a name may not contain '?' or '&': name=" + name);
        }
        return name;
    }

    /** A POSIX message queue {@code /name}; capacity and size apply when it is created. */
    public static MessageQueue openQueue(String name, Open open, int capacity, int maxMessageSize) throws IOException {
        return PosixMessageQueue.open(IpcAddress.parse("mq:" + checked(name) + "?" + flag(open) + "capacity=" + capacity
                + "&maxMessageSize=" + maxMessageSize));
    }

    /** A SysV message queue with a numeric key. */
    public static MessageQueue openSysvQueue(int key, Open open, int maxMessageSize) throws IOException {
        return SysvMessageQueue.open(IpcAddress.parse("sysvmq:" + key + "?" + flag(open) + "maxMessageSize=" + maxMessageSize));
    }

    /** A POSIX named semaphore {@code /name}; {@code initial} applies when it is created. */
    public static Semaphore openSemaphore(String name, Open open, int initial) throws IOException {
        return PosixSemaphore.open(IpcAddress.parse("sem:" + checked(name) + "?" + flag(open) + "initial=" + initial));
    }

    /** A SysV semaphore with a numeric key, with {@code SEM_UNDO}; {@code initial} applies when it is created. */
    public static Semaphore openSysvSemaphore(int key, Open open, int initial) throws IOException {
        return SysvSemaphore.open(IpcAddress.parse("sysvsem:" + key + "?" + flag(open) + "initial=" + initial));
    }

    /** The read end of the FIFO at {@code path} (framed messages). */
    public static Channel openFifoReader(Path path, Open open) throws IOException {
        return FifoChannel.open(IpcAddress.parse("fifo:" + checked(path.toString()) + "?" + flag(open) + "read"));
    }

    /** The write end of the FIFO at {@code path} (framed messages); waits up to 30 s for a reader. */
    public static Channel openFifoWriter(Path path, Open open) throws IOException {
        return FifoChannel.open(IpcAddress.parse("fifo:" + checked(path.toString()) + "?" + flag(open) + "write"));
    }

    /**
     * A channel over pipe descriptors this process inherited ({@code -1} for none), as
     * {@code pipe:?read=R&write=W}.
     */
    public static Channel pipeChannel(int readFd, int writeFd) throws IOException {
        StringBuilder a = new StringBuilder("pipe:?");
        if (readFd >= 0) {
            a.append("read=").append(readFd);
        }
        if (writeFd >= 0) {
            a.append(readFd >= 0 ? "&" : "").append("write=").append(writeFd);
        }
        return PipeChannel.open(IpcAddress.parse(a.toString()));
    }

    /** The signal service of this process. */
    public static SignalService signals() {
        return PosixSignals.instance();
    }
}
