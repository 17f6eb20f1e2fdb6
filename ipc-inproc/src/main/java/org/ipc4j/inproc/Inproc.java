package org.ipc4j.inproc;

import java.io.IOException;
import java.util.Objects;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.IpcAddress;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SharedRegion;
import org.ipc4j.inproc.internal.InprocListener;
import org.ipc4j.inproc.internal.InprocQueue;
import org.ipc4j.inproc.internal.InprocRegion;
import org.ipc4j.inproc.internal.InprocSemaphore;

/**
 * Typed factories for the {@code inproc:} objects, for code that prefers them to address strings.
 * Each builds the equivalent address, so objects made here and through {@link org.ipc4j.Ipc} meet by
 * name, and every check and message is the same. A {@code name} is one component with a leading
 * slash, such as {@code /jobs}.
 */
public final class Inproc {
    private Inproc() {
    }

    /** Listens for channels at {@code name} with the default sizes (1 MiB messages, 1024 buffered). */
    public static ChannelListener listen(String name) throws IOException {
        return InprocListener.listen(address(name, ""));
    }

    /**
     * Listens for channels at {@code name}.
     *
     * @param maxMessageSize the largest message in bytes, at least 1
     * @param capacity the messages buffered towards the accepted end, at least 1
     */
    public static ChannelListener listen(String name, int maxMessageSize, int capacity) throws IOException {
        return InprocListener.listen(address(name, "?maxMessageSize=" + maxMessageSize + "&capacity=" + capacity));
    }

    /** Connects to the listener at {@code name}; {@link org.ipc4j.ObjectNotFoundException} if there is none. */
    public static Channel connect(String name) throws IOException {
        return InprocListener.connect(address(name, ""));
    }

    /** Opens the existing queue {@code name}. */
    public static MessageQueue openQueue(String name) throws IOException {
        return InprocQueue.open(address(name, ""));
    }

    /**
     * Creates the queue {@code name}, or opens it if it exists (then the sizes given here are ignored).
     *
     * @param capacity messages held before send blocks, at least 1
     * @param maxMessageSize the largest message in bytes, at least 1
     * @param maxPriority the highest priority, 0 to 32767
     */
    public static MessageQueue createQueue(String name, int capacity, int maxMessageSize, int maxPriority)
            throws IOException {
        return InprocQueue.open(address(name, "?create&capacity=" + capacity + "&maxMessageSize=" + maxMessageSize
                + "&maxPriority=" + maxPriority));
    }

    /** Opens the existing region {@code name}. */
    public static SharedRegion openRegion(String name) throws IOException {
        return InprocRegion.open(address(name, ""));
    }

    /** Creates the zero-filled region {@code name} of {@code size} bytes, or opens it if it exists. */
    public static SharedRegion createRegion(String name, long size) throws IOException {
        return InprocRegion.open(address(name, "?create&size=" + size));
    }

    /** Opens the existing semaphore {@code name}. */
    public static Semaphore openSemaphore(String name) throws IOException {
        return InprocSemaphore.open(address(name, ""));
    }

    /** Creates the semaphore {@code name} with {@code initial} permits, or opens it if it exists. */
    public static Semaphore createSemaphore(String name, int initial) throws IOException {
        return InprocSemaphore.open(address(name, "?create&initial=" + initial));
    }

    private static IpcAddress address(String name, String query) throws IOException {
        Objects.requireNonNull(name, "name");
        return IpcAddress.parse("inproc:" + name + query);
    }
}
