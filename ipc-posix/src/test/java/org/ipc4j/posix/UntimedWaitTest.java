package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.posix.internal.BlockingCall;
import org.ipc4j.posix.internal.PosixMessageQueue;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.peer.EchoPeer;
import org.junit.jupiter.api.Test;

/**
 * Untimed receives and sends on platform threads wait in the blocking call itself ({@code read},
 * {@code mq_timedreceive}/{@code mq_timedsend} with no timeout); close and interrupts end them with
 * the JDK's wake signal, within seconds, against a child process, a peer JVM or a full queue. When the
 * signal cannot be used (turned off, or its handler restarts calls) the waits fall back to slices and
 * poll, and still end promptly.
 */
class UntimedWaitTest {
    private static final long END_WITHIN_SECONDS = 5;
    /** Where an untimed wait blocks: the HotCalls method, or the JNA method it calls on JDK 17. */
    private static final List<String> READ = List.of("read");
    private static final List<String> SEND = List.of("mqTimedSend", "mq_timedsend");
    private static final List<String> RECEIVE = List.of("mqTimedReceive", "mq_timedreceive");

    /** A call a test thread makes and the test ends. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    @Test
    void theJdkWakeSignalIsUsableHere() {
        assertTrue(BlockingCall.available(), "the JDK's wake signal must have a handler without SA_RESTART on Linux");
    }

    @Test
    void pipeReceiveBlockedInReadEndsOnInterruptThenOnClose() throws Exception {
        // the child echoes what it reads on fd 3 to fd 4
        try (ChildProcess child = ChildProcess.builder("sh", "-c", "exec cat <&3 >&4").channel(3, 4).start()) {
            Channel c = child.channel();
            ByteBuffer buffer = ByteBuffer.allocate(64);
            interruptEnds("pipe receive", () -> c.receive(buffer), READ);
            assertTrue(c.isOpen(), "an interrupt must not close the channel");
            assertEchoes(c);
            closeEnds("pipe receive", () -> c.receive(buffer), c, READ);
        }
    }

    @Test
    void fifoReceiveBlockedInReadEndsOnInterruptThenOnClose() throws Exception {
        String path = TestSupport.dir("untimed").resolve("echo").toString();
        try (PeerJvm peer = PeerJvm.builder(EchoPeer.class).args("fifo:" + path + "?create&side=b").start()) {
            Channel c = Ipc.connect("fifo:" + path + "?create");
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            ByteBuffer buffer = ByteBuffer.allocate(64);
            interruptEnds("fifo receive", () -> c.receive(buffer), READ);
            assertTrue(c.isOpen(), "an interrupt must not close the channel");
            assertEchoes(c);
            closeEnds("fifo receive", () -> c.receive(buffer), c, READ);
            peer.awaitLineStartingWith("ECHOED 1", TestSupport.PEER_TIMEOUT);
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
        }
    }

    @Test
    void queueSendBlockedOnAFullQueueEndsOnInterruptThenOnClose() throws Exception {
        String name = "/" + TestSupport.unique("untimed");
        try (MessageQueue q = Ipc.openQueue("mq:" + name + "?create&capacity=1&maxMessageSize=64")) {
            q.send(ByteBuffer.wrap(new byte[] {1}), 0);
            interruptEnds("queue send", () -> q.send(ByteBuffer.wrap(new byte[] {2}), 0), SEND);
            assertEquals(1, q.size(), "an interrupted send sends nothing");
            closeEnds("queue send", () -> q.send(ByteBuffer.wrap(new byte[] {3}), 0), q, SEND);
        } finally {
            PosixMessageQueue.unlink(name);
        }
    }

    @Test
    void queueReceiveBlockedUntimedEndsOnInterruptThenOnCloseWithAPeerJvmOnTheQueue() throws Exception {
        String name = "/" + TestSupport.unique("untimed");
        String reply = "/" + TestSupport.unique("untimedr");
        try (MessageQueue q = Ipc.openQueue("mq:" + name + "?create&capacity=10&maxMessageSize=64");
             MessageQueue r = Ipc.openQueue("mq:" + reply + "?create&capacity=10&maxMessageSize=64");
             PeerJvm peer = PeerJvm.builder(Peers.QueueEcho.class).args("mq:" + name, "mq:" + reply, "1").start()) {
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            ByteBuffer buffer = ByteBuffer.allocate(64);
            interruptEnds("queue receive", () -> r.receive(buffer), RECEIVE);
            q.send(ByteBuffer.wrap(new byte[] {7}), 3);
            buffer.clear();
            assertEquals(3, r.receive(buffer).priority(), "the echo after the interrupt");
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
            closeEnds("queue receive", () -> r.receive(buffer), r, RECEIVE);
        } finally {
            PosixMessageQueue.unlink(name);
            PosixMessageQueue.unlink(reply);
        }
    }

    /**
     * One thread receiving in a loop, interrupted 300 times while blocked in {@code read}: every
     * interrupt ends its call within seconds (a fresh wake-up record after each), and a message sent
     * after the last one still arrives.
     */
    @Test
    void everyOneOfManyInterruptsEndsTheBlockedRead() throws Exception {
        int rounds = 300;
        Channel[] ends = pipe("many");
        try (Channel writer = ends[0]; Channel reader = ends[1]) {
            java.util.concurrent.atomic.AtomicInteger interrupted = new java.util.concurrent.atomic.AtomicInteger();
            CompletableFuture<Integer> last = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocate(64);
                try {
                    while (true) {
                        try {
                            b.clear();
                            last.complete(reader.receive(b));
                            return;
                        } catch (InterruptedIOException e) {
                            Thread.interrupted();
                            interrupted.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    last.completeExceptionally(e);
                }
            }, "receiver");
            t.start();
            for (int i = 1; i <= rounds; i++) {
                awaitBlockedIn(t, READ);
                t.interrupt();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(END_WITHIN_SECONDS);
                while (interrupted.get() < i) {
                    assertTrue(System.nanoTime() < end, "interrupt " + i + " of " + rounds + " did not end the read");
                    Thread.onSpinWait();
                }
            }
            writer.send(ByteBuffer.wrap(new byte[] {9, 9}));
            assertEquals(2, last.get(END_WITHIN_SECONDS, TimeUnit.SECONDS));
            assertEquals(rounds, interrupted.get());
        }
    }

