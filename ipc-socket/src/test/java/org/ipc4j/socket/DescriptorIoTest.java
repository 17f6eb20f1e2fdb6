package org.ipc4j.socket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.ThreadPerTaskExecutor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Channels with descriptor I/O ({@code impl=native}, the default for Unix paths, TCP, UDP and Unix
 * datagrams; most cases here on Unix stream): a receive
 * that waits sits in one blocking {@code recvfrom}, and an interrupt or a close from another thread
 * still ends it; an untimed send on a full socket waits in the kernel too, and an interrupt or a close
 * ends it without cutting a message. Each case first waits (through
 * /proc/self/task/TID/syscall) until the thread really is inside the system call, so the race where
 * the wake comes before the call is not what is tested here (the contract tests cover that one).
 */
@SuppressWarnings("try")
class DescriptorIoTest {
    static final Duration T = Duration.ofSeconds(10);
    static final int SYS_POLL = 7;
    static final int SYS_SENDTO = 44;
    static final int SYS_RECVFROM = 45;
    static final int SYS_SENDMSG = 46;
    static final AtomicInteger THREADS = new AtomicInteger();

    @BeforeAll
    static void x86() {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "system call numbers are those of x86-64");
    }

    @Test
    void pathsUseDescriptorIoByDefault() throws Exception {
        try (ChannelListener l = Ipc.listen("unix:" + TestPaths.path("d"));
             Channel c = Ipc.connect(l.address());
             Channel s = l.accept(T)) {
            for (Channel ch : new Channel[] {c, s}) {
                assertTrue(ch.properties().contains(Channel.Property.PEER_CREDENTIALS), ch.properties().toString());
                assertFalse(ch.properties().contains(Channel.Property.FD_PASSING), ch.properties().toString());
            }
            assertEquals(ProcessHandle.current().pid(), s.peerCredentials().orElseThrow().pid());
        }
    }

    @Test
    void anInterruptEndsABlockingReceiveAndTheChannelStaysOpen() throws Exception {
        try (ChannelListener l = Ipc.listen("unix:" + TestPaths.path("i"));
             Channel c = Ipc.connect(l.address());
             Channel s = l.accept(T)) {
            // a first message empties the socket, so the next receive waits in recvfrom
            interruptBlockedReceives(s, c, 20, ByteBuffer.allocate(10), "unix");
            c.send(ByteBuffer.wrap("after".getBytes(UTF_8)));
            assertEquals("after", new String(s.receive(), UTF_8));
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockingReceive() throws Exception {
        for (int round = 0; round < 10; round++) {
            try (ChannelListener l = Ipc.listen("unix:" + TestPaths.path("c" + round));
                 Channel c = Ipc.connect(l.address());
                 Channel s = l.accept(T)) {
                c.send(ByteBuffer.wrap("first".getBytes(UTF_8)));
                assertCloseEndsBlockedReceive(s, () -> {
                    s.receive();
                    s.receive(ByteBuffer.allocate(10));
                }, "unix");
                assertEquals(-1, c.receive(ByteBuffer.allocate(10), T), "the peer sees the close");
            }
        }
    }

    @Test
    void closeFromAnotherThreadEndsASendBlockedOnAFullSocket() throws Exception {
        try (ChannelListener l = Ipc.listen("unix:" + TestPaths.path("f"));
             Channel c = Ipc.connect(l.address());
             Channel s = l.accept(T)) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = thread(() -> {
                ByteBuffer big = ByteBuffer.allocate(1 << 20);
                try {
                    while (true) {
                        c.send(big.clear());
                    }
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            // an untimed send waits in the kernel, in sendto (heap message) or sendmsg, as C's write does
            awaitSyscall(t, SYS_SENDTO, SYS_SENDMSG, SYS_POLL);
            c.close();
            Throwable e = outcome.get(10, TimeUnit.SECONDS);
            assertTrue(e instanceof ClosedChannelException, String.valueOf(e));
            assertTrue(s.isOpen());
        }
    }

    @Test
    void anInterruptEndsABlockingSendWithoutCuttingAMessage() throws Exception {
        int size = 1 << 20;
        try (ChannelListener l = Ipc.listen("unix:" + TestPaths.path("s"));
             Channel c = Ipc.connect(l.address());
             Channel s = l.accept(T)) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            AtomicInteger sent = new AtomicInteger();
            Thread t = thread(() -> {
                ByteBuffer big = ByteBuffer.allocate(size);
                try {
                    while (true) {
                        big.clear().putInt(0, sent.get());
                        c.send(big);
                        sent.incrementAndGet();
                    }
                } catch (Throwable e) {
                    if (!Thread.currentThread().isInterrupted()) {
                        e.addSuppressed(new AssertionError("the interrupt status was cleared"));
                    }
                    outcome.complete(e);
                }
            });
            awaitSyscall(t, SYS_SENDTO, SYS_SENDMSG);
            t.interrupt();
            Throwable e = outcome.get(10, TimeUnit.SECONDS);
            assertTrue(e instanceof InterruptedIOException && e.getSuppressed().length == 0, String.valueOf(e));
            assertTrue(c.isOpen());
            // the message the interrupt stopped counts as sent (its rest goes first): the peer gets them all whole
            CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> {
                ByteBuffer in = ByteBuffer.allocate(size);
                int i = 0;
                try {
                    while (true) {
                        int n = s.receive(in.clear(), T);
                        if (n == 3) {
                            return i;
                        }
                        assertEquals(size, n);
                        assertEquals(i++, in.getInt(0));
                    }
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            }, ThreadPerTaskExecutor.INSTANCE);
            c.send(ByteBuffer.wrap("end".getBytes(UTF_8)));
            int i = received.get(10, TimeUnit.SECONDS);
            assertTrue(i == sent.get() || i == sent.get() + 1, "received " + i + ", sent " + sent.get());
        }
    }

    /** A connected pair of the transport's default (native) channels: [0] receives, [1] sends. */
    static Channel[] nativePair(String transport) throws Exception {
        switch (transport) {
            case "tcp":
                try (ChannelListener l = Ipc.listen("tcp://127.0.0.1:0")) {
                    Channel c = Ipc.connect(l.address());
                    return new Channel[] {l.accept(T), c};
                }
            case "udp":
                return DatagramSocketTest.udpPair("127.0.0.1");
            default:
                return DatagramSocketTest.unixgramPair();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp", "unixgram"})
    void theOtherTransportsWaitInRecvfromAndAnInterruptOrACloseEndsIt(String transport) throws Exception {
        Channel[] p = nativePair(transport);
        try (Channel s = p[0]; Channel c = p[1]) {
            // a direct buffer with room for any datagram: the receive that reads straight into it
            interruptBlockedReceives(s, c, 10, ByteBuffer.allocateDirect(Math.min(s.maxMessageSize(), 1 << 17)), transport);
            c.send(ByteBuffer.wrap("after".getBytes(UTF_8)));
            assertEquals("after", new String(s.receive(), UTF_8));
            assertCloseEndsBlockedReceive(s, () -> s.receive(ByteBuffer.allocate(10)), transport);
        }
    }

    @Test
    void closeEndsAUnixDatagramSendWaitingForAFullPeer() throws Exception {
        Channel[] p = nativePair("unixgram");
        try (Channel s = p[0]; Channel c = p[1]) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = thread(() -> {
                ByteBuffer big = ByteBuffer.allocate(60_000);
                try {
                    while (true) {
                        c.send(big.clear());
                    }
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            // nobody reads: the sender finds the peer full and waits in poll, which close wakes
            awaitSyscall(t, SYS_POLL);
            c.close();
            Throwable e = outcome.get(10, TimeUnit.SECONDS);
            assertTrue(e instanceof ClosedChannelException, String.valueOf(e));
            assertTrue(s.isOpen());
        }
    }

    static Thread thread(Runnable body) {
        Thread t = new Thread(body, "ipc4j-blk-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until thread t is blocked in one of the given system calls, read from /proc/self/task/TID/syscall. */
    /**
     * {@code rounds} times: {@code c} sends a message, a thread receives it and then blocks in a
     * second receive into {@code second}, seen in recvfrom; an interrupt must end that receive with
     * {@link InterruptedIOException}, keep the thread's interrupt status and leave {@code s} open.
     */
    /** What a receiving thread runs: receives that end in a blocked one. */
    @FunctionalInterface
    private interface Receives {
        void run() throws Exception;
    }

    /**
     * Runs {@code receives} on a thread until it waits in recvfrom, closes {@code s} from this
     * thread, and checks that the receive ended with a {@link ClosedChannelException} within 10 s.
     */
    private static void assertCloseEndsBlockedReceive(Channel s, Receives receives, String label) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = thread(() -> {
            try {
                receives.run();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        awaitSyscall(t, SYS_RECVFROM);
        s.close();
        Throwable e = outcome.get(10, TimeUnit.SECONDS);
        assertTrue(e instanceof ClosedChannelException, label + ": " + e);
    }

    private static void interruptBlockedReceives(Channel s, Channel c, int rounds, ByteBuffer second, String label)
            throws Exception {
        for (int round = 0; round < rounds; round++) {
            String expected = "m" + round;
            c.send(ByteBuffer.wrap(expected.getBytes(UTF_8)));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = thread(() -> {
                try {
                    String first = new String(s.receive(), UTF_8);
                    if (!first.equals(expected)) {
                        throw new AssertionError("got '" + first + "', expected '" + expected + "'");
                    }
                    s.receive(second.clear());
                    outcome.complete(null);
                } catch (Throwable e) {
                    if (!Thread.currentThread().isInterrupted()) {
                        e.addSuppressed(new AssertionError("the interrupt status was cleared"));
                    }
                    outcome.complete(e);
                }
            });
            awaitSyscall(t, SYS_RECVFROM);
            t.interrupt();
            Throwable e = outcome.get(10, TimeUnit.SECONDS);
            assertTrue(e instanceof InterruptedIOException && e.getSuppressed().length == 0, label + ": " + e);
            assertTrue(s.isOpen());
            t.join();
        }
    }

    static void awaitSyscall(Thread t, int... syscalls) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        if (!Files.readAllLines(task.resolve("comm")).get(0).equals(t.getName())) {
                            continue;
                        }
                        String[] call = Files.readAllLines(task.resolve("syscall")).get(0).split(" ");
                        for (int syscall : syscalls) {
                            if (call[0].equals(Integer.toString(syscall))) {
                                return;
                            }
                        }
                    } catch (IOException e) {
                        // the task ended while we looked
                    }
                }
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        throw new AssertionError(t.getName() + " never blocked in system call " + java.util.Arrays.toString(syscalls));
    }
}
