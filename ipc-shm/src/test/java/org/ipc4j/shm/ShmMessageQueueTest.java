package org.ipc4j.shm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Received;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.ThreadPerTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 150, unit = java.util.concurrent.TimeUnit.SECONDS)
class ShmMessageQueueTest {
    private static final Duration T = Duration.ofSeconds(60);
    private final String name = Names.unique("queue");

    @AfterEach
    void cleanUp() {
        Names.delete(name);
    }

    private MessageQueue open(String query) throws Exception {
        return Ipc.openQueue("shm:/" + name + "?create" + query);
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String receiveText(MessageQueue q, Duration timeout) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(q.maxMessageSize());
        Received r = q.receive(b, timeout);
        assertEquals(0, r.priority());
        return new String(b.array(), 0, r.length(), StandardCharsets.UTF_8);
    }

    @Test
    void fifoFullEmptyAndTimeouts() throws Exception {
        try (MessageQueue q = open("&capacity=3&maxMessageSize=16"); MessageQueue other = Ipc.openQueue("shm:/" + name)) {
            assertEquals(3, other.capacity());
            assertEquals(16, other.maxMessageSize());
            assertEquals(0, q.maxPriority());
            assertTrue(q.tryReceive(ByteBuffer.allocate(16)).isEmpty());
            assertThrows(IpcTimeoutException.class, () -> q.receive(ByteBuffer.allocate(16), Duration.ofMillis(50)));
            for (int round = 0; round < 100; round++) {
                q.send(text("a" + round));
                assertTrue(q.trySend(text("b" + round), 0));
                other.send(text("c" + round), 0, T);
                assertEquals(3, q.size());
                assertFalse(q.trySend(text("d"), 0));
                IpcTimeoutException full = assertThrows(IpcTimeoutException.class,
                        () -> q.send(text("d"), 0, Duration.ofMillis(20)));
                assertTrue(full.getMessage().contains(name));
                assertEquals("a" + round, receiveText(other, T));
                assertEquals("b" + round, receiveText(q, T));
                assertEquals("c" + round, receiveText(other, T));
                assertEquals(0, q.size());
            }
        }
    }

