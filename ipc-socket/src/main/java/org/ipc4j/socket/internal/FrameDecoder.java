package org.ipc4j.socket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.MessageTooLargeException;

/**
 * Splits a byte stream into length-prefixed frames.
 *
 * <pre>
 * offset size field
 *      0    4 length   big-endian, 0 to maxMessageSize; anything else is a protocol error
 *      4  len payload
 * </pre>
 *
 * Bytes are read from the stream into one buffer that holds at most the frame being assembled plus
 * whatever followed it in the same read. The length is checked as soon as its four bytes are in,
 * before the buffer is grown for the payload, so a hostile length never allocates anything. Not
 * thread-safe: the channel's receive lock guards it.
 */
public final class FrameDecoder {
    /** Bytes in the length prefix. */
    public static final int HEADER_BYTES = 4;
    /** Returned by {@link #next(ByteBuffer)} when no whole frame is buffered yet. */
    public static final int NEED_MORE = -2;

    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final String object;
    private final int maxMessageSize;
    private final boolean direct;
    private ByteBuffer buffer;
    /** Start of the unconsumed bytes; they end at buffer.position(). */
    private int readIndex;
    /** Stream offset of buffer index 0, for callers that attach data to frame starts. */
    private long baseOffset;

    /**
     * @param object the channel's address, for messages
     * @param maxMessageSize the largest payload accepted
     * @param direct whether the read buffer is direct (for socket reads)
     */
    public FrameDecoder(String object, int maxMessageSize, boolean direct) {
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize must be >= 0: maxMessageSize=" + maxMessageSize);
        }
        this.object = object;
        this.maxMessageSize = maxMessageSize;
        this.direct = direct;
        this.buffer = allocate(Math.min(INITIAL_CAPACITY, maxMessageSize + HEADER_BYTES));
    }

    private ByteBuffer allocate(int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** Bytes buffered and not yet returned as a frame. */
    public int buffered() {
        return buffer.position() - readIndex;
    }

    /** Stream offset (bytes since the start of the stream) of the next frame to be returned. */
    public long nextFrameOffset() {
        return baseOffset + readIndex;
    }

    /** Stream offset just past the bytes buffered so far. */
    public long streamOffset() {
        return baseOffset + buffer.position();
    }

    /**
     * Reads once from {@code in} into the buffer, making room first.
     *
     * @return the bytes read, 0 if none were available, -1 at end of stream
     * @throws IpcProtocolException if the buffered frame's length is out of range
     */
    public int readFrom(ReadableByteChannel in) throws IOException {
        makeRoom();
        return in.read(buffer);
    }

    /**
     * Reads once from {@code in}, at most {@code max} bytes (at least one), making room first: a caller
     * expecting a large frame reads only its header here and the payload straight into its own buffer.
     *
     * @return the bytes read, 0 if none were available, -1 at end of stream
     * @throws IpcProtocolException if the buffered frame's length is out of range
     */
    public int readFrom(ReadableByteChannel in, int max) throws IOException {
        makeRoom();
        int limit = buffer.limit();
        buffer.limit(Math.min(limit, buffer.position() + Math.max(1, max)));
        try {
            return in.read(buffer);
        } finally {
            buffer.limit(limit);
        }
    }

    /**
     * True if the last read filled the buffer: the stream may hold more at once, so reading again
     * before waiting is worth it. False means that read took everything the socket had.
     */
    public boolean filled() {
        return !buffer.hasRemaining();
    }

    /**
     * Appends bytes, for tests and for callers that read by other means.
     *
     * @throws IpcProtocolException if the buffered frame's length is out of range
     */
    public void feed(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            makeRoom();
            int n = Math.min(buffer.remaining(), bytes.remaining());
            ByteBuffer slice = bytes.duplicate();
            slice.limit(slice.position() + n);
            buffer.put(slice);
            bytes.position(bytes.position() + n);
        }
    }

    /**
     * Copies the next whole frame's payload into {@code dst}.
     *
     * @return the payload length, or {@link #NEED_MORE} if no whole frame is buffered
     * @throws MessageTooLargeException if the frame is longer than {@code dst.remaining()}; the frame
     *     stays buffered
     * @throws IpcProtocolException if the length field is negative or over maxMessageSize
     */
    public int next(ByteBuffer dst) throws IOException {
        int available = buffered();
        if (available < HEADER_BYTES) {
            return NEED_MORE;
        }
        int length = checkedLength();
        if (length > dst.remaining()) {
            throw new MessageTooLargeException(object, "buffer", length, dst.remaining(), false);
        }
        if (available < HEADER_BYTES + length) {
            return NEED_MORE;
        }
        int start = readIndex + HEADER_BYTES;
        dst.put(dst.position(), buffer, start, length);
        dst.position(dst.position() + length);
        readIndex = start + length;
        if (readIndex == buffer.position()) {
            baseOffset += readIndex;
            readIndex = 0;
            buffer.clear();
            shrinkIfIdle();
        }
        return length;
    }

    /**
     * Starts a direct read of a large frame: if the next frame's header is buffered, its payload is at
     * least {@code minLength} bytes, fits {@code dst} and is not wholly buffered, copies the buffered part
     * of the payload into {@code dst} (advancing its position), consumes header and that part, and
     * returns the payload length; the caller reads the rest from the stream straight into {@code dst}.
     * Otherwise changes nothing and returns -1.
     *
     * @throws IpcProtocolException if the length field is out of range
     */
    public int beginDirect(ByteBuffer dst, int minLength) throws IpcProtocolException {
        int available = buffered();
        if (available < HEADER_BYTES) {
            return -1;
        }
        int length = checkedLength();
        int have = available - HEADER_BYTES;
        if (length < minLength || length > dst.remaining() || have >= length) {
            return -1;
        }
        // every buffered byte belongs to this frame (have < length), so the buffer empties
        dst.put(dst.position(), buffer, readIndex + HEADER_BYTES, have);
        dst.position(dst.position() + have);
        baseOffset += buffer.position();
        readIndex = 0;
        buffer.clear();
        return length;
    }

    /**
     * Undoes a direct read that must stop (a timeout): puts the frame's header and the {@code got}
     * payload bytes read so far (in {@code dst} from {@code start}) back, so the next receive sees the
     * frame as if nothing had been taken. The buffer is empty at this point: the direct read never
     * reads past the frame.
     */
    public void restore(int length, ByteBuffer dst, int start, int got) throws IOException {
        baseOffset -= HEADER_BYTES + got;
        feed(ByteBuffer.allocate(HEADER_BYTES).putInt(0, length));
        ByteBuffer part = dst.duplicate();
        part.limit(start + got).position(start);
        feed(part);
    }

    /** Length of the frame at readIndex; requires its header to be buffered. */
    private int checkedLength() throws IpcProtocolException {
        int length = buffer.getInt(readIndex);
        if (length < 0 || length > maxMessageSize) {
            throw new IpcProtocolException(object, "frame length " + Integer.toUnsignedString(length)
                    + " (0x" + Integer.toHexString(length) + ") from the peer of '" + object
                    + "' is outside 0.." + maxMessageSize + " (maxMessageSize); the stream is not ipc4j framing"
                    + " or the peer's maxMessageSize is larger; the channel was closed");
        }
        return length;
    }

    /** Ensures the buffer has room for at least one more byte of the current frame. */
    private void makeRoom() throws IpcProtocolException {
        if (buffer.hasRemaining()) {
            return;
        }
        int available = buffered();
        int needed = available >= HEADER_BYTES ? HEADER_BYTES + checkedLength() : HEADER_BYTES;
        if (readIndex > 0) {
            // move the partial frame to the front
            ByteBuffer data = buffer.duplicate();
            data.position(readIndex).limit(readIndex + available);
            baseOffset += readIndex;
            buffer.clear();
            buffer.put(data.slice());
            readIndex = 0;
            if (buffer.hasRemaining()) {
                return;
            }
        }
        int capacity;
        if (needed <= available) {
            // whole frames are buffered and more bytes are fed: hold them too (only feed() gets here)
            capacity = (int) Math.min(Integer.MAX_VALUE - 8L, 2L * buffer.capacity());
        } else {
            capacity = (int) Math.min((long) HEADER_BYTES + maxMessageSize,
                    Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, 2L * buffer.capacity())));
        }
        ByteBuffer grown = allocate(capacity);
        buffer.flip();
        grown.put(buffer);
        buffer = grown;
    }

    private void shrinkIfIdle() {
        if (buffer.capacity() > 4 * INITIAL_CAPACITY) {
            buffer = allocate(Math.min(INITIAL_CAPACITY, maxMessageSize + HEADER_BYTES));
        }
    }

    /** True if bytes of an incomplete frame are buffered (end of stream now would cut a frame). */
    public boolean hasPartialFrame() {
        return buffered() > 0;
    }

    /** Describes the partial frame for an end-of-stream error. */
    public String describePartial() {
        int available = buffered();
        if (available < HEADER_BYTES) {
            return available + " of the 4 length bytes";
        }
        return (available - HEADER_BYTES) + " of " + buffer.getInt(readIndex) + " payload bytes";
    }
}
