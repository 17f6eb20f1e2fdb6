package org.ipc4j.shm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import net.openhft.chronicle.bytes.BytesStore;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.SharedRegion;

/**
 * A {@link SharedRegion} over a {@link ShmFile}: {@link RegionLayout} header then the user bytes, or
 * only user bytes with {@code ?raw}.
 */
public final class ShmRegion implements SharedRegion {
    /** Keys {@code shm:} regions accept besides the common ones. */
    public static final String[] KEYS = {"size", "raw"};

    private final String address;
    private final ShmFile file;
    private final BytesStore<?, ?> bytes;
    private final long base;
    private final long size;
    private volatile boolean closed;

    private ShmRegion(String address, ShmFile file, long base, long size) {
        this.address = address;
        this.file = file;
        this.bytes = file.mapping().bytes();
        this.base = base;
        this.size = size;
    }

    /** Opens or creates the region an address names. */
    public static ShmRegion open(IpcAddress address) throws IOException {
        address.checkKeys(KEYS);
        String object = address.text();
        String path = ShmNames.path(address);
        boolean raw = address.flag("raw");
        long size = address.size("size", -1);
        if (address.has("size") && size <= 0) {
            throw address.invalid("size", "size must be > 0: size=" + size);
        }
        long header = raw ? 0 : RegionLayout.HEADER_SIZE;
        if (size > Long.MAX_VALUE - 4096 - header) {
            throw address.invalid("size", "size is too large: size=" + size);
        }
        if (address.create()) {
            if (size < 0) {
                throw address.invalid("size", "creating a region needs ?size=, such as size=1MiB");
            }
            try {
                ShmFile created = ShmFile.create(object, path, header + size, address.mode(), false, -1, m -> {
                    if (!raw) {
                        Header.write(m, RegionLayout.KIND_REGION, size);
                    }
                });
                created.closeDescriptor();
                return new ShmRegion(object, created, header, size);
            } catch (ObjectExistsException e) {
                if (address.exclusive()) {
                    throw e;
                }
            }
        }
        ShmFile file = ShmFile.open(object, path, header);
        try {
            long found;
            if (raw) {
                found = file.size();
            } else {
                found = Header.check(object, file, RegionLayout.KIND_REGION);
            }
            if (size >= 0 && found != size) {
                throw new org.ipc4j.IpcProtocolException(object, "'" + object + "' has size=" + found
                        + " bytes, but the address asks for size=" + size + "; drop ?size or use the same value");
            }
            file.closeDescriptor();   // the mapping keeps the memory; a region needs no liveness lock
            return new ShmRegion(object, file, header, found);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    private long at(long offset, long length) {
        if (closed) {
            throw new IllegalStateException("region '" + address + "' is closed");
        }
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("region '" + address + "': offset=" + offset + " length=" + length
                    + " is outside size=" + size);
        }
        return base + offset;
    }

    private long aligned(long offset, int width) {
        long at = at(offset, width);
        if ((offset & (width - 1)) != 0) {
            throw new IllegalArgumentException("region '" + address + "': offset=" + offset
                    + " is not aligned to " + width + " bytes, as volatile, ordered and atomic access needs");
        }
        return at;
    }

    /** A fault in the mapping (file truncated by someone else) surfaces as this, not InternalError. */
    private UncheckedIOException fault(InternalError e) {
        return new UncheckedIOException(new IpcException(address, "memory fault in region '" + address
                + "': its file " + file.path() + " was truncated or /dev/shm ran out of space", e));
    }

    @Override
    public int getInt(long offset) {
        long at = at(offset, 4);
        try {
            return bytes.readInt(at);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putInt(long offset, int value) {
        long at = at(offset, 4);
        try {
            bytes.writeInt(at, value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public int getIntVolatile(long offset) {
        long at = aligned(offset, 4);
        try {
            return bytes.readVolatileInt(at);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putIntVolatile(long offset, int value) {
        long at = aligned(offset, 4);
        try {
            bytes.writeVolatileInt(at, value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public int getIntAcquire(long offset) {
        return getIntVolatile(offset);
    }

    @Override
    public void putIntRelease(long offset, int value) {
        long at = aligned(offset, 4);
        try {
            bytes.writeOrderedInt(at, value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public boolean compareAndSetInt(long offset, int expected, int value) {
        long at = aligned(offset, 4);
        try {
            return bytes.compareAndSwapInt(at, expected, value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public int getAndAddInt(long offset, int delta) {
        long at = aligned(offset, 4);
        try {
            return bytes.addAndGetInt(at, delta) - delta;
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public long getLong(long offset) {
        long at = at(offset, 8);
        try {
            return bytes.readLong(at);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putLong(long offset, long value) {
        long at = at(offset, 8);
        try {
            bytes.writeLong(at, value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public long getLongVolatile(long offset) {
        long at = aligned(offset, 8);
        try {
            return bytes.readVolatileLong(at);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putLongVolatile(long offset, long value) {
        long at = aligned(offset, 8);
        try {
            bytes.writeVolatileLong(at, value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public long getLongAcquire(long offset) {
        return getLongVolatile(offset);
    }

    @Override
    public void putLongRelease(long offset, long value) {
        long at = aligned(offset, 8);
        try {
            bytes.writeOrderedLong(at, value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public boolean compareAndSetLong(long offset, long expected, long value) {
        long at = aligned(offset, 8);
        try {
            return bytes.compareAndSwapLong(at, expected, value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public long getAndAddLong(long offset, long delta) {
        long at = aligned(offset, 8);
        try {
            return bytes.addAndGetLong(at, delta) - delta;
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void read(long offset, byte[] dst, int dstIndex, int length) {
        Objects.checkFromIndexSize(dstIndex, length, dst.length);
        long at = at(offset, length);
        try {
            bytes.read(at, dst, dstIndex, length);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void write(long offset, byte[] src, int srcIndex, int length) {
        Objects.checkFromIndexSize(srcIndex, length, src.length);
        long at = at(offset, length);
        try {
            bytes.write(at, src, srcIndex, length);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        int length = dst.remaining();
        long at = at(offset, length);
        try {
            dst.put(file.mapping().buffer(at, length));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) {
        int length = src.remaining();
        long at = at(offset, length);
        try {
            file.mapping().buffer(at, length).put(src);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public ByteBuffer asByteBuffer() {
        if (size > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("region '" + address + "' has size=" + size
                    + ", over the 2 GiB - 1 a ByteBuffer can hold; use the offset methods");
        }
        long at = at(0, size);
        return file.mapping().buffer(at, (int) size);
    }

    @Override
    public void unlink() throws IOException {
        String path = file.path();
        if (LibC.unlink(path) != 0) {
            int errno = com.sun.jna.Native.getLastError();
            if (errno == LibC.ENOENT) {
                throw new ObjectNotFoundException(address, "'" + address + "' was already removed (" + path + ")");
            }
            throw new IpcException(address, "unlink(" + path + ") failed: " + LibC.describe(errno));
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            file.close();
        }
    }

    @Override
    public String toString() {
        return "ShmRegion[" + address + ", size=" + size + (closed ? ", closed]" : "]");
    }

}
