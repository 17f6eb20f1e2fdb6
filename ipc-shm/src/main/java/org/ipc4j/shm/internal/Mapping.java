package org.ipc4j.shm.internal;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.BytesStore;

/**
 * One {@code mmap(MAP_SHARED)} of a file, wrapped with Chronicle Bytes for ordered, volatile and
 * atomic access. {@link #unmap()} releases it at once, so {@code /proc/self/maps} is exact.
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

    /** Unmaps; idempotent. */
    public synchronized void unmap() {
        if (!unmapped) {
            unmapped = true;
            LibC.munmap(address, length);
        }
    }
}
