package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
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
import org.ipc4j.ObjectRemovedException;
import org.ipc4j.Received;
import org.ipc4j.ResourceLimitException;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SysvMessageQueueTest {
    private final List<MessageQueue> cleanup = new ArrayList<>();
    private int nextKey = (int) (0x1D000000 + (ProcessHandle.current().pid() & 0xFFFF) * 64);

    private MessageQueue open(String query) throws Exception {
        MessageQueue q = Ipc.openQueue("sysvmq:" + (nextKey++) + "?create" + query);
        cleanup.add(q);
        return q;
    }

    @AfterEach
    void remove() {
        for (MessageQueue q : cleanup) {
            try {
                q.unlink();
            } catch (Exception e) {
                // removed by the test
            }
            try {
                q.close();
            } catch (Exception e) {
                // ignore
            }
        }
    }

    @Test
    void typeMapsToPriorityHighestFirst() throws Exception {
        MessageQueue q = open("&maxMessageSize=64");
        assertEquals(31, q.maxPriority());
        q.send(PosixMessageQueueTest.text("a0"), 0);
        q.send(PosixMessageQueueTest.text("b31"), 31);
        q.send(PosixMessageQueueTest.text("c5"), 5);
        q.send(PosixMessageQueueTest.text("d5"), 5);
        assertEquals(4, q.size());
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ByteBuffer b = ByteBuffer.allocate(64);
            Received r = q.receive(b);
            got.add(PosixMessageQueueTest.text(b, r) + "@" + r.priority());
        }
        assertEquals(List.of("b31@31", "c5@5", "d5@5", "a0@0"), got);
        assertTrue(q.tryReceive(ByteBuffer.allocate(64)).isEmpty());
        assertThrows(IpcTimeoutException.class, () -> q.receive(ByteBuffer.allocate(64), Duration.ofMillis(30)));
    }

    @Test
    void smallBufferIsAnErrorNotATruncation() throws Exception {
        MessageQueue q = open("&maxMessageSize=64");
        q.send(PosixMessageQueueTest.text("0123456789"), 1);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> q.receive(ByteBuffer.allocate(3)));
        assertFalse(e.discarded());
        ByteBuffer b = ByteBuffer.allocate(64);
        assertEquals(10, q.receive(b).length());
        assertThrows(MessageTooLargeException.class, () -> q.send(ByteBuffer.allocate(65)));
        assertThrows(IllegalArgumentException.class, () -> q.send(ByteBuffer.allocate(1), 32));
    }

    @Test
    void removalWakesABlockedReceiverWithRemoved() throws Exception {
        MessageQueue q = open("");
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                q.receive(ByteBuffer.allocate(q.maxMessageSize()));
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        });
        t.start();
        PosixMessageQueueTest.awaitBlocked(t);
        q.unlink();
        Throwable e = result.get(5, TimeUnit.SECONDS);
        assertTrue(e instanceof ObjectRemovedException, String.valueOf(e));
        assertTrue(e.getMessage().contains("removed"), e.getMessage());
        assertThrows(ObjectNotFoundException.class, q::unlink);
    }

    @Test
    void closeWakesABlockedReceiver() throws Exception {
        MessageQueue q = open("");
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                q.receive(ByteBuffer.allocate(q.maxMessageSize()));
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        });
        t.start();
        PosixMessageQueueTest.awaitBlocked(t);
        q.close();
        assertTrue(result.get(5, TimeUnit.SECONDS) instanceof AsynchronousCloseException);
    }

    @Test
    void peerJvmEchoesWithPriorities() throws Exception {
        MessageQueue in = open("&maxMessageSize=128");
        MessageQueue out = open("&maxMessageSize=128");
        String inAddress = in.address().substring(0, in.address().indexOf('?'));
        String outAddress = out.address().substring(0, out.address().indexOf('?'));
        try (PeerJvm peer = PeerJvm.builder(Peers.QueueEcho.class).args(inAddress, outAddress, "2").start()) {
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            in.send(PosixMessageQueueTest.text("x"), 9);
            in.send(PosixMessageQueueTest.text("y"), 0);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ByteBuffer b = ByteBuffer.allocate(128);
                Received r = out.receive(b, TestSupport.PEER_TIMEOUT);
                got.add(PosixMessageQueueTest.text(b, r) + "@" + r.priority());
            }
            got.sort(null);
            assertEquals(List.of("x@9", "y@0"), got);
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
        }
    }

    @Test
    void pathKeysGoThroughFtok() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile(TestSupport.dir("ftok"), "key", ".id");
        try (MessageQueue a = Ipc.openQueue("sysvmq:" + file + "?create&project=7&maxMessageSize=16");
             MessageQueue b = Ipc.openQueue("sysvmq:" + file + "?project=7&maxMessageSize=16")) {
            cleanup.add(a);
            a.send(PosixMessageQueueTest.text("via ftok"), 2);
            ByteBuffer buffer = ByteBuffer.allocate(16);
            Received r = b.receive(buffer, Duration.ofSeconds(5));
            assertEquals("via ftok@2", PosixMessageQueueTest.text(buffer, r) + "@" + r.priority());
        }
    }

    @Test
    void badInputIsRefused() throws Exception {
        MessageQueue q = open("");
        String key = q.address().substring("sysvmq:".length(), q.address().indexOf('?'));
        ObjectExistsException exists = assertThrows(ObjectExistsException.class, () -> Ipc.openQueue("sysvmq:" + key + "?exclusive"));
        assertTrue(exists.getMessage().contains("msgget(" + key + ")"), exists.getMessage());
        ObjectNotFoundException missing = assertThrows(ObjectNotFoundException.class,
                () -> Ipc.openQueue("sysvmq:" + (nextKey + 1000)));
        assertTrue(missing.getMessage().contains("ENOENT"), missing.getMessage());
        ResourceLimitException big = assertThrows(ResourceLimitException.class,
                () -> Ipc.openQueue("sysvmq:" + key + "?maxMessageSize=1MiB"));
        assertTrue(big.getMessage().contains("/proc/sys/kernel/msgmax"), big.getMessage());
        InvalidAddressException zero = assertThrows(InvalidAddressException.class,
                () -> Ipc.openQueue("sysvmq:" + key + "?maxMessageSize=0"));
        assertTrue(zero.getMessage().contains("maxMessageSize"), zero.getMessage());
        assertThrows(InvalidAddressException.class, () -> Ipc.openQueue("sysvmq:0?create"));
    }
}
