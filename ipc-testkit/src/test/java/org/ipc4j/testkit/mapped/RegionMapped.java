package org.ipc4j.testkit.mapped;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.SharedRegion;

/**
 * The kit's own cross-process region: a file in {@code /dev/shm} mapped with {@link MappedByteBuffer},
 * accessed through byte-buffer {@link VarHandle}s (which are atomic on a shared mapping). Test scope
 * only; just enough to run the contract's peer JVM cases inside the kit's own build. With
 * {@code nonAtomicAdd}, getAndAdd is a read then a write: the broken variant.
 */
final class RegionMapped implements SharedRegion {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final String address;
    private final String name;
    private final Path path;
    private final ByteBuffer buffer;
    private final long size;
    private final boolean nonAtomicAdd;
    private volatile boolean closed;

    private RegionMapped(String address, String name, Path path, ByteBuffer buffer, boolean nonAtomicAdd) {
        this.address = address;
        this.name = name;
        this.path = path;
        this.buffer = buffer;
        this.size = buffer.capacity();
        this.nonAtomicAdd = nonAtomicAdd;
    }

    /** Maps the region file {@code name}, creating it with {@code size} zero bytes if asked and absent. */
    static RegionMapped open(String address, String name, boolean create, long size, boolean nonAtomicAdd)
            throws IOException {
        Path path = MappedFiles.path("region", name);
        if (create && !Files.exists(path)) {
            if (size < 1 || size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("size must be 1 to " + Integer.MAX_VALUE + ": size=" + size);
            }
            MappedFiles.createFilled(path, size);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size());
            return new RegionMapped(address, name, path, map.order(ByteOrder.nativeOrder()), nonAtomicAdd);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(address, "region '" + name + "' does not exist; add ?create to create it", e);
        }
    }

    private int at(long offset, int length, int alignment) {
        if (closed) {
            throw new IllegalStateException("region '" + name + "' is closed");
        }
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length + " is outside region '" + name
                    + "' of size=" + size);
        }
        if (alignment > 1 && offset % alignment != 0) {
            throw new IllegalArgumentException("offset=" + offset + " is not a multiple of " + alignment + " in region '"
                    + name + "'; atomic and ordered accesses need natural alignment");
        }
        return (int) offset;
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
    public int getInt(long offset) {
        return buffer.getInt(at(offset, 4, 1));
    }

    @Override
    public void putInt(long offset, int value) {
        buffer.putInt(at(offset, 4, 1), value);
    }

    @Override
    public int getIntVolatile(long offset) {
        return (int) INT.getVolatile(buffer, at(offset, 4, 4));
    }

    @Override
    public void putIntVolatile(long offset, int value) {
        INT.setVolatile(buffer, at(offset, 4, 4), value);
    }

    @Override
    public int getIntAcquire(long offset) {
        return (int) INT.getAcquire(buffer, at(offset, 4, 4));
    }

    @Override
    public void putIntRelease(long offset, int value) {
        INT.setRelease(buffer, at(offset, 4, 4), value);
    }

    @Override
    public boolean compareAndSetInt(long offset, int expected, int value) {
        return INT.compareAndSet(buffer, at(offset, 4, 4), expected, value);
    }

    @Override
    public int getAndAddInt(long offset, int delta) {
        int i = at(offset, 4, 4);
        if (nonAtomicAdd) {
            int before = (int) INT.getVolatile(buffer, i);
            if ((before & 7) == 0) {
                Thread.yield(); // now and then, widen the window another adder slips into
            }
            INT.setVolatile(buffer, i, before + delta);
            return before;
        }
        return (int) INT.getAndAdd(buffer, i, delta);
    }

    @Override
    public long getLong(long offset) {
        return buffer.getLong(at(offset, 8, 1));
    }

    @Override
    public void putLong(long offset, long value) {
        buffer.putLong(at(offset, 8, 1), value);
    }

    @Override
    public long getLongVolatile(long offset) {
        return (long) LONG.getVolatile(buffer, at(offset, 8, 8));
    }

    @Override
    public void putLongVolatile(long offset, long value) {
        LONG.setVolatile(buffer, at(offset, 8, 8), value);
    }

    @Override
    public long getLongAcquire(long offset) {
        return (long) LONG.getAcquire(buffer, at(offset, 8, 8));
    }

    @Override
    public void putLongRelease(long offset, long value) {
        LONG.setRelease(buffer, at(offset, 8, 8), value);
    }

    @Override
    public boolean compareAndSetLong(long offset, long expected, long value) {
        return LONG.compareAndSet(buffer, at(offset, 8, 8), expected, value);
    }

    @Override
    public long getAndAddLong(long offset, long delta) {
        int i = at(offset, 8, 8);
        if (nonAtomicAdd) {
            long before = (long) LONG.getVolatile(buffer, i);
            if ((before & 7) == 0) {
                Thread.yield(); // now and then, widen the window another adder slips into
            }
            LONG.setVolatile(buffer, i, before + delta);
            return before;
        }
        return (long) LONG.getAndAdd(buffer, i, delta);
    }

    @Override
    public void read(long offset, byte[] dst, int dstIndex, int length) {
        Objects.checkFromIndexSize(dstIndex, length, dst.length);
        buffer.get(at(offset, length, 1), dst, dstIndex, length);
    }

    @Override
    public void write(long offset, byte[] src, int srcIndex, int length) {
        Objects.checkFromIndexSize(srcIndex, length, src.length);
        buffer.put(at(offset, length, 1), src, srcIndex, length);
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        int length = dst.remaining();
        int i = at(offset, length, 1);
        dst.put(dst.position(), buffer, i, length);
        dst.position(dst.position() + length);
    }

    @Override
    public void write(long offset, ByteBuffer src) {
        int length = src.remaining();
        int i = at(offset, length, 1);
        buffer.put(i, src, src.position(), length);
        src.position(src.limit());
    }

    @Override
    public ByteBuffer asByteBuffer() {
        at(0, 0, 1);
        return buffer.duplicate().order(ByteOrder.nativeOrder());
    }

    @Override
    public void unlink() throws IOException {
        try {
            Files.delete(path);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(address, "region '" + name + "' was already removed", e);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true; // the mapping goes with the buffer; good enough for a test backend
    }
}
