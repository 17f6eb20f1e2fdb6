package org.ipc4j.socket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.PeerClosedException;
import org.ipc4j.socket.internal.StreamChannel;
import org.ipc4j.testkit.ThreadPerTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stream channels in one JVM: behaviour that needs no second process. */
@SuppressWarnings("try")
class StreamSocketTest {
    static final Duration T = Duration.ofSeconds(10);

    /** A connected pair: [0] accepted, [1] connected. */
    static Channel[] pair(ChannelListener listener) throws Exception {
        CompletableFuture<Channel> client = CompletableFuture.supplyAsync(() -> {
            try {
                return Ipc.connect(listener.address());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, ThreadPerTaskExecutor.INSTANCE);
        Channel accepted = listener.accept(T);
        return new Channel[] {accepted, client.get(10, TimeUnit.SECONDS)};
    }

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    static String receiveText(Channel c) throws IOException {
        return new String(c.receive(), UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:0", "tcp://[::1]:0", "tcp://127.0.0.1:0?impl=jdk", "unix:@ipc4j-test-%d",
            "unix:%s/s.sock", "unix:%s/j.sock?impl=junixsocket"})
    void messagesKeepTheirBoundariesBothWays(String template) throws Exception {
        String address = TestPaths.fill(template);
        try (ChannelListener listener = Ipc.listen(address)) {
            Channel[] p = pair(listener);
            try (Channel a = p[0]; Channel b = p[1]) {
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    try {
                        b.send(text("one"));
                        b.send(text(""));
                        b.send(ByteBuffer.wrap(new byte[200_000]));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }, ThreadPerTaskExecutor.INSTANCE);
                assertEquals("one", receiveText(a));
                assertEquals(0, a.receive().length);
                assertEquals(200_000, a.receive().length);
                sent.get(10, TimeUnit.SECONDS);
                a.send(text("back"));
                assertEquals("back", receiveText(b));
                b.close();
                assertEquals(-1, a.receive(ByteBuffer.allocate(10), T));
            }
        }
    }

    @Test
    void tcpPortZeroGivesTheRealPortAndNoDelay() throws Exception {
        try (ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0?backlog=4")) {
            assertTrue(listener.address().matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), listener.address());
            Channel[] p = pair(listener);
            try (Channel a = p[0]; Channel b = p[1]) {
                assertTrue(((StreamChannel) a).socket().getOption(StandardSocketOptions.TCP_NODELAY));
                assertTrue(((StreamChannel) b).socket().getOption(StandardSocketOptions.TCP_NODELAY));
                assertTrue(a.properties().contains(Channel.Property.CROSS_HOST));
                assertTrue(a.properties().contains(Channel.Property.RELIABLE));
            }
        }
    }

    @Test
    void aWaitingReceiverUsesNoCpu() throws Exception {
        for (String address : new String[] {"unix:@ipc4j-cpu-" + ProcessHandle.current().pid(), "tcp://127.0.0.1:0"}) {
            try (ChannelListener listener = Ipc.listen(address)) {
                Channel[] p = pair(listener);
                try (Channel a = p[0]; Channel b = p[1]) {
                    long cpu = cpuNanos();
                    assertThrows(IpcTimeoutException.class, () -> a.receive(ByteBuffer.allocate(1), Duration.ofMillis(300)));
                    long used = cpuNanos() - cpu;
                    assertTrue(used < 150_000_000L, address + ": waiting 300ms used " + used / 1_000_000 + "ms of CPU");
                }
            }
        }
    }

    @Test
    void connectTimesOutWhenTheBacklogIsFull() throws Exception {
        java.util.List<Channel> open = new java.util.ArrayList<>();
        try (ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0?backlog=1")) {
            IpcTimeoutException timeout = null;
            // Linux queues backlog + 1 finished connections; after that a SYN gets no answer
            for (int i = 0; i < 10 && timeout == null; i++) {
                long start = System.nanoTime();
                try {
                    open.add(Ipc.connect(listener.address() + "?timeout=200ms"));
                } catch (IpcTimeoutException e) {
                    timeout = e;
                    assertTrue(System.nanoTime() - start >= 190_000_000L, "gave up early");
                }
            }
            assertTrue(timeout != null, "no connect timed out; connected " + open.size());
            assertTrue(timeout.getMessage().contains("connect on 'tcp://127.0.0.1:"), timeout.getMessage());
            assertTrue(timeout.getMessage().contains("timed out after 200ms"), timeout.getMessage());
        } finally {
            for (Channel c : open) {
                c.close();
            }
        }
    }

