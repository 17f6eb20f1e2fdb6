package org.ipc4j.shm.internal;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.BytesStore;

/**
 * One {@code mmap(MAP_SHARED)} of a file, wrapped with Chronicle Bytes for ordered, volatile and
 * atomic access. {@link #unmap()} releases it at once, so {@code /proc/self/maps} is exact;
 * {@link #retire()} swaps the file out from under a thread that may still write.
 */
public final class Mapping {
    static {
        ChronicleSetup.init();
    }

    private final long address;
    private final long length;
    private final BytesStore<?, ?> bytes;
    private final Pointer pointer;
    private boolean unmapped;
    private boolean retired;

    Mapping(long address, long length) {
        this.address = address;
        this.length = length;
        this.bytes = BytesStore.wrap(address, length);
        this.pointer = new Pointer(address);
    }

    /** The mapped base address. */
    public long address() {
        return address;
    }

    /** The mapped length. */
    public long length() {
        return length;
    }

    /** Chronicle's view; offsets are from the start of the file. */
    public BytesStore<?, ?> bytes() {
        return bytes;
    }

    /** A direct buffer over {@code [offset, offset + size)}, native order. */
    public ByteBuffer buffer(long offset, int size) {
        return pointer.getByteBuffer(offset, size).order(ByteOrder.nativeOrder());
    }

    /**
     * Puts private zero pages in place of the file's, at the same addresses, so that a thread still
     * writing here (a lock-free sender racing a close) writes into memory of its own instead of the
     * shared file, and never faults. The file's pages are released now; the range itself stays until
     * {@link #unmap()}. Idempotent.
     *
     * @return false if the kernel refused (the file stays mapped; the caller then must not unmap
     *     under a thread that may write)
     */
    public synchronized boolean retire() {
        if (unmapped || retired) {
            return true;
        }
        long at = LibC.mmap(address, length, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_FIXED, -1, 0);
        retired = at == address;
        return retired;
    }

    /** Unmaps; idempotent. */
    public synchronized void unmap() {
        if (!unmapped) {
            unmapped = true;
            LibC.munmap(address, length);
        }
    }
}