    /**
     * A second thread's receive waits behind one blocked in an untimed {@code read}, which holds the
     * direction: a timed receive still times out in its time, an interrupted one ends, and the message
     * sent afterwards reaches the first thread.
     */
    @Test
    void aReceiveWaitingBehindABlockedOneKeepsItsTimeoutAndEndsOnInterrupt() throws Exception {
        Channel[] ends = pipe("behind");
        try (Channel writer = ends[0]; Channel reader = ends[1]) {
            CompletableFuture<Integer> first = new CompletableFuture<>();
            Thread holder = new Thread(() -> {
                try {
                    first.complete(reader.receive(ByteBuffer.allocate(64)));
                } catch (Throwable e) {
                    first.completeExceptionally(e);
                }
            }, "holder");
            holder.start();
            awaitBlockedIn(holder, READ);
            timesOutInTime("receive behind a blocked receive", () -> reader.receive(ByteBuffer.allocate(64), Duration.ofMillis(200)));
            interruptEnds("receive behind a blocked receive", () -> reader.receive(ByteBuffer.allocate(64)), List.of());
            interruptEnds("timed receive behind a blocked receive",
                    () -> reader.receive(ByteBuffer.allocate(64), Duration.ofMinutes(5)), List.of());
            writer.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertEquals(3, first.get(END_WITHIN_SECONDS, TimeUnit.SECONDS), "the blocked receive gets the message");
        }
    }

    /**
     * The same for sends: one thread waits on a full pipe holding the send direction; a timed send
     * behind it times out in its time and sends nothing, an interrupted one ends, and once the reader
     * drains the pipe every message sent arrives, once, in order.
     */
    @Test
    void aSendWaitingBehindABlockedOneKeepsItsTimeoutAndEndsOnInterrupt() throws Exception {
        Channel[] ends = pipe("behind");
        try (Channel writer = ends[0]; Channel reader = ends[1]) {
            int sent = 0;
            while (true) {
                try {
                    writer.send(ByteBuffer.allocate(8).putInt(0, sent), Duration.ZERO);
                    sent++;
                } catch (IpcTimeoutException full) {
                    break;
                }
            }
            int blocked = sent;
            CompletableFuture<Void> holderDone = new CompletableFuture<>();
            Thread holder = new Thread(() -> {
                try {
                    writer.send(ByteBuffer.allocate(8).putInt(0, blocked));
                    holderDone.complete(null);
                } catch (Throwable e) {
                    holderDone.completeExceptionally(e);
                }
            }, "holder");
            holder.start();
            PosixMessageQueueTest.awaitBlocked(holder);
            timesOutInTime("send behind a blocked send", () -> writer.send(ByteBuffer.allocate(8).putInt(0, -1), Duration.ofMillis(200)));
            interruptEnds("send behind a blocked send", () -> writer.send(ByteBuffer.allocate(8).putInt(0, -2)), List.of());
            ByteBuffer b = ByteBuffer.allocate(64);
            for (int i = 0; i <= blocked; i++) {
                b.clear();
                assertEquals(8, reader.receive(b, Duration.ofSeconds(END_WITHIN_SECONDS)), "message " + i);
                assertEquals(i, b.getInt(0), "message " + i + " in order, none from the timed-out or interrupted sends");
            }
            holderDone.get(END_WITHIN_SECONDS, TimeUnit.SECONDS);
            assertThrows(IpcTimeoutException.class, () -> reader.receive(ByteBuffer.allocate(64), Duration.ofMillis(100)),
                    "nothing after the blocked send's message");
        }
    }

    /** Runs {@code call} (a timed call of 200 ms) and expects {@link IpcTimeoutException} within seconds, not after the holder. */
    private static void timesOutInTime(String what, Call call) throws Exception {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        start(what, call, new AtomicBoolean(), result);
        Throwable e = result.get(END_WITHIN_SECONDS, TimeUnit.SECONDS);
        assertTrue(e instanceof IpcTimeoutException, what + ": expected IpcTimeoutException, got " + e);
    }