    @Test
    void badInputIsRefusedWithTheValues() throws Exception {
        try (MessageQueue q = open("&capacity=4&maxMessageSize=8")) {
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> q.send(text("x"), 1));
            assertTrue(p.getMessage().contains("priority=1") && p.getMessage().contains("maxPriority=0"), p.getMessage());
            MessageTooLargeException big = assertThrows(MessageTooLargeException.class, () -> q.send(text("123456789")));
            assertTrue(big.getMessage().contains("size=9") && big.getMessage().contains("8"), big.getMessage());
            q.send(text("12345678"));
            MessageTooLargeException small = assertThrows(MessageTooLargeException.class,
                    () -> q.receive(ByteBuffer.allocate(4)));
            assertFalse(small.discarded());
            assertEquals("12345678", receiveText(q, T));
            IpcProtocolException mismatch = assertThrows(IpcProtocolException.class,
                    () -> Ipc.openQueue("shm:/" + name + "?capacity=5"));
            assertTrue(mismatch.getMessage().contains("capacity=4") && mismatch.getMessage().contains("capacity=5"),
                    mismatch.getMessage());
            assertThrows(IpcProtocolException.class, () -> Ipc.openRegion("shm:/" + name));
            q.unlink();
            assertThrows(ObjectNotFoundException.class, q::unlink);
        }
        assertThrows(InvalidAddressException.class, () -> open("&capacity=0"));
        assertThrows(InvalidAddressException.class, () -> open("&maxMessageSize=0"));
        assertThrows(InvalidAddressException.class, () -> open("&unblockTimeout=0s"));
        assertThrows(InvalidAddressException.class, () -> open("&priority=3"));
        assertThrows(ObjectNotFoundException.class, () -> Ipc.openQueue("shm:/" + name));
    }

    @Test
    void closedHandleRefusesAndBlockedReceiveEnds() throws Exception {
        MessageQueue q = open("&capacity=4&maxMessageSize=8");
        try {
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    q.receive(ByteBuffer.allocate(8));
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            }, ThreadPerTaskExecutor.INSTANCE);
            q.close();
            assertInstanceOf(ClosedChannelException.class, blocked.get(60, TimeUnit.SECONDS));
            assertThrows(ClosedChannelException.class, () -> q.send(text("x")));
            assertThrows(ClosedChannelException.class, q::size);
            q.close();
        } finally {
            q.close();
        }
    }

    @Test
    void threadsOfOneJvmShareWithoutLossOrDuplicates() throws Exception {
        try (MessageQueue q = open("&capacity=8&maxMessageSize=8")) {
            int perProducer = 50_000;
            ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                long producer = p;
                all.add(CompletableFuture.runAsync(() -> {
                    try (MessageQueue mine = Ipc.openQueue("shm:/" + name)) {
                        for (long i = 0; i < perProducer; i++) {
                            mine.send(ByteBuffer.allocate(8).putLong(0, producer * perProducer + i));
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, ThreadPerTaskExecutor.INSTANCE));
            }
            for (int c = 0; c < 2; c++) {
                all.add(CompletableFuture.runAsync(() -> {
                    try (MessageQueue mine = Ipc.openQueue("shm:/" + name)) {
                        ByteBuffer b = ByteBuffer.allocate(8);
                        for (int i = 0; i < perProducer; i++) {
                            b.clear();
                            mine.receive(b, T);
                            assertNull(seen.put(b.getLong(0), true));
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, ThreadPerTaskExecutor.INSTANCE));
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
            assertEquals(2 * perProducer, seen.size());
            assertEquals(0, ((ShmMessageQueue) q).lostClaims());
        }
    }

    @Test
    void claimOfAKilledProducerIsTurnedIntoPaddingAndCounted() throws Exception {
        try (ShmMessageQueue q = (ShmMessageQueue) open("&capacity=4&maxMessageSize=16");
                PeerJvm peer = Peers.of(org.ipc4j.shm.internal.ClaimPeer.class, "shm:/" + name).start()) {
            peer.awaitLineStartingWith("CLAIMED 0", T);
            q.send(text("after"));
            assertThrows(IpcTimeoutException.class, () -> q.receive(ByteBuffer.allocate(16), Duration.ofMillis(50)));
            peer.kill();
            assertEquals("after", receiveText(q, T));
            assertEquals(1, q.lostClaims());
            for (int i = 0; i < 20; i++) {   // the dead claim's slot is reused
                q.send(text("m" + i));
                assertEquals("m" + i, receiveText(q, T));
            }
        }
    }

    @Test
    void messageOfAConsumerKilledWhileReadingIsCountedAndItsSlotReused() throws Exception {
        try (ShmMessageQueue q = (ShmMessageQueue) open("&capacity=2&maxMessageSize=16")) {
            q.send(text("a"));
            q.send(text("b"));
            try (PeerJvm peer = Peers.of(org.ipc4j.shm.internal.ClaimPeer.class, "shm:/" + name, "read").start()) {
                peer.awaitLineStartingWith("READING 0", T);
                peer.kill();
            }
            q.send(text("c"), 0, T);   // the dead reader's slot is freed for it
            assertEquals(1, q.lostClaims());
            assertEquals("b", receiveText(q, T));
            assertEquals("c", receiveText(q, T));
        }
    }

    @Test
    void stalledProducerLosesItsClaimAfterUnblockTimeoutAndResendsWhenItResumes() throws Exception {
        try (ShmMessageQueue q = (ShmMessageQueue) open("&capacity=3&maxMessageSize=16&unblockTimeout=300ms");
                PeerJvm peer = Peers.of(org.ipc4j.shm.internal.ClaimPeer.class, "shm:/" + name).start()) {
            peer.awaitLineStartingWith("CLAIMED 0", T);
            q.send(text("after"));
            assertEquals("after", receiveText(q, T));   // the stalled claim was revoked
            assertEquals(1, q.lostClaims());
            for (int i = 0; i < 20; i++) {   // the quarantined slot is skipped lap after lap
                q.send(text("m" + i));
                q.send(text("n" + i));
                assertEquals("m" + i, receiveText(q, T));
                assertEquals("n" + i, receiveText(q, T));
            }
            peer.sendLine("finish");
            peer.awaitLineStartingWith("PUBLISHED false", T);
            assertEquals("late", receiveText(q, T));
            peer.assertExit(0, T);
            for (int i = 0; i < 20; i++) {   // and is usable again once its owner let it go
                q.send(text("k" + i));
                assertEquals("k" + i, receiveText(q, T));
            }
            assertEquals(1, q.lostClaims());
        }
    }

    @Test
    void producerKilledAtRandomPointsNeverDeliversAHalfWrittenMessage() throws Exception {
        Random random = new Random();
        String address = "shm:/" + name + "?create&capacity=16&maxMessageSize=256";
        try (ShmMessageQueue q = (ShmMessageQueue) Ipc.openQueue(address)) {
            ByteBuffer b = ByteBuffer.allocate(256);
            for (int round = 0; round < 5; round++) {
                try (PeerJvm peer = Peers.of(QueueProducerPeer.class, address, String.valueOf(round), "-1", "0")
                        .name("producer-" + round).start()) {
                    peer.awaitReady(T);
                    long killAt = 1 + random.nextInt(30_000);
                    long expected = 0;
                    while (true) {
                        if (expected == killAt) {
                            peer.kill();
                        }
                        b.clear();
                        try {
                            q.receive(b, expected >= killAt ? Duration.ofSeconds(1) : T);
                        } catch (IpcTimeoutException e) {
                            break;
                        }
                        b.flip();
                        assertEquals(round, b.getLong());
                        assertEquals(expected, ChannelSourcePeer.check(b.slice()), "round " + round);
                        expected++;
                    }
                    assertTrue(expected >= killAt);
                }
                assertTrue(q.lostClaims() <= round + 1, "lostClaims=" + q.lostClaims());
                q.send(text("still works"));
                assertEquals("still works", receiveText(q, T));
            }
        }
    }

    @Test
    void twoProducerAndTwoConsumerJvmsMoveAMillionMessagesWithChecksums() throws Exception {
        String address = "shm:/" + name + "?create&capacity=1024&maxMessageSize=64";
        int perProducer = 500_000;
        try (MessageQueue q = Ipc.openQueue(address);
                PeerJvm c1 = Peers.of(QueueConsumerPeer.class, address, "2").name("consumer-1").start();
                PeerJvm c2 = Peers.of(QueueConsumerPeer.class, address, "2").name("consumer-2").start();
                PeerJvm p1 = Peers.of(QueueProducerPeer.class, address, "1", String.valueOf(perProducer), "2")
                        .name("producer-1").start();
                PeerJvm p2 = Peers.of(QueueProducerPeer.class, address, "2", String.valueOf(perProducer), "2")
                        .name("producer-2").start()) {
            long count = 0;
            long sum = 0;
            long squares = 0;
            for (PeerJvm c : List.of(c1, c2)) {
                String[] got = c.awaitLineStartingWith("GOT ", Duration.ofSeconds(150)).split(" ");
                count += Long.parseLong(got[1]);
                sum += Long.parseLong(got[2]);
                squares += Long.parseLong(got[3]);
            }
            long expectedSum = 0;
            long expectedSquares = 0;
            for (long p = 1; p <= 2; p++) {
                for (long s = 0; s < perProducer; s++) {
                    long id = p * 1_000_000_000L + s;
                    expectedSum += id;
                    expectedSquares += id * id;
                }
            }
            assertEquals(2L * perProducer, count);
            assertEquals(expectedSum, sum);
            assertEquals(expectedSquares, squares);
            for (PeerJvm p : List.of(p1, p2, c1, c2)) {
                p.assertExit(0, T);
            }
            assertEquals(0, q.size());
        }
    }
}
