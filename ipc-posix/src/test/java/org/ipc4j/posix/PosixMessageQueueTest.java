package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Received;
import org.ipc4j.ResourceLimitException;
import org.ipc4j.posix.internal.PosixMessageQueue;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PosixMessageQueueTest {
    private final List<String> names = new ArrayList<>();

    private String name() {
        String n = "/" + TestSupport.unique("mq");
        names.add(n);
        return n;
    }

    @AfterEach
    void unlink() {
        names.forEach(PosixMessageQueue::unlink);
    }

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String text(ByteBuffer b, Received r) {
        return new String(b.array(), 0, r.length(), StandardCharsets.UTF_8);
    }

    @Test
    void receivesHighestPriorityFirstThenInSendOrder() throws Exception {
        try (MessageQueue q = Ipc.openQueue("mq:" + name() + "?create&capacity=10&maxMessageSize=128")) {
            assertEquals(10, q.capacity());
            assertEquals(128, q.maxMessageSize());
            q.send(text("low1"), 1);
            q.send(text("high"), 7);
            q.send(text("low2"), 1);
            q.send(text("zero"));
            assertEquals(4, q.size());
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ByteBuffer b = ByteBuffer.allocate(128);
                Received r = q.receive(b);
                got.add(text(b, r) + "@" + r.priority());
            }
            assertEquals(List.of("high@7", "low1@1", "low2@1", "zero@0"), got);
        }
    }

    @Test
    void timedAndTryFormsNeitherBlockNorConsume() throws Exception {
        try (MessageQueue q = Ipc.openQueue("mq:" + name() + "?create&capacity=1&maxMessageSize=16")) {
            assertTrue(q.tryReceive(ByteBuffer.allocate(16)).isEmpty());
            IpcTimeoutException t = assertThrows(IpcTimeoutException.class,
                    () -> q.receive(ByteBuffer.allocate(16), Duration.ofMillis(50)));
            assertTrue(t.getMessage().contains("receive"), t.getMessage());
            assertTrue(q.trySend(text("a"), 0));
            assertFalse(q.trySend(text("b"), 0));
            assertThrows(IpcTimeoutException.class, () -> q.send(text("b"), 0, Duration.ofMillis(50)));
            assertEquals(1, q.size());
        }
    }

    @Test
    void smallBufferKeepsTheMessageForTheNextReceive() throws Exception {
        try (MessageQueue q = Ipc.openQueue("mq:" + name() + "?create&capacity=2&maxMessageSize=64")) {
            q.send(text("0123456789"), 3);
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> q.receive(ByteBuffer.allocate(4)));
            assertFalse(e.discarded());
            assertEquals(10, e.size());
            ByteBuffer b = ByteBuffer.allocate(64);
            Received r = q.receive(b);
            assertEquals("0123456789", text(b, r));
            assertEquals(3, r.priority());
        }
    }

    @Test
    void closeWakesABlockedReceiverAndInterruptEndsIt() throws Exception {
        MessageQueue q = Ipc.openQueue("mq:" + name() + "?create&capacity=2&maxMessageSize=64");
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                q.receive(ByteBuffer.allocate(64));
                closed.complete(null);
            } catch (Throwable e) {
                closed.complete(e);
            }
        });
        t.start();
        awaitBlocked(t);
        q.close();
        assertTrue(closed.get(5, TimeUnit.SECONDS) instanceof AsynchronousCloseException);
        assertThrows(ClosedChannelException.class, () -> q.receive(ByteBuffer.allocate(64)));

        try (MessageQueue q2 = Ipc.openQueue("mq:" + names.get(0))) {
            CompletableFuture<Throwable> interrupted = new CompletableFuture<>();
            Thread t2 = new Thread(() -> {
                try {
                    q2.receive(ByteBuffer.allocate(64));
                    interrupted.complete(null);
                } catch (Throwable e) {
                    interrupted.complete(e);
                }
            });
            t2.start();
            awaitBlocked(t2);
            t2.interrupt();
            Throwable e = interrupted.get(5, TimeUnit.SECONDS);
            assertTrue(e instanceof InterruptedIOException && !(e instanceof IpcTimeoutException), String.valueOf(e));
            assertTrue(q2.isOpen());
        }
    }

    /** Waits until {@code t} is parked or inside a blocking native wait (poll, read, sem_timedwait, semtimedop, mq_*). */
    static void awaitBlocked(Thread t) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!blocked(t)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("thread never blocked: " + t.getState());
            }
            Thread.onSpinWait();
        }
    }

    /** The native call {@code t} is in (the HotCalls or LibC method), or null. */
    static String nativeCall(Thread t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("org.ipc4j.")) {
                return frame.getClassName().endsWith("internal.LibC") || hotCall(frame) ? frame.getMethodName() : null;
            }
        }
        return null;
    }

    private static boolean blocked(Thread t) {
        Thread.State s = t.getState();
        if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
            return true;
        }
        // the first frame of ours: a JNA call (LibC), a JNI call (JniCalls) or a foreign call (HotCalls, under the JDK's own frames)
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("org.ipc4j.")) {
                return frame.getClassName().endsWith("internal.LibC")
                        && List.of("poll", "read", "sem_timedwait", "semtimedop", "mq_timedreceive", "mq_timedsend")
                                .contains(frame.getMethodName())
                        || hotCall(frame) && List.of("poll", "read", "mqTimedReceive", "mqTimedSend").contains(frame.getMethodName());
            }
        }
        return false;
    }

    /** A frame of a message-path call made through JNI or foreign calls. */
    private static boolean hotCall(StackTraceElement frame) {
        return frame.getClassName().endsWith("internal.HotCalls") || frame.getClassName().endsWith("internal.JniCalls");
    }

    @Test
    void badInputIsRefusedWithTypedExceptionsNamingTheObject() throws Exception {
        InvalidAddressException slash = assertThrows(InvalidAddressException.class, () -> Ipc.openQueue("mq:/a/b?create"));
        assertTrue(slash.getMessage().contains("second '/'"), slash.getMessage());
        InvalidAddressException nul = assertThrows(InvalidAddressException.class, () -> Ipc.openQueue("mq:/a\0b?create"));
        assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
        InvalidAddressException longName = assertThrows(InvalidAddressException.class,
                () -> Ipc.openQueue("mq:/" + "x".repeat(256) + "?create"));
        assertTrue(longName.getMessage().contains("255"), longName.getMessage());
        String n = name();
        InvalidAddressException zero = assertThrows(InvalidAddressException.class,
                () -> Ipc.openQueue("mq:" + n + "?create&capacity=0"));
        assertTrue(zero.getMessage().contains("capacity") && zero.getMessage().contains(n), zero.getMessage());
        InvalidAddressException negative = assertThrows(InvalidAddressException.class,
                () -> Ipc.openQueue("mq:" + n + "?create&maxMessageSize=-5"));
        assertTrue(negative.getMessage().contains("maxMessageSize"), negative.getMessage());
        InvalidAddressException unknown = assertThrows(InvalidAddressException.class,
                () -> Ipc.openQueue("mq:" + n + "?create&colour=red"));
        assertTrue(unknown.getMessage().contains("capacity, create"), unknown.getMessage());

        ResourceLimitException over = assertThrows(ResourceLimitException.class,
                () -> Ipc.openQueue("mq:" + n + "?create&capacity=100000"));
        assertTrue(over.getMessage().contains("/proc/sys/fs/mqueue/msg_max"), over.getMessage());
        ResourceLimitException overSize = assertThrows(ResourceLimitException.class,
                () -> Ipc.openQueue("mq:" + n + "?create&maxMessageSize=10MiB"));
        assertTrue(overSize.getMessage().contains("/proc/sys/fs/mqueue/msgsize_max"), overSize.getMessage());

        ObjectNotFoundException missing = assertThrows(ObjectNotFoundException.class, () -> Ipc.openQueue("mq:" + n));
        assertTrue(missing.getMessage().contains("mq_open(" + n + ")") && missing.getMessage().contains("ENOENT")
                && missing.getMessage().contains("create"), missing.getMessage());
        try (MessageQueue q = Ipc.openQueue("mq:" + n + "?create&capacity=2&maxMessageSize=8")) {
            ObjectExistsException exists = assertThrows(ObjectExistsException.class,
                    () -> Ipc.openQueue("mq:" + n + "?exclusive"));
            assertTrue(exists.getMessage().contains("EEXIST") && exists.getMessage().contains(n), exists.getMessage());
            MessageTooLargeException big = assertThrows(MessageTooLargeException.class, () -> q.send(text("123456789")));
            assertTrue(big.getMessage().contains("size=9") && big.getMessage().contains("maxMessageSize=8"), big.getMessage());
            IllegalArgumentException prio = assertThrows(IllegalArgumentException.class, () -> q.send(text("x"), q.maxPriority() + 1));
            assertTrue(prio.getMessage().contains("0 to " + q.maxPriority()), prio.getMessage());
            assertThrows(IllegalArgumentException.class, () -> q.send(text("x"), -1));
            assertEquals(0, q.size());
        }
    }

    @Test
    void unlinkTwiceSaysItWasRemoved() throws Exception {
        String n = name();
        try (MessageQueue q = Ipc.openQueue("mq:" + n + "?create")) {
            q.unlink();
            ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, q::unlink);
            assertTrue(e.getMessage().contains("mq_unlink(" + n + ")"), e.getMessage());
        }
    }

    @Test
    void peerJvmReceivesWhatWeSendAndAnswers() throws Exception {
        String n = name();
        try (MessageQueue q = Ipc.openQueue("mq:" + n + "?create&capacity=10&maxMessageSize=256");
             MessageQueue replies = Ipc.openQueue("mq:" + name() + "?create&capacity=10&maxMessageSize=256");
             PeerJvm peer = PeerJvm.builder(Peers.QueueEcho.class).args("mq:" + n, replies.address().split("\\?")[0], "3").start()) {
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            q.send(text("one"), 2);
            q.send(text("two"), 5);
            q.send(text("three"), 0);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ByteBuffer b = ByteBuffer.allocate(256);
                Received r = replies.receive(b, TestSupport.PEER_TIMEOUT);
                got.add(text(b, r) + "@" + r.priority());
            }
            got.sort(null);
            assertEquals(List.of("one@2", "three@0", "two@5"), got);
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
        }
    }

    @Test
    void peerKilledWhileBlockedInReceiveLosesNoMessage() throws Exception {
        String n = name();
        try (MessageQueue q = Ipc.openQueue("mq:" + n + "?create&capacity=10&maxMessageSize=64")) {
            try (PeerJvm peer = PeerJvm.builder(Peers.QueueBlockedReceiver.class).args("mq:" + n).start()) {
                peer.awaitReady(TestSupport.PEER_TIMEOUT);
                peer.awaitLineStartingWith("RECEIVING", TestSupport.PEER_TIMEOUT);
                peer.kill();
            }
            q.send(text("after"), 1);
            ByteBuffer b = ByteBuffer.allocate(64);
            Received r = q.receive(b, Duration.ofSeconds(5));
            assertEquals("after", text(b, r));
            assertEquals(0, q.size());
        }
    }

    @Test
    void cPeerSendsMixedPrioritiesAndJavaReceivesInPriorityOrder() throws Exception {
        String n = name();
        var binary = TestSupport.compileC("mq_peer");
        try (MessageQueue q = Ipc.openQueue("mq:" + n + "?create&capacity=10&maxMessageSize=64")) {
            try (PeerProcess c = PeerProcess.start("mq_peer", List.of(binary.toString(), "send", n))) {
                assertEquals(0, c.awaitExit(TestSupport.PEER_TIMEOUT), String.join("\n", c.output()));
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ByteBuffer b = ByteBuffer.allocate(64);
                Received r = q.receive(b, Duration.ofSeconds(5));
                got.add(text(b, r) + "@" + r.priority());
            }
            assertEquals(List.of("c-urgent@9", "c-first@3", "c-second@3", "c-last@0"), got);

            q.send(text("j-low"), 1);
            q.send(text("j-top"), 20);
            q.send(text("j-mid"), 5);
            try (PeerProcess c = PeerProcess.start("mq_peer", List.of(binary.toString(), "receive", n, "3"))) {
                assertEquals(0, c.awaitExit(TestSupport.PEER_TIMEOUT), String.join("\n", c.output()));
                assertEquals(List.of("j-top@20", "j-mid@5", "j-low@1"), c.output());
            }
        }
    }

    @Test
    void sameBytesArriveFromDirectAndHeapBuffers() throws Exception {
        try (MessageQueue q = Ipc.openQueue("mq:" + name() + "?create&capacity=4&maxMessageSize=32")) {
            ByteBuffer direct = ByteBuffer.allocateDirect(32);
            direct.put(new byte[] {1, 2, 3}).flip();
            q.send(direct);
            assertEquals(direct.limit(), direct.position());
            ByteBuffer dst = ByteBuffer.allocateDirect(32);
            assertEquals(3, q.receive(dst).length());
            byte[] got = new byte[3];
            dst.flip().get(got);
            assertArrayEquals(new byte[] {1, 2, 3}, got);
        }
    }
}
