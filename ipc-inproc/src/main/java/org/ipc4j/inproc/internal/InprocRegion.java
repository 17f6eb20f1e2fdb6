package org.ipc4j.inproc.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;
import org.ipc4j.IpcAddress;
import org.ipc4j.ResourceLimitException;
import org.ipc4j.SharedRegion;

/**
 * One handle on an inproc region: a direct buffer accessed through {@link VarHandle}s, so the memory
 * orders match what the API promises for a shared mapping.
 */
public final class InprocRegion implements SharedRegion {
    /** Query keys of region addresses, besides the common ones. */
    public static final String[] KEYS = {"size"};
    /** The largest region: one direct buffer. */
    public static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final String address;
    private final RegionState state;
    private final long size;
    private volatile ByteBuffer memory;

    private InprocRegion(String address, RegionState state) {
        this.address = address;
        this.state = state;
        this.memory = state.memory;
        this.size = state.memory.capacity();
    }

    /** Opens or creates the region the address names; {@code size} is required when creating. */
    public static InprocRegion open(IpcAddress address) throws IOException {
        address.checkKeys(KEYS);
        long size = address.size("size", -1);
        if (address.has("size") && (size < 1 || size > MAX_SIZE)) {
            throw address.invalid("size", "size=" + size + " is out of range; accepted: 1 to " + MAX_SIZE
                    + " bytes, such as 64KiB");
        }
        RegionState state = Registry.REGIONS.open(address, () -> {
            if (size < 0) {
                throw address.invalid("size", "'size' is required when creating region '" + address.name()
                        + "'; accepted: 1 to " + MAX_SIZE + " bytes, such as ?create&size=64KiB");
            }
            try {
                return new RegionState(address.name(), (int) size);
            } catch (OutOfMemoryError e) {
                throw new ResourceLimitException(address.text(), "cannot allocate size=" + size
                        + " bytes for region '" + address.name() + "': " + e.getMessage()
                        + "; raise -XX:MaxDirectMemorySize or ask for less", e);
            }
        });
        return new InprocRegion(address.text(), state);
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
        return memory != null;
    }

    private ByteBuffer memory() {
        ByteBuffer m = memory;
        if (m == null) {
            throw new IllegalStateException("region '" + address + "' is closed");
        }
        return m;
    }

    private int check(long offset, long length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length
                    + " is outside region '" + address + "' of size=" + size + "; accepted: 0 <= offset"
                    + " and offset + length <= size");
        }
        return (int) offset;
    }

    private int checkAligned(long offset, int length, String access) {
        int index = check(offset, length);
        if ((offset & (length - 1)) != 0) {
            throw new IllegalArgumentException("offset=" + offset + " is not aligned for " + access
                    + " on region '" + address + "'; accepted: a multiple of " + length);
        }
        return index;
    }

    @Override
    public int getInt(long offset) {
        ByteBuffer m = memory();
        return (int) INT.get(m, check(offset, Integer.BYTES));
    }

    @Override
    public void putInt(long offset, int value) {
        ByteBuffer m = memory();
        INT.set(m, check(offset, Integer.BYTES), value);
    }

    @Override
    public int getIntVolatile(long offset) {
        ByteBuffer m = memory();
        return (int) INT.getVolatile(m, checkAligned(offset, Integer.BYTES, "a volatile int read"));
    }

    @Override
    public void putIntVolatile(long offset, int value) {
        ByteBuffer m = memory();
        INT.setVolatile(m, checkAligned(offset, Integer.BYTES, "a volatile int write"), value);
    }

    @Override
    public int getIntAcquire(long offset) {
        ByteBuffer m = memory();
        return (int) INT.getAcquire(m, checkAligned(offset, Integer.BYTES, "an acquire int read"));
    }

    @Override
    public void putIntRelease(long offset, int value) {
        ByteBuffer m = memory();
        INT.setRelease(m, checkAligned(offset, Integer.BYTES, "a release int write"), value);
    }

    @Override
    public boolean compareAndSetInt(long offset, int expected, int value) {
        ByteBuffer m = memory();
        return INT.compareAndSet(m, checkAligned(offset, Integer.BYTES, "an int compareAndSet"), expected, value);
    }

    @Override
    public int getAndAddInt(long offset, int delta) {
        ByteBuffer m = memory();
        return (int) INT.getAndAdd(m, checkAligned(offset, Integer.BYTES, "an int getAndAdd"), delta);
    }

    @Override
    public long getLong(long offset) {
        ByteBuffer m = memory();
        return (long) LONG.get(m, check(offset, Long.BYTES));
    }

    @Override
    public void putLong(long offset, long value) {
        ByteBuffer m = memory();
        LONG.set(m, check(offset, Long.BYTES), value);
    }

    @Override
    public long getLongVolatile(long offset) {
        ByteBuffer m = memory();
        return (long) LONG.getVolatile(m, checkAligned(offset, Long.BYTES, "a volatile long read"));
    }

    @Override
    public void putLongVolatile(long offset, long value) {
        ByteBuffer m = memory();
        LONG.setVolatile(m, checkAligned(offset, Long.BYTES, "a volatile long write"), value);
    }

    @Override
    public long getLongAcquire(long offset) {
        ByteBuffer m = memory();
        return (long) LONG.getAcquire(m, checkAligned(offset, Long.BYTES, "an acquire long read"));
    }

    @Override
    public void putLongRelease(long offset, long value) {
        ByteBuffer m = memory();
        LONG.setRelease(m, checkAligned(offset, Long.BYTES, "a release long write"), value);
    }

    @Override
    public boolean compareAndSetLong(long offset, long expected, long value) {
        ByteBuffer m = memory();
        return LONG.compareAndSet(m, checkAligned(offset, Long.BYTES, "a long compareAndSet"), expected, value);
    }

    @Override
    public long getAndAddLong(long offset, long delta) {
        ByteBuffer m = memory();
        return (long) LONG.getAndAdd(m, checkAligned(offset, Long.BYTES, "a long getAndAdd"), delta);
    }

    @Override
    public void read(long offset, byte[] dst, int dstIndex, int length) {
        Objects.requireNonNull(dst, "dst");
        ByteBuffer m = memory();
        Objects.checkFromIndexSize(dstIndex, length, dst.length);
        m.get(check(offset, length), dst, dstIndex, length);
    }

    @Override
    public void write(long offset, byte[] src, int srcIndex, int length) {
        Objects.requireNonNull(src, "src");
        ByteBuffer m = memory();
        Objects.checkFromIndexSize(srcIndex, length, src.length);
        m.put(check(offset, length), src, srcIndex, length);
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        ByteBuffer m = memory();
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int length = dst.remaining();
        int index = check(offset, length);
        dst.put(dst.position(), m, index, length);
        dst.position(dst.position() + length);
    }

    @Override
    public void write(long offset, ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        ByteBuffer m = memory();
        int length = src.remaining();
        int index = check(offset, length);
        m.put(index, src, src.position(), length);
        src.position(src.position() + length);
    }

    @Override
    public ByteBuffer asByteBuffer() {
        return memory().duplicate().clear().order(ByteOrder.nativeOrder());
    }

    @Override
    public void unlink() throws IOException {
        Registry.REGIONS.unlink(address, state.name, state);
    }

    @Override
    public void close() {
        memory = null;
    }

    @Override
    public String toString() {
        return "InprocRegion[" + address + ", size=" + size + (memory == null ? ", closed]" : "]");
    }
}
