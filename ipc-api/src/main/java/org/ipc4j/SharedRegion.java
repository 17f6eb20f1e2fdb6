package org.ipc4j;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A named, fixed-size block of memory that several processes map at once; the fastest way to share
 * data between them.
 *
 * <p><b>Offsets</b> run from 0 to {@link #size()} (the user area, after any header the backend
 * keeps). Every access is bounds-checked: an offset or length outside the region throws
 * {@link IndexOutOfBoundsException} whose message names the region, the offset, the length and the
 * size. Volatile, ordered and atomic accesses need natural alignment (4 for int, 8 for long); a
 * misaligned offset throws {@link IllegalArgumentException}.
 *
 * <p><b>Memory order.</b> Plain get/put have no ordering. {@code Volatile} forms are sequentially
 * consistent. {@code putXxxRelease} (an ordered write) makes every earlier write visible to a
 * process that reads the same location with {@code getXxxAcquire} and sees the new value.
 * {@code compareAndSet} and {@code getAndAdd} are atomic across processes.
 *
 * <p><b>Close.</b> {@link #close()} unmaps this process's view; it is idempotent, but must not race
 * with accesses from other threads, which after close throw {@link IllegalStateException} naming the
 * region. Buffers from {@link #asByteBuffer()} must not be used after close. The region and its
 * contents stay in the system until {@link #unlink()}.
 */
public interface SharedRegion extends java.nio.channels.Channel {

    /** The region's address, as opened. */
    String address();

    /** The usable size in bytes. */
    long size();

    /** Reads an int with no ordering. */
    int getInt(long offset);

    /** Writes an int with no ordering. */
    void putInt(long offset, int value);

    /** Reads an int with volatile semantics. */
    int getIntVolatile(long offset);

    /** Writes an int with volatile semantics. */
    void putIntVolatile(long offset, int value);

    /** Reads an int with acquire semantics; pairs with {@link #putIntRelease(long, int)}. */
    int getIntAcquire(long offset);

    /** Writes an int with release semantics (an ordered write): earlier writes become visible first. */
    void putIntRelease(long offset, int value);

    /** Atomically sets the int to {@code value} if it equals {@code expected}; true if it did. */
    boolean compareAndSetInt(long offset, int expected, int value);

    /** Atomically adds {@code delta} to the int and returns the value before. */
    int getAndAddInt(long offset, int delta);

    /** Reads a long with no ordering. */
    long getLong(long offset);

    /** Writes a long with no ordering. */
    void putLong(long offset, long value);

    /** Reads a long with volatile semantics. */
    long getLongVolatile(long offset);

    /** Writes a long with volatile semantics. */
    void putLongVolatile(long offset, long value);

    /** Reads a long with acquire semantics; pairs with {@link #putLongRelease(long, long)}. */
    long getLongAcquire(long offset);

    /** Writes a long with release semantics (an ordered write). */
    void putLongRelease(long offset, long value);

    /** Atomically sets the long to {@code value} if it equals {@code expected}; true if it did. */
    boolean compareAndSetLong(long offset, long expected, long value);

    /** Atomically adds {@code delta} to the long and returns the value before. */
    long getAndAddLong(long offset, long delta);

    /** Copies {@code length} bytes from the region at {@code offset} into {@code dst[dstIndex…]}. */
    void read(long offset, byte[] dst, int dstIndex, int length);

    /** Copies {@code length} bytes from {@code src[srcIndex…]} into the region at {@code offset}. */
    void write(long offset, byte[] src, int srcIndex, int length);

    /** Fills {@code dst}'s remaining bytes from the region at {@code offset}; advances dst's position. */
    void read(long offset, ByteBuffer dst);

    /** Copies {@code src}'s remaining bytes into the region at {@code offset}; advances src's position. */
    void write(long offset, ByteBuffer src);

    /**
     * A {@link ByteBuffer} over the whole usable area (position 0, limit {@link #size()}), native byte
     * order. Usable only while the region is open; regions over 2 GiB - 1 refuse with
     * {@link UnsupportedOperationException}.
     */
    ByteBuffer asByteBuffer();

    /**
     * Removes the region's name from the system; processes that have it mapped keep their view.
     *
     * @throws ObjectNotFoundException if it was already removed
     * @throws IOException if the system refused
     */
    void unlink() throws IOException;

    /** Unmaps this process's view. Idempotent. */
    @Override
    void close() throws IOException;
}
