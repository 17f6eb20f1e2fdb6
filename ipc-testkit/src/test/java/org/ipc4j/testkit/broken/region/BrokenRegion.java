package org.ipc4j.testkit.broken.region;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ipc4j.SharedRegion;

/** An {@code inproc:} region with one {@link RegionFault}. */
final class BrokenRegion implements SharedRegion {
    private final SharedRegion delegate;
    private final RegionFault fault;
    private final String address;
    private final long size;

    BrokenRegion(SharedRegion delegate, RegionFault fault, String address) {
        this.delegate = delegate;
        this.fault = fault;
        this.address = address;
        this.size = fault == RegionFault.BOUNDS_OFF_BY_ONE ? delegate.size() - RegionFault.SLACK : delegate.size();
    }

    /** The broken check: {@code offset + length <= size + 1}; the delegate checks the rest. */
    private void check(long offset, long length) {
        if (fault == RegionFault.BOUNDS_OFF_BY_ONE && delegate.isOpen() && (offset < 0 || offset > size + 1 - length)) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length + " outside size=" + size
                    + " of '" + address + "'");
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
    public int getInt(long offset) {
        check(offset, 4);
        return delegate.getInt(offset);
    }

    @Override
    public void putInt(long offset, int value) {
        check(offset, 4);
        delegate.putInt(offset, value);
    }

    @Override
    public int getIntVolatile(long offset) {
        check(offset, 4);
        return delegate.getIntVolatile(offset);
    }

    @Override
    public void putIntVolatile(long offset, int value) {
        check(offset, 4);
        delegate.putIntVolatile(offset, value);
    }

    @Override
    public int getIntAcquire(long offset) {
        check(offset, 4);
        return delegate.getIntAcquire(offset);
    }

    @Override
    public void putIntRelease(long offset, int value) {
        check(offset, 4);
        delegate.putIntRelease(offset, value);
    }

    @Override
    public boolean compareAndSetInt(long offset, int expected, int value) {
        check(offset, 4);
        return delegate.compareAndSetInt(offset, expected, value);
    }

    @Override
    public int getAndAddInt(long offset, int delta) {
        check(offset, 4);
        if (fault != RegionFault.NON_ATOMIC_ADD) {
            return delegate.getAndAddInt(offset, delta);
        }
        int before = delegate.getIntVolatile(offset);
        if ((before & 7) == 0) {
            Thread.yield(); // now and then, widen the window another adder slips into
        }
        delegate.putIntVolatile(offset, before + delta);
        return before;
    }

    @Override
    public long getLong(long offset) {
        check(offset, 8);
        return delegate.getLong(offset);
    }

    @Override
    public void putLong(long offset, long value) {
        check(offset, 8);
        delegate.putLong(offset, value);
    }

    @Override
    public long getLongVolatile(long offset) {
        check(offset, 8);
        return delegate.getLongVolatile(offset);
    }

    @Override
    public void putLongVolatile(long offset, long value) {
        check(offset, 8);
        delegate.putLongVolatile(offset, value);
    }

    @Override
    public long getLongAcquire(long offset) {
        check(offset, 8);
        return delegate.getLongAcquire(offset);
    }

    @Override
    public void putLongRelease(long offset, long value) {
        check(offset, 8);
        delegate.putLongRelease(offset, value);
    }

    @Override
    public boolean compareAndSetLong(long offset, long expected, long value) {
        check(offset, 8);
        return delegate.compareAndSetLong(offset, expected, value);
    }

    @Override
    public long getAndAddLong(long offset, long delta) {
        check(offset, 8);
        if (fault != RegionFault.NON_ATOMIC_ADD) {
            return delegate.getAndAddLong(offset, delta);
        }
        long before = delegate.getLongVolatile(offset);
        if ((before & 7) == 0) {
            Thread.yield(); // now and then, widen the window another adder slips into
        }
        delegate.putLongVolatile(offset, before + delta);
        return before;
    }

    @Override
    public void read(long offset, byte[] dst, int dstIndex, int length) {
        check(offset, length);
        delegate.read(offset, dst, dstIndex, length);
    }

    @Override
    public void write(long offset, byte[] src, int srcIndex, int length) {
        check(offset, length);
        delegate.write(offset, src, srcIndex, length);
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        check(offset, dst.remaining());
        delegate.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) {
        check(offset, src.remaining());
        delegate.write(offset, src);
    }

    @Override
    public ByteBuffer asByteBuffer() {
        ByteBuffer all = delegate.asByteBuffer();
        return all.slice(0, (int) size).order(ByteOrder.nativeOrder());
    }

    @Override
    public void unlink() throws IOException {
        delegate.unlink();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
