package org.ipc4j.shm;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.IpcAddress;
import org.ipc4j.SharedRegion;
import org.ipc4j.shm.internal.ShmChannels;
import org.ipc4j.shm.internal.ShmQueue;
import org.ipc4j.shm.internal.ShmRegion;

/**
 * Typed factories for {@code shm:} objects, for code that prefers them to address strings. Each
 * builds the equivalent address, so objects made here and through {@link org.ipc4j.Ipc} meet by name,
 * and every check and message is the same. A {@code name} is one component with a leading slash,
 * such as {@code /prices}; the file is {@code /dev/shm/prices}.
 */
public final class Shm {
    private Shm() {
    }

    /** How a blocked send or receive waits; the {@code wait=} key. */
    public enum Wait {
        /** Busy-spin: lowest latency, a core busy while waiting. */
        SPIN,
        /** Block in the kernel at once (futex): no CPU while idle. */
        BLOCK,
        /** Spin briefly, then block: the default. */
        SPIN_THEN_BLOCK;

        String key() {
            return this == SPIN_THEN_BLOCK ? "spinThenBlock" : name().toLowerCase(Locale.ROOT);
        }
    }

    /** Creates the region {@code name} of {@code size} bytes (mode 0600), or opens it if it exists with that size. */
    public static SharedRegion createRegion(String name, long size) throws IOException {
        return ShmRegion.open(address(name, "?create&size=" + size));
    }

    /** Opens the existing region {@code name}. */
    public static SharedRegion openRegion(String name) throws IOException {
        return ShmRegion.open(address(name, ""));
    }

    /** Opens {@code name} as plain bytes with no header, for C and Python peers; creates it if {@code size > 0}. */
    public static SharedRegion rawRegion(String name, long size) throws IOException {
        return ShmRegion.open(address(name, size > 0 ? "?raw&create&size=" + size : "?raw"));
    }

    /**
     * Listens for channels at {@code name}.
     *
     * @param capacity ring bytes per direction, a power of two from 64 to 1 GiB
     * @param wait how the accepted ends wait
     */
    public static ChannelListener listen(String name, long capacity, Wait wait) throws IOException {
        return ShmChannels.listen(address(name, "?capacity=" + capacity + "&wait=" + wait.key()));
    }

    /** Connects to the listener at {@code name}. */
    public static Channel connect(String name, Wait wait) throws IOException {
        return ShmChannels.connect(address(name, "?wait=" + wait.key()));
    }

    /**
     * Creates the queue {@code name}, or opens it if it exists with the same sizes.
     *
     * @param capacity messages held before send blocks, 1 to 2^20
     * @param maxMessageSize the largest message in bytes
     */
    public static ShmMessageQueue createQueue(String name, int capacity, int maxMessageSize) throws IOException {
        return ShmQueue.open(address(name, "?create&capacity=" + capacity + "&maxMessageSize=" + maxMessageSize));
    }

    /** Opens the existing queue {@code name}. */
    public static ShmMessageQueue openQueue(String name) throws IOException {
        return ShmQueue.open(address(name, ""));
    }

    private static IpcAddress address(String name, String query) throws IOException {
        Objects.requireNonNull(name, "name");
        return IpcAddress.parse("shm:" + name + query);
    }
}
