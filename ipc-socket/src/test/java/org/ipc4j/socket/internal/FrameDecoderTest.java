package org.ipc4j.socket.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.MessageTooLargeException;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    /** A channel that hands out a byte stream in the given chunk sizes, then end of stream. */
    static final class ChunkedChannel implements ReadableByteChannel {
        private final ByteBuffer stream;
        private final List<Integer> chunks;
        private int next;

        ChunkedChannel(ByteBuffer stream, List<Integer> chunks) {
            this.stream = stream;
            this.chunks = chunks;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!stream.hasRemaining()) {
                return -1;
            }
            int size = chunks.isEmpty() ? 1 : Math.max(1, chunks.get(next++ % chunks.size()));
            int n = Math.min(size, Math.min(dst.remaining(), stream.remaining()));
            ByteBuffer slice = stream.duplicate();
            slice.limit(slice.position() + n);
            dst.put(slice);
            stream.position(stream.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    static ByteBuffer frame(List<byte[]> messages) {
        int total = messages.stream().mapToInt(m -> m.length + 4).sum();
        ByteBuffer b = ByteBuffer.allocate(total);
        for (byte[] m : messages) {
            b.putInt(m.length).put(m);
        }
        return b.flip();
    }

    static List<byte[]> decodeAll(FrameDecoder decoder, ReadableByteChannel in, int bufferSize) throws IOException {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer dst = ByteBuffer.allocate(bufferSize);
        while (true) {
            dst.clear();
            int n = decoder.next(dst);
            if (n >= 0) {
                byte[] m = new byte[n];
                dst.flip().get(m);
                out.add(m);
                continue;
            }
            if (decoder.readFrom(in) < 0) {
                assertFalse(decoder.hasPartialFrame(), "stream ended with a partial frame");
                return out;
            }
        }
    }

    @Provide
    Arbitrary<List<byte[]>> messages() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> large = Arbitraries.bytes().array(byte[].class).ofMinSize(60_000).ofMaxSize(200_000);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, small), net.jqwik.api.Tuple.of(1, large))
                .list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(1, 7)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 5000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 300_000))).list().ofMinSize(1).ofMaxSize(20);
    }

    @Property(tries = 300)
    void messagesSurviveAnySplitOfTheStream(@ForAll("messages") List<byte[]> messages,
            @ForAll("chunks") List<Integer> chunks) throws IOException {
        FrameDecoder decoder = new FrameDecoder("test", 1 << 20, false);
        List<byte[]> got = decodeAll(decoder, new ChunkedChannel(frame(messages), chunks), 1 << 20);
        assertEquals(messages.size(), got.size());
        for (int i = 0; i < messages.size(); i++) {
            assertArrayEquals(messages.get(i), got.get(i), "message " + i);
        }
    }

    @Property(tries = 100)
    void feedingJoinedPiecesGivesTheSameMessages(@ForAll("messages") List<byte[]> messages,
            @ForAll @IntRange(min = 1, max = 100) int pieces) throws IOException {
        ByteBuffer stream = frame(messages);
        FrameDecoder decoder = new FrameDecoder("test", 1 << 20, true);
        List<byte[]> got = new ArrayList<>();
        ByteBuffer dst = ByteBuffer.allocate(1 << 20);
        int step = Math.max(1, stream.remaining() / pieces);
        while (true) {
            dst.clear();
            int n = decoder.next(dst);
            if (n >= 0) {
                byte[] m = new byte[n];
                dst.flip().get(m);
                got.add(m);
                continue;
            }
            if (!stream.hasRemaining()) {
                break;
            }
            ByteBuffer piece = stream.duplicate();
            piece.limit(Math.min(stream.limit(), stream.position() + step));
            stream.position(piece.limit());
            decoder.feed(piece);
        }
        assertEquals(messages.size(), got.size());
        for (int i = 0; i < messages.size(); i++) {
            assertArrayEquals(messages.get(i), got.get(i));
        }
    }

    @Property(tries = 100)
    void aShortBufferLeavesTheMessageInPlace(@ForAll @IntRange(min = 1, max = 5000) int size,
            @ForAll @IntRange(min = 0, max = 4999) int room) throws IOException {
        byte[] m = new byte[size];
        m[size - 1] = 42;
        FrameDecoder decoder = new FrameDecoder("test", 1 << 20, false);
        decoder.feed(frame(List.of(m)));
        if (room < size) {
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                    () -> decoder.next(ByteBuffer.allocate(room)));
            assertFalse(e.discarded());
            assertEquals(size, e.size());
            assertEquals(room, e.limit());
        }
        ByteBuffer dst = ByteBuffer.allocate(size);
        assertEquals(size, decoder.next(dst));
        assertEquals(42, dst.get(size - 1));
    }

    @Test
    void hugeLengthIsAProtocolErrorWithoutAllocation() throws IOException {
        for (int hostile : new int[] {0x7fffffff, -1, Integer.MIN_VALUE, (1 << 20) + 1}) {
            FrameDecoder decoder = new FrameDecoder("unix:/x", 1 << 20, true);
            long before = usedMemory();
            ByteBuffer stream = ByteBuffer.allocate(8).putInt(hostile).putInt(0).flip();
            IpcProtocolException e = assertThrows(IpcProtocolException.class,
                    () -> decodeAll(decoder, new ChunkedChannel(stream, List.of(1)), 1 << 20));
            assertTrue(e.getMessage().contains("frame length " + Integer.toUnsignedString(hostile)), e.getMessage());
            assertTrue(e.getMessage().contains("outside 0..1048576"), e.getMessage());
            assertTrue(e.getMessage().contains("unix:/x"), e.getMessage());
            assertTrue(usedMemory() - before < 8 << 20, "no large allocation");
        }
    }

    /**
     * Any bytes at all, split anywhere: the decoder yields messages no longer than its maximum and
     * otherwise stops with {@link IpcProtocolException} (a bad length, or a frame cut by end of
     * stream), never another exception.
     */
    @Property(tries = 500)
    void randomBytesGiveBoundedMessagesOrAProtocolError(@ForAll("noise") byte[] stream,
            @ForAll("chunks") List<Integer> chunks, @ForAll @IntRange(min = 0, max = 4096) int maxMessageSize,
            @ForAll boolean direct) {
        FrameDecoder decoder = new FrameDecoder("unix:/noise", maxMessageSize, direct);
        ReadableByteChannel in = new ChunkedChannel(ByteBuffer.wrap(stream), chunks);
        ByteBuffer dst = ByteBuffer.allocate(maxMessageSize);
        try {
            while (true) {
                int n = decoder.next(dst.clear());
                if (n >= 0) {
                    assertTrue(n <= maxMessageSize, "a message of " + n + " bytes over " + maxMessageSize);
                } else if (decoder.readFrom(in) < 0) {
                    return;   // end of the noise, whole frames or a partial one the caller reports
                }
            }
        } catch (IpcProtocolException e) {
            assertTrue(e.getMessage().contains("unix:/noise"), e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("random bytes led to " + e, e);
        }
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> anything = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        // small big-endian lengths followed by bytes, so that some frames decode before the noise
        Arbitrary<byte[]> framed = Arbitraries.integers().between(0, 300).list().ofMaxSize(8).map(lengths -> {
            ByteBuffer b = ByteBuffer.allocate(lengths.stream().mapToInt(n -> n + 4).sum());
            lengths.forEach(n -> b.putInt(n).position(b.position() + n));
            return b.array();
        });
        return Arbitraries.oneOf(anything, framed);
    }

    @Test
    void hostileLengthIsRefusedEvenWhenTheReaderBufferIsTiny() throws IOException {
        FrameDecoder decoder = new FrameDecoder("tcp://h:1", 16 << 20, false);
        decoder.feed(ByteBuffer.allocate(4).putInt(0x7fffffff).flip());
        assertThrows(IpcProtocolException.class, () -> decoder.next(ByteBuffer.allocate(0)));
    }

    @Test
    void truncatedFrameIsSeenAtEndOfStream() throws IOException {
        FrameDecoder decoder = new FrameDecoder("test", 1024, false);
        decoder.feed(ByteBuffer.allocate(7).putInt(10).put(new byte[3]).flip());
        assertEquals(FrameDecoder.NEED_MORE, decoder.next(ByteBuffer.allocate(100)));
        assertTrue(decoder.hasPartialFrame());
        assertEquals("3 of 10 payload bytes", decoder.describePartial());
    }

    @Property(tries = 100)
    void aDirectReadThatIsUndoneLeavesTheFrameWhole(@ForAll @IntRange(min = 0, max = 999) int buffered,
            @ForAll @IntRange(min = 0, max = 1000) int readDirectly) throws IOException {
        byte[] m = new byte[1000];
        new java.util.Random(buffered).nextBytes(m);
        FrameDecoder decoder = new FrameDecoder("test", 1 << 20, false);
        decoder.feed(ByteBuffer.allocate(4 + buffered).putInt(1000).put(m, 0, buffered).flip());
        ByteBuffer dst = ByteBuffer.allocate(2000).position(7);
        assertEquals(1000, decoder.beginDirect(dst, 100));
        assertEquals(7 + buffered, dst.position());
        int got = Math.min(1000, Math.max(buffered, readDirectly));
        dst.put(dst.position(), m, buffered, got - buffered);
        decoder.restore(1000, dst, 7, got);
        decoder.feed(ByteBuffer.wrap(m, got, 1000 - got));
        ByteBuffer again = ByteBuffer.allocate(1000);
        assertEquals(1000, decoder.next(again));
        assertArrayEquals(m, again.array());
    }

    @Test
    void smallOrWhollyBufferedFramesAreNotReadDirectly() throws IOException {
        FrameDecoder decoder = new FrameDecoder("test", 1 << 20, false);
        decoder.feed(frame(List.of(new byte[50])));
        assertEquals(-1, decoder.beginDirect(ByteBuffer.allocate(100), 10));
        assertEquals(-1, decoder.beginDirect(ByteBuffer.allocate(100), 100));
        assertEquals(50, decoder.next(ByteBuffer.allocate(100)));
    }

    @Test
    void emptyMessagesAreFrames() throws IOException {
        FrameDecoder decoder = new FrameDecoder("test", 1024, false);
        decoder.feed(frame(List.of(new byte[0], new byte[0])));
        assertEquals(0, decoder.next(ByteBuffer.allocate(0)));
        assertEquals(0, decoder.next(ByteBuffer.allocate(0)));
        assertEquals(FrameDecoder.NEED_MORE, decoder.next(ByteBuffer.allocate(0)));
    }

    private static long usedMemory() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