    /** A framed pipe in this process, 64-byte messages: {writer, reader}. */
    private static Channel[] pipe(String name) throws Exception {
        int[] p = new int[2];
        assertEquals(0, org.ipc4j.posix.internal.LibC.pipe2(p, org.ipc4j.posix.internal.LibC.O_CLOEXEC));
        return new Channel[] {org.ipc4j.posix.internal.PipeChannel.of("pipe:" + name + "-w", -1, p[1], true, 64),
            org.ipc4j.posix.internal.PipeChannel.of("pipe:" + name + "-r", p[0], -1, true, 64)};
    }

    /** Turned off by the property: waits go through slices and poll, and close and interrupt still end them. */
    @Test
    void turnedOffTheWaitsFallBackAndStillEnd() throws Exception {
        fallback("-Dipc4j.posix.blockingCalls=false", "off");
    }

    /** A wake signal whose handler restarts calls would leave a thread blocked: it is detected and not used. */
    @Test
    void aWakeSignalThatRestartsCallsIsDetectedAndTheWaitsFallBack() throws Exception {
        fallback("-Dipc4j.test.restartWakeSignal=true", "restart");
    }

    private static void fallback(String flag, String name) throws Exception {
        try (PeerJvm peer = PeerJvm.builder(Peers.UntimedWaitFallback.class).name("fallback-" + name).jvmFlags(flag)
                .args(TestSupport.unique("fb")).start()) {
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            peer.awaitLineStartingWith("available=false", TestSupport.PEER_TIMEOUT);
            peer.awaitLineStartingWith("DONE", Duration.ofSeconds(60));
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
        }
    }

    private static void assertEchoes(Channel c) throws Exception {
        c.send(ByteBuffer.wrap(new byte[] {4, 5, 6}));
        ByteBuffer b = ByteBuffer.allocate(64);
        assertEquals(3, c.receive(b), "the echo after the interrupt");
        assertEquals(ByteBuffer.wrap(new byte[] {4, 5, 6}), b.flip());
    }

    /**
     * Runs {@code call} on a new thread, waits until it is blocked (in one of {@code nativeCalls} if
     * the untimed wait is in use; none to skip that check), interrupts it and expects {@link InterruptedIOException} (not a
     * timeout) within seconds, with the interrupt status kept.
     */
    static void interruptEnds(String what, Call call, List<String> nativeCalls) throws Exception {
        AtomicBoolean statusKept = new AtomicBoolean();
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = start(what, call, statusKept, result);
        awaitBlockedIn(t, nativeCalls);
        t.interrupt();
        Throwable e = result.get(END_WITHIN_SECONDS, TimeUnit.SECONDS);
        assertTrue(e instanceof InterruptedIOException && !(e instanceof IpcTimeoutException),
                what + " interrupted: expected InterruptedIOException, got " + e);
        assertTrue(statusKept.get(), what + ": the interrupt status must be kept");
        t.join(TimeUnit.SECONDS.toMillis(END_WITHIN_SECONDS));
    }

    /** As {@link #interruptEnds}, ended by closing {@code handle}: expects {@link AsynchronousCloseException}. */
    static void closeEnds(String what, Call call, AutoCloseable handle, List<String> nativeCalls) throws Exception {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = start(what, call, new AtomicBoolean(), result);
        awaitBlockedIn(t, nativeCalls);
        handle.close();
        Throwable e = result.get(END_WITHIN_SECONDS, TimeUnit.SECONDS);
        assertTrue(e instanceof AsynchronousCloseException, what + " closed: expected AsynchronousCloseException, got " + e);
        t.join(TimeUnit.SECONDS.toMillis(END_WITHIN_SECONDS));
    }

    private static Thread start(String what, Call call, AtomicBoolean statusKept, CompletableFuture<Throwable> result) {
        Thread t = new Thread(() -> {
            try {
                call.run();
                result.complete(new AssertionError(what + " returned instead of blocking"));
            } catch (Throwable e) {
                statusKept.set(Thread.currentThread().isInterrupted());
                result.complete(e);
            }
        }, what);
        t.start();
        return t;
    }

    /**
     * Waits until {@code t} is blocked; with the untimed wait in use, it must be in one of
     * {@code nativeCalls} (the HotCalls method, or the JNA one under it on JDK 17), not in poll.
     */
    private static void awaitBlockedIn(Thread t, List<String> nativeCalls) throws InterruptedException {
        PosixMessageQueueTest.awaitBlocked(t);
        if (!nativeCalls.isEmpty() && BlockingCall.available()) {
            // the thread may be seen in a call that does not wait first (a send tries without waiting)
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String in = PosixMessageQueueTest.nativeCall(t);
            while (!nativeCalls.contains(String.valueOf(in)) && System.nanoTime() < end) {
                Thread.onSpinWait();
                in = PosixMessageQueueTest.nativeCall(t);
            }
            assertTrue(nativeCalls.contains(String.valueOf(in)), t.getName() + " must wait in " + nativeCalls
                    + " itself, not in " + in + " (" + t.getState() + ")");
        }
    }
}