    @Test
    void refusedConnectionIsObjectNotFound() throws Exception {
        int port;
        try (ChannelListener l = Ipc.listen("tcp://127.0.0.1:0")) {
            port = Integer.parseInt(l.address().substring(l.address().lastIndexOf(':') + 1));
        }
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class,
                () -> Ipc.connect("tcp://127.0.0.1:" + port));
        assertTrue(e.getMessage().contains("nothing listens at 'tcp://127.0.0.1:" + port + "'"), e.getMessage());
    }

    @Test
    void unknownKeyAndBadValuesNameWhatIsAccepted() {
        InvalidAddressException e = assertThrows(InvalidAddressException.class,
                () -> Ipc.connect("tcp://127.0.0.1:1?fraiming=raw"));
        assertTrue(e.getMessage().contains("fraiming") && e.getMessage().contains("framing"), e.getMessage());
        e = assertThrows(InvalidAddressException.class, () -> Ipc.connect("tcp://127.0.0.1:1?framing=lines"));
        assertTrue(e.getMessage().contains("accepted: framed"), e.getMessage());
        e = assertThrows(InvalidAddressException.class, () -> Ipc.listen("unix:@x?allowUid=root"));
        assertTrue(e.getMessage().contains("comma-separated uids"), e.getMessage());
        e = assertThrows(InvalidAddressException.class, () -> Ipc.connect("unix:@x?serverUid=root"));
        assertTrue(e.getMessage().contains("serverUid=root") && e.getMessage().contains("comma-separated uids"),
                e.getMessage());
        e = assertThrows(InvalidAddressException.class, () -> Ipc.connect("unix:/tmp/x?impl=jdk&serverUid=0"));
        assertTrue(e.getMessage().contains("serverUid") && e.getMessage().contains("impl=junixsocket"), e.getMessage());
        e = assertThrows(InvalidAddressException.class, () -> Ipc.listen("unix:@x?impl=jdk"));
        assertTrue(e.getMessage().contains("abstract"), e.getMessage());
        e = assertThrows(InvalidAddressException.class, () -> Ipc.connect("tcp://127.0.0.1:1?impl=junixsocket"));
        assertTrue(e.getMessage().contains("impl=junixsocket") && e.getMessage().contains("native (the default) or jdk"),
                e.getMessage());
    }

    @Test
    void tcpNativeAndJdkEndsInteroperate() throws Exception {
        try (ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0?impl=jdk")) {
            String port = listener.address().replaceAll(".*:([0-9]+).*", "$1");
            CompletableFuture<Channel> client = CompletableFuture.supplyAsync(() -> {
                try {
                    return Ipc.connect("tcp://127.0.0.1:" + port);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, ThreadPerTaskExecutor.INSTANCE);
            try (Channel jdk = listener.accept(T); Channel nativeEnd = client.get(10, TimeUnit.SECONDS)) {
                nativeEnd.send(text("to jdk"));
                assertEquals("to jdk", receiveText(jdk));
                jdk.send(ByteBuffer.wrap(new byte[100_000]));
                assertEquals(100_000, nativeEnd.receive().length);
                jdk.close();
                assertEquals(-1, nativeEnd.receive(ByteBuffer.allocate(10), T));
            }
        }
    }

    @Test
    void timeoutsConsumeNothingAndPartialFramesWait() throws Exception {
        try (ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0");
             SocketChannel raw = SocketChannel.open()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port(listener)));
            try (Channel c = listener.accept(T)) {
                assertThrows(IpcTimeoutException.class, () -> c.receive(ByteBuffer.allocate(10), Duration.ZERO));
                IpcTimeoutException t = assertThrows(IpcTimeoutException.class,
                        () -> c.receive(ByteBuffer.allocate(10), Duration.ofMillis(50)));
                assertTrue(t.getMessage().contains("receive on 'tcp://127.0.0.1:0' timed out after 50ms"), t.getMessage());
                raw.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 3, 'a'}));
                assertThrows(IpcTimeoutException.class, () -> c.receive(ByteBuffer.allocate(10), Duration.ofMillis(50)));
                raw.write(ByteBuffer.wrap(new byte[] {'b', 'c'}));
                assertEquals("abc", receiveText(c));
            }
        }
    }

    @Test
    void aLargeFrameReadDirectlySurvivesATimeoutMidway() throws Exception {
        try (ChannelListener listener = Ipc.listen("unix:" + TestPaths.path("direct"));
             SocketChannel raw = SocketChannel.open(java.net.UnixDomainSocketAddress.of(listener.address().substring(5)))) {
            try (Channel c = listener.accept(T)) {
                byte[] m = new byte[100_000];
                new java.util.Random(7).nextBytes(m);
                ByteBuffer frame = ByteBuffer.allocate(4 + m.length).putInt(m.length).put(m).flip();
                ByteBuffer first = frame.duplicate().limit(4 + 60_000);
                while (first.hasRemaining()) {
                    raw.write(first);
                }
                ByteBuffer dst = ByteBuffer.allocate(200_000).position(11);
                assertThrows(IpcTimeoutException.class, () -> c.receive(dst, Duration.ofMillis(100)));
                assertEquals(11, dst.position(), "a timed-out receive leaves the position");
                frame.position(4 + 60_000);
                while (frame.hasRemaining()) {
                    raw.write(frame);
                }
                assertEquals(m.length, c.receive(dst, T));
                assertEquals(11 + m.length, dst.position());
                assertArrayEquals(m, java.util.Arrays.copyOfRange(dst.array(), 11, 11 + m.length));
            }
        }
    }

    @Test
    void shortBufferLeavesTheMessageInPlace() throws Exception {
        try (ChannelListener listener = Ipc.listen("unix:@ipc4j-short-" + ProcessHandle.current().pid())) {
            Channel[] p = pair(listener);
            try (Channel a = p[0]; Channel b = p[1]) {
                b.send(text("0123456789"));
                MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                        () -> a.receive(ByteBuffer.allocate(4)));
                assertFalse(e.discarded());
                assertEquals(10, e.size());
                assertEquals(4, e.limit());
                assertEquals("0123456789", receiveText(a));
            }
        }
    }

    @Test
    void sendOverMaxMessageSizeIsRefusedAndNothingIsSent() throws Exception {
        try (ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0?maxMessageSize=16")) {
            Channel[] p = pair(listener);
            try (Channel a = p[0]; Channel b = p[1]) {
                assertEquals(16, b.maxMessageSize());
                ByteBuffer big = ByteBuffer.allocate(17);
                MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> b.send(big));
                assertTrue(e.getMessage().contains("size=17 exceeds maxMessageSize=16"), e.getMessage());
                assertEquals(0, big.position());
                b.send(text("ok"));
                assertEquals("ok", receiveText(a));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x7fffffff, -1, 17})
    void hostileLengthClosesTheChannelWithAProtocolError(int length) throws Exception {
        try (ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0?maxMessageSize=16");
             SocketChannel raw = SocketChannel.open()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port(listener)));
            try (Channel c = listener.accept(T)) {
                raw.write(ByteBuffer.allocate(8).putInt(length).putInt(0).flip());
                IpcProtocolException e = assertThrows(IpcProtocolException.class, () -> c.receive(ByteBuffer.allocate(16)));
                assertTrue(e.getMessage().contains("outside 0..16"), e.getMessage());
                assertFalse(c.isOpen());
                assertThrows(ClosedChannelException.class, () -> c.receive(ByteBuffer.allocate(16)));
            }
        }
    }

    @Test
    void truncatedFrameThenEndOfStreamIsAProtocolError() throws Exception {
        try (ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0")) {
            SocketChannel raw = SocketChannel.open(new InetSocketAddress("127.0.0.1", port(listener)));
            try (Channel c = listener.accept(T)) {
                raw.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 1, 2}));
                raw.close();
                IpcProtocolException e = assertThrows(IpcProtocolException.class, () -> c.receive(ByteBuffer.allocate(16)));
                assertTrue(e.getMessage().contains("got 2 of 9 payload bytes"), e.getMessage());
            }
        }
    }

    @Test
    void sendToAClosedPeerIsPeerClosed() throws Exception {
        try (ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0")) {
            Channel[] p = pair(listener);
            try (Channel a = p[0]; Channel b = p[1]) {
                b.close();
                assertEquals(-1, a.receive(ByteBuffer.allocate(1), T));
                PeerClosedException e = assertThrows(PeerClosedException.class, () -> {
                    for (int i = 0; i < 1000; i++) {
                        a.send(ByteBuffer.allocate(1000));
                    }
                });
                assertTrue(e.getMessage().contains("peer"), e.getMessage());
            }
        }
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReceiver() throws Exception {
        try (ChannelListener listener = Ipc.listen("unix:@ipc4j-close-" + ProcessHandle.current().pid())) {
            Channel[] p = pair(listener);
            try (Channel a = p[0]; Channel b = p[1]) {
                CountDownLatch started = new CountDownLatch(1);
                CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                    started.countDown();
                    try {
                        a.receive(ByteBuffer.allocate(10));
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                }, ThreadPerTaskExecutor.INSTANCE);
                started.await();
                // the receiver may not be in its wait yet; close must work either way
                a.close();
                Throwable t = blocked.get(10, TimeUnit.SECONDS);
                assertTrue(t instanceof ClosedChannelException, String.valueOf(t));
            }
        }
    }

    @Test
    void interruptEndsAWaitAndLeavesTheChannelOpen() throws Exception {
        try (ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0")) {
            Channel[] p = pair(listener);
            try (Channel a = p[0]; Channel b = p[1]) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    try {
                        a.receive(ByteBuffer.allocate(10));
                    } catch (Throwable e) {
                        failure.set(e);
                        stillInterrupted.set(Thread.currentThread().isInterrupted());
                    }
                });
                t.start();
                t.interrupt();
                t.join(10_000);
                assertTrue(failure.get() instanceof InterruptedIOException, String.valueOf(failure.get()));
                assertTrue(stillInterrupted.get());
                assertTrue(a.isOpen());
                b.send(text("after"));
                assertEquals("after", receiveText(a));
            }
        }
    }

    @Test
    void acceptTimesOutAndCloseWakesAcceptor() throws Exception {
        ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0");
        assertThrows(IpcTimeoutException.class, () -> listener.accept(Duration.ofMillis(30)));
        CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                listener.accept();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }, ThreadPerTaskExecutor.INSTANCE);
        listener.close();
        listener.close();
        Throwable t = blocked.get(10, TimeUnit.SECONDS);
        assertTrue(t instanceof ClosedChannelException || t instanceof AsynchronousCloseException, String.valueOf(t));
    }

    @Test
    void rawFramingPassesBytesAsTheyAre() throws Exception {
        try (ChannelListener listener = Ipc.listen("tcp://127.0.0.1:0?framing=raw");
             SocketChannel raw = SocketChannel.open()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port(listener)));
            try (Channel c = listener.accept(T)) {
                raw.write(text("hello"));
                ByteBuffer dst = ByteBuffer.allocate(100);
                while (dst.position() < 5) {
                    assertTrue(c.receive(dst, T) > 0);
                }
                assertArrayEquals("hello".getBytes(UTF_8), java.util.Arrays.copyOf(dst.array(), 5));
                c.send(text("world"));
                ByteBuffer back = ByteBuffer.allocate(5);
                while (back.hasRemaining()) {
                    raw.read(back);
                }
                assertEquals("world", new String(back.array(), UTF_8));
            }
        }
    }

    /** CPU time of the calling thread only (utime + stime from /proc/thread-self/stat, 10 ms ticks). */
    static long cpuNanos() throws IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime field 14, stime field 15
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    static int port(ChannelListener l) {
        return Integer.parseInt(l.address().replaceAll(".*:([0-9]+).*", "$1"));
    }
}
