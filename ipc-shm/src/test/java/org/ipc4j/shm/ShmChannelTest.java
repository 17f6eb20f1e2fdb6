package org.ipc4j.shm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.PeerClosedException;
import org.ipc4j.testkit.BoundedCall;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.ThreadPerTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 150, unit = java.util.concurrent.TimeUnit.SECONDS)
class ShmChannelTest {
    private static final Duration T = Duration.ofSeconds(60);
    private final String name = Names.unique("chan");

    @AfterEach
    void cleanUp() {
        Names.delete(name);
    }

    /** A connected pair in this JVM: [server, client]. */
    private Channel[] pair(ChannelListener listener, String connectQuery) throws Exception {
        CompletableFuture<Channel> client = CompletableFuture.supplyAsync(() -> {
            try {
                return Ipc.connect(listener.address() + connectQuery);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, ThreadPerTaskExecutor.INSTANCE);
        Channel server = listener.accept(T);
        return new Channel[] {server, client.get(60, TimeUnit.SECONDS)};
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String receiveText(Channel c) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(c.maxMessageSize());
        int n = c.receive(b, T);
        return n < 0 ? null : new String(b.array(), 0, n, StandardCharsets.UTF_8);
    }

    @Test
    void bothDirectionsKeepBoundariesAndOrderAcrossWraps() throws Exception {
        try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=256")) {
            assertEquals("shm:/" + name, l.address());
            Channel[] ends = pair(l, "");
            try (Channel s = ends[0]; Channel c = ends[1]) {
                assertEquals(120, s.maxMessageSize());
                Random random = new Random(1);
                ByteBuffer in = ByteBuffer.allocate(120);
                for (int i = 0; i < 5000; i++) {
                    byte[] m = new byte[random.nextInt(121)];
                    random.nextBytes(m);
                    Channel from = i % 2 == 0 ? s : c;
                    Channel to = i % 2 == 0 ? c : s;
                    from.send(ByteBuffer.wrap(m));
                    in.clear();
                    assertEquals(m.length, to.receive(in, T));
                    assertArrayEquals(m, java.util.Arrays.copyOf(in.array(), m.length));
                }
                c.send(ByteBuffer.allocate(0));
                assertEquals(0, s.receive(ByteBuffer.allocate(1), T));
            }
        }
    }

    @Test
    void drainHandsOverMessagesInPlaceAcrossWrapsAndRefusesAReceiveFromItsHandler() throws Exception {
        for (String wait : new String[] {"spin", "block", "spinThenBlock"}) {
            Names.delete(name);
            try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=256&wait=" + wait)) {
                Channel[] ends = pair(l, "?wait=" + wait);
                try (Channel s = ends[0]; Channel c = ends[1]) {
                    Random random = new Random(2);
                    java.util.ArrayDeque<byte[]> sent = new java.util.ArrayDeque<>();
                    int[] handed = new int[1];
                    for (int round = 0; round < 2000; round++) {
                        for (int k = random.nextInt(4); k >= 0; k--) {
                            byte[] m = new byte[random.nextInt(57)];   // at most four 64-byte records fit
                            random.nextBytes(m);
                            if (!trySend(s, m)) {
                                break;
                            }
                            sent.add(m);
                        }
                        int max = 1 + random.nextInt(5);
                        int n = c.drain(view -> {
                            assertTrue(view.isReadOnly(), "the handler's buffer must be read-only");
                            byte[] got = new byte[view.remaining()];
                            view.get(got);
                            assertArrayEquals(sent.poll(), got, "message " + handed[0]);
                            handed[0]++;
                        }, max, Duration.ZERO);
                        assertTrue(n >= 0 && n <= max, "drain returned " + n + " with maxMessages=" + max);
                        assertTrue(n > 0 || sent.isEmpty(), "drain found nothing with " + sent.size() + " messages waiting");
                    }
                    assertTrue(handed[0] > 1000, "only " + handed[0] + " messages went through in " + wait);

                    s.send(text("one"));
                    s.send(text("two"));
                    assertEquals(1, c.drain(view -> {
                        IllegalStateException x = assertThrows(IllegalStateException.class,
                                () -> c.receive(ByteBuffer.allocate(16), T), "receive from a drain handler");
                        assertTrue(x.getMessage().contains(c.address()) && x.getMessage().contains("drain"), x.getMessage());
                        assertThrows(IllegalStateException.class, () -> c.drain(m -> { }, 1, T), "drain from a drain handler");
                        c.send(text("echo"));   // sending from the handler is allowed
                    }, 1, T));
                    assertEquals("echo", receiveText(s));
                    assertEquals("two", receiveText(c), "the refused calls must take nothing");
                }
            }
        }
    }

