package org.ipc4j.testkit.peer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The self-checking messages the channel peers and {@code ChannelContract} exchange.
 *
 * <p>A message of {@code size >= HEADER} bytes starts with a header that identifies it, followed by
 * bytes that depend on the header, so that a receiver can tell a lost, duplicated, reordered,
 * truncated or interleaved message from a good one:
 * <pre>
 * offset size field
 *      0    4 stream   the sender thread's number
 *      4    8 seq      the message's number within its stream, from 0
 *     12    4 size     the whole message's length
 *     16    - pattern  byte i = {@link #patternByte(int, long, int)}
 * </pre>
 * A message shorter than {@link #HEADER} (an empty one, for instance) is all pattern; a receiver
 * identifies it by its position in stream 0.
 *
 * <p>Message sizes follow a {@linkplain #parseSizes size list} that sender and receiver share:
 * message {@code seq} of every stream has size {@code sizes[seq % sizes.length]}.
 */
public final class ChannelPayload {
    /** Length of the identifying header. */
    public static final int HEADER = 16;

    private ChannelPayload() {
    }

    /**
     * Parses a comma-separated list of sizes; the word {@code max} stands for {@code maxMessageSize},
     * and every size is capped at it.
     *
     * @throws IllegalArgumentException if an element is neither a non-negative number nor {@code max}
     */
    public static int[] parseSizes(String spec, int maxMessageSize) {
        String[] parts = spec.split(",");
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            int size;
            if (p.equals("max")) {
                size = maxMessageSize;
            } else {
                try {
                    size = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad size '" + p + "' in size list '" + spec
                            + "'; accepted: non-negative numbers and 'max'", e);
                }
                if (size < 0) {
                    throw new IllegalArgumentException("bad size '" + p + "' in size list '" + spec
                            + "'; accepted: non-negative numbers and 'max'");
                }
            }
            sizes[i] = Math.min(size, maxMessageSize);
        }
        return sizes;
    }

    /** The size of message {@code seq} under {@code sizes}. */
    public static int sizeOf(int[] sizes, long seq) {
        return sizes[(int) (seq % sizes.length)];
    }

    /** Byte {@code i} of message ({@code stream}, {@code seq}). */
    public static byte patternByte(int stream, long seq, int i) {
        long h = (seq + 1) * 0x9E3779B97F4A7C15L + stream * 0xC2B2AE3D27D4EB4FL + i * 0x165667B19E3779F9L;
        return (byte) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    /** Writes message ({@code stream}, {@code seq}) of {@code size} bytes at {@code dst}'s position and advances it. */
    public static void fill(ByteBuffer dst, int stream, long seq, int size) {
        int start = dst.position();
        if (size >= HEADER) {
            dst.putInt(stream).putLong(seq).putInt(size);
        }
        for (int i = dst.position() - start; i < size; i++) {
            dst.put(patternByte(stream, seq, i));
        }
    }

    /** A new heap buffer holding message ({@code stream}, {@code seq}) of {@code size} bytes, ready to send. */
    public static ByteBuffer message(int stream, long seq, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        fill(b, stream, seq, size);
        return b.flip();
    }

    /**
     * Checks that {@code message} (position to limit) is exactly message ({@code stream}, {@code seq})
     * of {@code size} bytes.
     *
     * @return null if it is, else what differs
     */
    public static String mismatch(ByteBuffer message, int stream, long seq, int size) {
        int len = message.remaining();
        if (len != size) {
            return "message (stream " + stream + ", seq " + seq + ") has length " + len + ", expected " + size;
        }
        int p = message.position();
        int i = 0;
        if (size >= HEADER) {
            int s = message.getInt(p);
            long q = message.getLong(p + 4);
            int z = message.getInt(p + 12);
            if (s != stream || q != seq || z != size) {
                return "expected message (stream " + stream + ", seq " + seq + ", size " + size
                        + ") but got header (stream " + s + ", seq " + q + ", size " + z + ")";
            }
            i = HEADER;
        }
        for (; i < size; i++) {
            if (message.get(p + i) != patternByte(stream, seq, i)) {
                return "message (stream " + stream + ", seq " + seq + ", size " + size + ") differs at byte " + i;
            }
        }
        return null;
    }

    /** The CRC-32 of the bytes from position to limit; the buffer is not moved. */
    public static long crc(ByteBuffer message) {
        CRC32 crc = new CRC32();
        crc.update(message.duplicate());
        return crc.getValue();
    }
}
