package org.ipc4j.inproc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.Channel;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.ChannelListener;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.PeerClosedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InprocChannelTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A connected pair: [0] the accepted end, [1] the connecting end. */
    private Channel[] pair(String query) throws IOException {
        String address = Names.unique("chan") + query;
        ChannelListener listener = track(Ipc.listen(address));
        Channel client = track(Ipc.connect(address));
        Channel server = track(listener.accept(Duration.ofSeconds(5)));
        return new Channel[] {server, client};
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    private static String text(ByteBuffer b, int length) {
        return new String(b.array(), 0, length, UTF_8);
    }

    @Test
    void keepsMessageBoundariesAndOrderInBothDirections() throws IOException {
        Channel[] c = pair("");
        c[1].send(bytes("one"));
        c[1].send(bytes("two-two"));
        c[0].send(bytes("back"));
        ByteBuffer dst = ByteBuffer.allocate(64);
        assertEquals(3, c[0].receive(dst));
        assertEquals(3, dst.position(), "receive advances the position by the length");
        dst.clear();
        assertEquals(7, c[0].receive(dst));
        assertEquals("two-two", text(dst, 7));
        assertArrayEquals("back".getBytes(UTF_8), c[1].receive());
    }

    @Test
    void sendMovesPositionToLimitAndReceiveWritesAtPosition() throws IOException {
        Channel[] c = pair("");
        ByteBuffer src = ByteBuffer.wrap("xxhelloyy".getBytes(UTF_8), 2, 5);
        c[1].send(src);
        assertEquals(src.limit(), src.position());
        ByteBuffer dst = ByteBuffer.allocate(10).position(3);
        assertEquals(5, c[0].receive(dst));
        assertEquals(8, dst.position());
        assertEquals("hello", new String(dst.array(), 3, 5, UTF_8));
    }

    @Test
    void emptyMessagesAreDelivered() throws IOException {
        Channel[] c = pair("");
        c[1].send(ByteBuffer.allocate(0));
        assertEquals(0, c[0].receive(ByteBuffer.allocate(1)));
        c[1].send(ByteBuffer.allocate(0));
        assertEquals(0, c[0].receive().length);
    }

    @Test
    void declaresReliableOrderedBidirectional() throws IOException {
        Channel[] c = pair("");
        assertEquals(EnumSet.of(Channel.Property.RELIABLE, Channel.Property.ORDERED, Channel.Property.BIDIRECTIONAL),
                c[0].properties());
        assertEquals(1 << 20, c[0].maxMessageSize());
        assertTrue(c[0].peerCredentials().isEmpty());
    }

    @Test
    void messageLargerThanBufferNamesBothSizesAndStaysInPlace() throws IOException {
        Channel[] c = pair("");
        c[1].send(bytes("0123456789"));
        ByteBuffer small = ByteBuffer.allocate(4);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> c[0].receive(small));
        assertEquals(10, e.size());
        assertEquals(4, e.limit());
        assertFalse(e.discarded());
        assertTrue(e.getMessage().contains("size=10") && e.getMessage().contains("remaining=4"), e.getMessage());
        assertEquals(0, small.position(), "buffer untouched");
        ByteBuffer big = ByteBuffer.allocate(10);
        assertEquals(10, c[0].receive(big));
        assertEquals("0123456789", text(big, 10));
    }

    @Test
    void sendOverMaxMessageSizeIsRefusedAndSendsNothing() throws IOException {
        Channel[] c = pair("?maxMessageSize=16");
        assertEquals(16, c[1].maxMessageSize());
        ByteBuffer big = ByteBuffer.allocate(17);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> c[1].send(big));
        assertEquals(0, big.position());
        assertTrue(e.getMessage().contains("size=17") && e.getMessage().contains("maxMessageSize=16"), e.getMessage());
        c[1].send(ByteBuffer.allocate(16));
        assertEquals(16, c[0].receive(ByteBuffer.allocate(32), Duration.ZERO), "only the 16-byte message was sent");
        assertThrows(IpcTimeoutException.class, () -> c[0].receive(ByteBuffer.allocate(32), Duration.ZERO));
    }

    @Test
    void connectorMaySetASmallerMaxMessageSize() throws IOException {
        String address = Names.unique("neg");
        ChannelListener listener = track(Ipc.listen(address + "?maxMessageSize=1KiB"));
        Channel client = track(Ipc.connect(address + "?maxMessageSize=100"));
        Channel server = track(listener.accept());
        assertEquals(100, client.maxMessageSize());
        assertEquals(100, server.maxMessageSize());
    }

    @Test
    void timedReceiveTimesOutWithNothingConsumed() throws IOException {
        Channel[] c = pair("");
        long start = System.nanoTime();
        IpcTimeoutException e = assertThrows(IpcTimeoutException.class,
                () -> c[0].receive(ByteBuffer.allocate(8), Duration.ofMillis(100)));
        long took = System.nanoTime() - start;
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(100), "returned early: " + took + "ns");
        assertTrue(took < TimeUnit.SECONDS.toNanos(5), "returned late: " + took + "ns");
        assertEquals(Duration.ofMillis(100), e.timeout());
        assertTrue(e.getMessage().contains(c[0].address()), e.getMessage());
        assertFalse(Thread.currentThread().isInterrupted());
        assertThrows(IpcTimeoutException.class, () -> c[0].receive(ByteBuffer.allocate(8), Duration.ZERO));
        c[1].send(bytes("x"));
        assertEquals(1, c[0].receive(ByteBuffer.allocate(8), Duration.ZERO), "zero timeout takes a waiting message");
    }

    @Test
    void negativeTimeoutIsIllegal() throws IOException {
        Channel[] c = pair("");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c[0].receive(ByteBuffer.allocate(1), Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c[0].send(ByteBuffer.allocate(1), Duration.ofSeconds(-1)));
    }

    @Test
    void fullChannelBlocksSendAndTimedSendSendsNothing() throws Exception {
        Channel[] c = pair("?capacity=2");
        c[0].send(bytes("a"));
        c[0].send(bytes("b"));
        ByteBuffer third = bytes("c");
        assertThrows(IpcTimeoutException.class, () -> c[0].send(third, Duration.ZERO));
        assertThrows(IpcTimeoutException.class, () -> c[0].send(third, Duration.ofMillis(50)));
        assertEquals(0, third.position(), "nothing sent");
        Blocker<Void> sender = Blocker.blockedIn(() -> {
            c[0].send(bytes("d"));
            return null;
        });
        ByteBuffer dst = ByteBuffer.allocate(8);
        assertEquals(1, c[1].receive(dst));
        sender.value();
        dst.clear();
        c[1].receive(dst);
        assertEquals("b", text(dst, 1));
        dst.clear();
        c[1].receive(dst);
        assertEquals("d", text(dst, 1));
        assertThrows(IpcTimeoutException.class, () -> c[1].receive(ByteBuffer.allocate(8), Duration.ZERO));
    }

    @Test
    void interruptedReceiveThrowsInterruptedIoExceptionKeepsStatusAndStaysOpen() throws Exception {
        Channel[] c = pair("");
        Blocker<Boolean> receiver = Blocker.blockedIn(() -> {
            try {
                c[0].receive(ByteBuffer.allocate(8));
                return false;
            } catch (InterruptedIOException e) {
                return !(e instanceof IpcTimeoutException) && Thread.currentThread().isInterrupted();
            }
        });
        receiver.thread.interrupt();
        assertTrue(receiver.value(), "InterruptedIOException with the interrupt status kept");
        assertTrue(c[0].isOpen());
        c[1].send(bytes("still"));
        assertEquals(5, c[0].receive(ByteBuffer.allocate(8)));
    }

    @Test
    void interruptedSendOnFullChannelSendsNothing() throws Exception {
        Channel[] c = pair("?capacity=1");
        c[1].send(bytes("a"));
        Blocker<Void> sender = Blocker.blockedIn(() -> {
            c[1].send(bytes("b"));
            return null;
        });
        sender.thread.interrupt();
        sender.failure(InterruptedIOException.class);
        assertEquals(1, c[0].receive(ByteBuffer.allocate(8)));
        assertThrows(IpcTimeoutException.class, () -> c[0].receive(ByteBuffer.allocate(8), Duration.ZERO));
    }

    @Test
    void closeFromAnotherThreadWakesBlockedReceiveAndSend() throws Exception {
        Channel[] c = pair("?capacity=1");
        Blocker<Integer> receiver = Blocker.blockedIn(() -> c[0].receive(ByteBuffer.allocate(8)));
        c[0].close();
        AsyncClosedException e = receiver.failure(AsyncClosedException.class);
        assertTrue(e.getMessage().contains(c[0].address()), e.getMessage());

        c[1].close();
        Channel[] d = pair("?capacity=1");
        d[1].send(bytes("fill"));
        Blocker<Void> sender = Blocker.blockedIn(() -> {
            d[1].send(bytes("more"));
            return null;
        });
        d[1].close();
        sender.failure(AsyncClosedException.class);
    }

    @Test
    void useAfterCloseThrowsChannelClosedExceptionAndCloseIsIdempotent() throws IOException {
        Channel[] c = pair("");
        c[0].close();
        c[0].close();
        assertFalse(c[0].isOpen());
        ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> c[0].send(bytes("x")));
        assertTrue(e.getMessage().contains(c[0].address()), e.getMessage());
        assertThrows(ChannelClosedException.class, () -> c[0].receive(ByteBuffer.allocate(1)));
        assertThrows(ChannelClosedException.class, () -> c[0].receive(ByteBuffer.allocate(1), Duration.ZERO));
    }

    @Test
    void peerCloseDrainsThenEndOfStreamAndSendFails() throws Exception {
        Channel[] c = pair("");
        c[1].send(bytes("last-1"));
        c[1].send(bytes("last-2"));
        c[1].close();
        ByteBuffer dst = ByteBuffer.allocate(16);
        assertEquals(6, c[0].receive(dst));
        dst.clear();
        assertEquals(6, c[0].receive(dst, Duration.ZERO));
        assertEquals(-1, c[0].receive(ByteBuffer.allocate(16)));
        assertEquals(-1, c[0].receive(ByteBuffer.allocate(16), Duration.ZERO));
        assertThrows(EOFException.class, () -> c[0].receive());
        PeerClosedException e = assertThrows(PeerClosedException.class, () -> c[0].send(bytes("x")));
        assertTrue(e.getMessage().contains(c[0].address()), e.getMessage());
    }

    @Test
    void peerCloseWakesBlockedReceiverWithEndOfStreamAndBlockedSenderWithPeerClosed() throws Exception {
        Channel[] c = pair("?capacity=1");
        Blocker<Integer> receiver = Blocker.blockedIn(() -> c[0].receive(ByteBuffer.allocate(8)));
        c[1].send(bytes("fill"));
        assertEquals(4, receiver.value());
        c[0].send(bytes("fill"));
        Blocker<Void> sender = Blocker.blockedIn(() -> {
            c[0].send(bytes("more"));
            return null;
        });
        c[1].close();
        sender.failure(PeerClosedException.class);
        assertEquals(-1, c[0].receive(ByteBuffer.allocate(8)));
    }

    @Test
    void concurrentSendersLoseNothingAndKeepEachSendersOrder() throws Exception {
        Channel[] c = pair("?capacity=64");
        int senders = 4;
        int perSender = 5_000;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        for (int s = 0; s < senders; s++) {
            int id = s;
            done.add(CompletableFuture.runAsync(() -> {
                try {
                    ByteBuffer b = ByteBuffer.allocate(8);
                    for (int i = 0; i < perSender; i++) {
                        b.clear();
                        b.putInt(id).putInt(i).flip();
                        c[1].send(b);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        pool.shutdown();
        int[] next = new int[senders];
        ByteBuffer dst = ByteBuffer.allocate(8);
        for (int n = 0; n < senders * perSender; n++) {
            dst.clear();
            assertEquals(8, c[0].receive(dst, Duration.ofSeconds(10)));
            dst.flip();
            int id = dst.getInt();
            assertEquals(next[id]++, dst.getInt(), "order of sender " + id);
        }
        for (CompletableFuture<Void> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        for (int s = 0; s < senders; s++) {
            assertEquals(perSender, next[s]);
        }
    }

    @Test
    void connectWithoutListenerNamesTheName() {
        String address = Names.unique("nobody");
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> Ipc.connect(address));
        assertTrue(e.getMessage().contains(address.substring("inproc:".length())), e.getMessage());
        assertEquals(address, e.object());
    }

    @Test
    void connectWithTimeoutWaitsForTheListenerToAppear() throws Exception {
        String address = Names.unique("late");
        IpcTimeoutException e = assertThrows(IpcTimeoutException.class, () -> Ipc.connect(address + "?timeout=50ms"));
        assertTrue(e.getMessage().contains(address), e.getMessage());
        Blocker<Channel> connector = Blocker.blockedIn(() -> Ipc.connect(address + "?timeout=30s"));
        ChannelListener listener = track(Ipc.listen(address));
        Channel client = track(connector.value());
        Channel server = track(listener.accept(Duration.ofSeconds(5)));
        client.send(bytes("late"));
        assertEquals(4, server.receive(ByteBuffer.allocate(8)));
    }

    @Test
    void secondListenerOnOneNameIsRefusedAndClosingFreesTheName() throws IOException {
        String address = Names.unique("dup");
        ChannelListener first = Ipc.listen(address);
        ObjectExistsException e = assertThrows(ObjectExistsException.class, () -> Ipc.listen(address));
        assertTrue(e.getMessage().contains(address.substring("inproc:".length())), e.getMessage());
        first.close();
        first.close();
        assertThrows(ObjectNotFoundException.class, () -> Ipc.connect(address));
        track(Ipc.listen(address));
        track(Ipc.connect(address));
    }

    @Test
    void acceptTimesOutAndCloseWakesBlockedAccept() throws Exception {
        ChannelListener listener = track(Ipc.listen(Names.unique("acc")));
        assertThrows(IpcTimeoutException.class, () -> listener.accept(Duration.ZERO));
        assertThrows(IpcTimeoutException.class, () -> listener.accept(Duration.ofMillis(20)));
        assertThrows(IllegalArgumentException.class, () -> listener.accept(Duration.ofMillis(-5)));
        Blocker<Channel> acceptor = Blocker.blockedIn(listener::accept);
        listener.close();
        acceptor.failure(AsyncClosedException.class);
        assertThrows(ChannelClosedException.class, listener::accept);
    }

    @Test
    void acceptedChannelsOutliveTheListenerAndUnacceptedOnesEnd() throws Exception {
        String address = Names.unique("outlive");
        ChannelListener listener = Ipc.listen(address);
        Channel client = track(Ipc.connect(address));
        Channel server = track(listener.accept());
        Channel orphan = track(Ipc.connect(address));
        listener.close();
        client.send(bytes("hi"));
        assertEquals(2, server.receive(ByteBuffer.allocate(4)));
        assertEquals(-1, orphan.receive(ByteBuffer.allocate(4), Duration.ofSeconds(5)));
    }

    @Test
    void badKeysAndValuesNameTheKeyAndTheRange() {
        String base = Names.unique("bad");
        InvalidAddressException unknown = assertThrows(InvalidAddressException.class,
                () -> Ipc.listen(base + "?colour=red"));
        assertEquals("colour", unknown.part());
        assertTrue(unknown.getMessage().contains("capacity") && unknown.getMessage().contains("maxMessageSize"),
                unknown.getMessage());
        InvalidAddressException capacity = assertThrows(InvalidAddressException.class,
                () -> Ipc.listen(base + "?capacity=0"));
        assertEquals("capacity", capacity.part());
        assertTrue(capacity.getMessage().contains("1 to 2147483647"), capacity.getMessage());
        InvalidAddressException size = assertThrows(InvalidAddressException.class,
                () -> Ipc.listen(base + "?maxMessageSize=0"));
        assertEquals("maxMessageSize", size.part());
        assertTrue(size.getMessage().contains("maxMessageSize=0") && size.getMessage().contains("accepted: 1 to"),
                size.getMessage());
        assertThrows(InvalidAddressException.class, () -> Ipc.connect(base + "?capacity=-3"));
        assertNotNull(base);
    }
}