    /** Sends if there is room now. */
    private static boolean trySend(Channel c, byte[] m) throws Exception {
        try {
            c.send(ByteBuffer.wrap(m), Duration.ZERO);
            return true;
        } catch (IpcTimeoutException e) {
            return false;
        }
    }

    @Test
    void singleSenderRefusesASecondSendingThread() throws Exception {
        try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=4KiB&singleSender")) {
            Channel[] ends = pair(l, "");
            try (Channel s = ends[0]; Channel c = ends[1]) {
                s.send(text("first"));   // this thread is now the sender
                BoundedCall<Object> other = BoundedCall.start("second-sender", () -> {
                    Thread.currentThread().setName("second-sender");
                    s.send(text("second"));
                    return null;
                });
                java.util.concurrent.ExecutionException x = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> other.get(60, TimeUnit.SECONDS));
                assertTrue(x.getCause() instanceof IllegalStateException, () -> "expected IllegalStateException: " + x.getCause());
                String message = x.getCause().getMessage();
                assertTrue(message.contains(s.address()) && message.contains("singleSender")
                        && message.contains("second-sender") && message.contains(Thread.currentThread().getName()), message);
                s.send(text("third"));
                assertEquals("first", receiveText(c));
                assertEquals("third", receiveText(c), "the refused send must send nothing");
                c.send(text("back"));   // the other end is not singleSender: any thread may send
                assertEquals("back", receiveText(s));
            }
        }
    }

    /**
     * A close from another thread while the single sender writes as fast as it can: the sender ends
     * with a closed-channel exception (never a fault), the receiver gets an unbroken run of the
     * messages and then end of stream.
     */
    @Test
    void singleSenderSurvivesACloseFromAnotherThreadRacingItsSends() throws Exception {
        for (int round = 0; round < 20; round++) {
            Names.delete(name);
            try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=4KiB&wait=spin&singleSender")) {
                Channel[] ends = pair(l, "?wait=spin");
                Channel s = ends[0];
                try (Channel c = ends[1]) {
                    java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
                    BoundedCall<Long> receiver = BoundedCall.start("receiver", () -> {
                        long[] expected = {0};
                        while (c.drain(m -> {
                            assertEquals(expected[0], m.getLong(m.position()), "message order");
                            expected[0]++;
                            received.set(expected[0]);
                        }, 64) >= 0) {
                            // the handler checks
                        }
                        return expected[0];
                    });
                    BoundedCall<Long> sender = BoundedCall.start("sender", () -> {
                        ByteBuffer m = ByteBuffer.allocate(8);
                        long seq = 0;
                        try {
                            while (true) {
                                m.clear().putLong(0, seq);
                                s.send(m);
                                seq++;
                            }
                        } catch (ClosedChannelException e) {
                            return seq;
                        }
                    });
                    long wanted = 1000 + round * 500L;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (received.get() < wanted && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    assertTrue(received.get() >= wanted, "the receiver got " + received.get() + " messages in 60 s");
                    s.close();
                    long sent = sender.get(10, TimeUnit.SECONDS);
                    long got = receiver.get(10, TimeUnit.SECONDS);
                    assertTrue(got <= sent && got >= wanted, "received " + got + ", sent " + sent);
                    assertThrows(ClosedChannelException.class, () -> s.send(text("late")));
                }
            }
        }
    }

    /**
     * A close from another thread than a live single sender: the channel file's pages leave this
     * process at once (its mapping no longer shows in {@code /proc/self/maps}), the peer sees end of
     * stream, and the private range left in their place is unmapped once the channel is unreachable.
     */
    @Test
    void singleSenderClosedFromAnotherThreadReleasesTheFileAtOnceAndTheRangeAfterGc() throws Exception {
        String deleted = "/dev/shm/" + name + " (deleted)";
        try (ChannelListener l = Ipc.listen("shm:/" + name + "?singleSender");
                PeerJvm peer = Peers.of(ChannelEchoPeer.class, l.address()).name("echo-single").start()) {
            Channel[] server = {l.accept(T)};
            peer.awaitReady(T);
            java.util.List<String> mapped = mapsLines(deleted);
            assertEquals(1, mapped.size(), "the accepted end's mapping of its (renamed-over) file: " + mapped);
            long start = Long.parseUnsignedLong(mapped.get(0).substring(0, mapped.get(0).indexOf('-')), 16);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            BoundedCall<Object> sender = BoundedCall.start("single sender", () -> {
                server[0].send(text("one"));
                release.await();   // alive, so a close from another thread cannot prove it is out of send
                return null;
            });
            assertEquals("one", receiveText(server[0]));
            server[0].close();
            assertEquals(java.util.List.of(), mapsLines(deleted), "the file's pages must leave this process at close");
            assertTrue(mapped(start), "the range stays, private, until the channel is unreachable");
            peer.awaitLineStartingWith("ECHOED 1", T);
            peer.assertExit(0, T);
            release.countDown();
            sender.get(60, TimeUnit.SECONDS);
            server[0] = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (mapped(start) && System.nanoTime() < deadline) {
                System.gc();
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            assertFalse(mapped(start), "the private range must be unmapped once the channel is unreachable");
        }
    }

    @Test
    void singleReceiverRefusesASecondReceivingThreadAndItConsumesNothing() throws Exception {
        try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=4KiB&singleReceiver")) {
            Channel[] ends = pair(l, "?singleReceiver");
            try (Channel s = ends[0]; Channel c = ends[1]) {
                s.send(text("first"));
                s.send(text("second"));
                assertEquals("first", receiveText(c));   // this thread is now the receiver
                for (String call : new String[] {"receive", "drain"}) {
                    BoundedCall<Object> other = BoundedCall.start("second-receiver", () -> {
                        Thread.currentThread().setName("second-receiver");
                        if (call.equals("receive")) {
                            c.receive(ByteBuffer.allocate(64), Duration.ofSeconds(5));
                        } else {
                            c.drain(m -> { }, 10, Duration.ofSeconds(5));
                        }
                        return null;
                    });
                    java.util.concurrent.ExecutionException x = assertThrows(java.util.concurrent.ExecutionException.class,
                            () -> other.get(60, TimeUnit.SECONDS));
                    assertTrue(x.getCause() instanceof IllegalStateException, () -> call + ": expected IllegalStateException: " + x.getCause());
                    String message = x.getCause().getMessage();
                    assertTrue(message.contains(c.address()) && message.contains("singleReceiver")
                            && message.contains("second-receiver") && message.contains(Thread.currentThread().getName()), message);
                }
                assertEquals("second", receiveText(c), "the refused calls must consume nothing");
                c.send(text("back"));
                assertEquals("back", receiveText(s), "the server end is singleReceiver too, and this thread its receiver");
            }
        }
    }

    /**
     * A close from another thread while the single receiver waits, lock-free, for a message from a
     * peer JVM: the wait ends with a closed-channel exception (never a fault, never a hang), the
     * file's pages leave this process at once, and the peer sees end of stream.
     */
    @Test
    void singleReceiverWaitingEndsOnACloseFromAnotherThreadAndTheFileLeavesAtOnce() throws Exception {
        String deleted = "/dev/shm/" + name + " (deleted)";
        for (String wait : new String[] {"spin", "block"}) {
            Names.delete(name);
            try (ChannelListener l = Ipc.listen("shm:/" + name + "?singleReceiver&wait=" + wait);
                    PeerJvm peer = Peers.of(ChannelEchoPeer.class, l.address()).name("echo-" + wait).start();
                    Channel server = l.accept(T)) {
                peer.awaitReady(T);
                assertEquals(1, mapsLines(deleted).size(), "the accepted end's mapping of its file");
                closeEndsTheSingleReceiversWait(server, wait);
                assertEquals(java.util.List.of(), mapsLines(deleted), wait + ": the file's pages must leave this process at close");
                peer.awaitLineStartingWith("ECHOED 1", T);
                peer.assertExit(0, T);
            }
        }
    }

    /**
     * Makes a new thread the single receiver of {@code server}, waits until it waits for a record,
     * closes {@code server} from this thread and expects the wait to end with a closed-channel exception.
     */
    private static void closeEndsTheSingleReceiversWait(Channel server, String wait) throws Exception {
        server.send(text("one"));
        java.util.concurrent.CountDownLatch claimed = new java.util.concurrent.CountDownLatch(1);
        BoundedCall<Throwable> receiver = BoundedCall.start("single receiver", () -> {
            assertEquals("one", receiveText(server));   // claims the receiving role (waits for the echo)
            claimed.countDown();
            try {
                server.receive(ByteBuffer.allocate(64));
                return new AssertionError("the receive returned instead of waiting");
            } catch (Throwable e) {
                return e;
            }
        });
        // the first receive waits for the echo too: only a wait after it is the one to end
        assertTrue(claimed.await(60, TimeUnit.SECONDS), wait + ": the echo of the first message never came");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!waitingForARecord(receiver.thread()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(waitingForARecord(receiver.thread()), wait + ": the receiver never waited for a record");
        server.close();
        Throwable ended = receiver.get(60, TimeUnit.SECONDS);
        assertTrue(ended instanceof ClosedChannelException, () -> wait + ": expected a closed-channel exception, got " + ended);
    }

    /** Whether {@code t} is in the shm channel's wait for a record. */
    private static boolean waitingForARecord(Thread t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getMethodName().equals("awaitRecord")) {
                return true;
            }
        }
        return false;
    }

    /** Whether some mapping of this process covers {@code address} (the kernel may merge neighbours). */
    private static boolean mapped(long address) throws Exception {
        for (String line : mapsLines("")) {
            int dash = line.indexOf('-');
            long from = Long.parseUnsignedLong(line.substring(0, dash), 16);
            long to = Long.parseUnsignedLong(line.substring(dash + 1, line.indexOf(' ')), 16);
            if (Long.compareUnsigned(address, from) >= 0 && Long.compareUnsigned(address, to) < 0) {
                return true;
            }
        }
        return false;
    }

    /** The lines of /proc/self/maps that contain {@code text}. */
    private static java.util.List<String> mapsLines(String text) throws Exception {
        return Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")).stream().filter(line -> line.contains(text))
                .collect(java.util.stream.Collectors.toList());
    }

    @Test
    void fillsThenBlocksThenDrainsInOrder() throws Exception {
        try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=1KiB&wait=block")) {
            Channel[] ends = pair(l, "?wait=block");
            try (Channel s = ends[0]; Channel c = ends[1]) {
                Future<?> producer = CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < 20000; i++) {
                            s.send(ByteBuffer.allocate(8).putLong(0, i));
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, ThreadPerTaskExecutor.INSTANCE);
                ByteBuffer b = ByteBuffer.allocate(8);
                for (int i = 0; i < 20000; i++) {
                    b.clear();
                    assertEquals(8, c.receive(b, T));
                    assertEquals(i, b.getLong(0));
                }
                producer.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void spaceFreedByOneReceiveReachesABlockedSenderWhileTheReceiverDoesNothingMore() throws Exception {
        for (String wait : new String[] {"spin", "block", "spinThenBlock"}) {
            try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=1KiB&wait=" + wait)) {
                Channel[] ends = pair(l, "?wait=" + wait);
                try (Channel s = ends[0]; Channel c = ends[1]) {
                    int sent = 0;
                    while (true) {   // 56-byte messages are 64-byte records: 16 fill the ring
                        try {
                            s.send(ByteBuffer.allocate(56).putInt(0, sent), Duration.ZERO);
                            sent++;
                        } catch (IpcTimeoutException full) {
                            break;
                        }
                    }
                    assertEquals(16, sent, wait);
                    CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                        try {
                            s.send(ByteBuffer.allocate(56).putInt(0, 16), T);
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    }, ThreadPerTaskExecutor.INSTANCE);
                    ByteBuffer b = ByteBuffer.allocate(56);
                    assertEquals(56, c.receive(b, T));
                    assertEquals(0, b.getInt(0));
                    // one record is far below the quarter ring after which head is released: the
                    // sender must find the space by itself, with no further call on this end
                    blocked.get(30, TimeUnit.SECONDS);
                    assertThrows(IpcTimeoutException.class, () -> s.send(ByteBuffer.allocate(56), Duration.ZERO),
                            "the ring is full again");
                    for (int i = 1; i <= 16; i++) {
                        b.clear();
                        assertEquals(56, c.receive(b, T));
                        assertEquals(i, b.getInt(0), wait);
                    }
                    assertThrows(IpcTimeoutException.class, () -> c.receive(ByteBuffer.allocate(56), Duration.ZERO));
                }
            }
        }
    }

    @Test
    void tooLargeSendAndSmallBufferAreRefusedLeavingTheMessage() throws Exception {
        try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=1KiB&maxMessageSize=100")) {
            Channel[] ends = pair(l, "");
            try (Channel s = ends[0]; Channel c = ends[1]) {
                MessageTooLargeException big = assertThrows(MessageTooLargeException.class,
                        () -> s.send(ByteBuffer.allocate(101)));
                assertTrue(big.getMessage().contains("101") && big.getMessage().contains("100"), big.getMessage());
                s.send(text("hello world"));
                MessageTooLargeException small = assertThrows(MessageTooLargeException.class,
                        () -> c.receive(ByteBuffer.allocate(5), T));
                assertFalse(small.discarded());
                assertEquals("hello world", receiveText(c));
            }
        }
        InvalidAddressException never = assertThrows(InvalidAddressException.class,
                () -> Ipc.listen("shm:/" + name + "?capacity=1KiB&maxMessageSize=600"));
        assertTrue(never.getMessage().contains("504"), never.getMessage());
        assertThrows(InvalidAddressException.class, () -> Ipc.listen("shm:/" + name + "?capacity=1000"));
        assertThrows(InvalidAddressException.class, () -> Ipc.listen("shm:/" + name + "?wait=sometimes"));
    }

    @Test
    void timeoutsCloseAndInterruptEndBlockedCalls() throws Exception {
        try (ChannelListener l = Ipc.listen("shm:/" + name)) {
            assertThrows(IpcTimeoutException.class, () -> l.accept(Duration.ofMillis(50)));
            Channel[] ends = pair(l, "");
            Channel s = ends[0];
            try (Channel c = ends[1]) {
                IpcTimeoutException t = assertThrows(IpcTimeoutException.class,
                        () -> c.receive(ByteBuffer.allocate(10), Duration.ofMillis(100)));
                assertTrue(t.getMessage().contains(name));
                assertThrows(IpcTimeoutException.class, () -> c.receive(ByteBuffer.allocate(10), Duration.ZERO));
                assertThrows(IllegalArgumentException.class, () -> c.receive(ByteBuffer.allocate(10), Duration.ofSeconds(-1)));

                Thread.currentThread().interrupt();   // set before the call: the wait loop must notice it
                assertThrows(InterruptedIOException.class, () -> s.receive(ByteBuffer.allocate(10)));
                assertTrue(Thread.interrupted());
                assertTrue(s.isOpen());

                CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                    try {
                        s.receive(ByteBuffer.allocate(10));
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                }, ThreadPerTaskExecutor.INSTANCE);
                s.close();
                // AsynchronousCloseException if it was blocked, ClosedChannelException if close came first
                assertInstanceOf(ClosedChannelException.class, blocked.get(60, TimeUnit.SECONDS));
                assertThrows(ClosedChannelException.class, () -> s.send(text("x")));
                assertEquals(-1, c.receive(ByteBuffer.allocate(10), T));
                assertThrows(PeerClosedException.class, () -> c.send(text("x")));
            } finally {
                s.close();
            }
        }
    }

    @Test
    void secondLiveListenerIsRefusedAndADeadOnesFileIsReplaced() throws Exception {
        try (ChannelListener l = Ipc.listen("shm:/" + name)) {
            assertTrue(l.isOpen());
            ObjectExistsException e = assertThrows(ObjectExistsException.class, () -> Ipc.listen("shm:/" + name));
            assertTrue(e.getMessage().contains("live listener"), e.getMessage());
        }
        assertFalse(Files.exists(Names.path(name)), "close removes the listener's file");
    }

    @Test
    void peerJvmEchoesInEveryWaitStrategy() throws Exception {
        for (String wait : new String[] {"spin", "block", "spinThenBlock", "spin&singleSender",
            "spin&singleSender&singleReceiver", "block&singleReceiver"}) {
            String address = "shm:/" + name + "?wait=" + wait;
            try (ChannelListener l = Ipc.listen(address);
                    PeerJvm peer = Peers.of(ChannelEchoPeer.class, l.address() + "?wait=" + wait)
                            .name("echo-" + wait.replace("&", "-")).start()) {
                try (Channel c = l.accept(T)) {
                    peer.awaitReady(T);
                    for (int i = 0; i < 1000; i++) {
                        c.send(text("ping " + i));
                        assertEquals("ping " + i, receiveText(c));
                    }
                }
                peer.awaitLineStartingWith("ECHOED 1000", T);
                peer.assertExit(0, T);
            }
        }
    }

    @Test
    void producerKilledAtRandomPointsLeavesEveryCompletedMessageThenEndOfStream() throws Exception {
        Random random = new Random();
        for (int round = 0; round < 6; round++) {
            try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=4KiB");
                    PeerJvm peer = Peers.of(ChannelSourcePeer.class, l.address() + (round % 2 == 1 ? "?singleSender" : ""), "-1")
                            .name("source-" + round).start()) {
                try (Channel c = l.accept(T)) {
                    peer.awaitReady(T);
                    ByteBuffer b = ByteBuffer.allocate(c.maxMessageSize());
                    long expected = 0;
                    long killAt = 1 + random.nextInt(50_000);
                    while (true) {
                        if (expected == killAt) {
                            peer.kill();
                        }
                        b.clear();
                        int n = c.receive(b, Duration.ofSeconds(30));
                        if (n < 0) {
                            break;
                        }
                        b.flip();
                        assertEquals(expected, ChannelSourcePeer.check(b), "round " + round);
                        expected++;
                    }
                    assertTrue(expected >= killAt, "got " + expected + " before end of stream, killed at " + killAt);
                    assertEquals(-1, c.receive(b, Duration.ZERO));
                }
            }
        }
    }

    @Test
    void blockedReceiveEndsWithEndOfStreamWhenThePeerIsKilled() throws Exception {
        try (ChannelListener l = Ipc.listen("shm:/" + name + "?wait=block");
                PeerJvm peer = Peers.of(ChannelEchoPeer.class, l.address()).start()) {
            try (Channel c = l.accept(T)) {
                peer.awaitReady(T);
                CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
                    try {
                        return c.receive(ByteBuffer.allocate(16), Duration.ofSeconds(30));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, ThreadPerTaskExecutor.INSTANCE);
                peer.kill();
                assertEquals(-1, blocked.get(30, TimeUnit.SECONDS));
                assertThrows(PeerClosedException.class, () -> {
                    for (int i = 0; i < 100_000; i++) {
                        c.send(ByteBuffer.allocate(16), Duration.ofSeconds(10));
                    }
                });
            }
        }
    }
}
