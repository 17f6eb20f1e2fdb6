package org.ipc4j.testkit.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.ipc4j.Ipc;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.ObjectRemovedException;
import org.ipc4j.Received;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerReaper;
import org.ipc4j.testkit.peer.QueueConsumerPeer;
import org.ipc4j.testkit.peer.QueueProducerPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Behaviour every {@link org.ipc4j.MessageQueue} backend must show, in-process and against a peer JVM.
 * Extend it and implement {@link #queueAddress(String, int, int)}.
 *
 * <p>Every queue a case creates is unlinked after it. Cases that need a second process are skipped
 * (with the reason) when {@link #crossProcess()} is false; cases on priorities are skipped when the
 * backend has none ({@code maxPriority() == 0}). Capacities stay at or below 10 (the default POSIX
 * {@code msg_max}) and message sizes at or below 4096. The full-queue cases fill the queue with
 * {@code capacity()} messages of {@code maxMessageSize()} bytes, so a queue limited in bytes (SysV
 * {@code msg_qbytes}) is full there too.
 */
@ExtendWith(PeerReaper.class)
public abstract class MessageQueueContract {
    /** How long a step that should succeed may take on a loaded machine. */
    protected static final Duration PATIENCE = Duration.ofSeconds(20);
    /** How long a peer JVM may take to start and print READY. */
    protected static final Duration STARTUP = Duration.ofSeconds(60);
    /** The timeout given to timed operations that are expected to time out. */
    protected static final Duration SHORT = Duration.ofMillis(300);
    /** How early a timed operation may give up (clock granularity). */
    private static final Duration EARLY = Duration.ofMillis(20);
    /** How late a timed operation may give up on a loaded machine. */
    private static final Duration LATE = Duration.ofSeconds(3);

    private static final int SMALL = QueueProducerPeer.MAX_PAYLOAD;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final List<String> created = new ArrayList<>();

    /** For subclasses: one per backend under test. */
    protected MessageQueueContract() {
    }

    /**
     * The address of a fresh queue, with {@code create} so that whichever side opens first creates it.
     *
     * @param uniqueName unique per test and run; letters, digits and '-'
     * @param capacity the number of messages the queue must hold
     * @param maxMessageSize the largest message in bytes
     */
    protected abstract String queueAddress(String uniqueName, int capacity, int maxMessageSize);

    /** False if the queue cannot be shared with another process (the {@code inproc:} backend). */
    protected boolean crossProcess() {
        return true;
    }

    /**
     * True if handles opened before {@link MessageQueue#unlink()} keep working after it, as the API
     * documents (POSIX {@code mq_unlink}, shared memory). A backend whose unlink destroys the object at
     * once (SysV {@code IPC_RMID}) returns false and documents it; the contract then checks instead that
     * open handles report {@link ObjectRemovedException}.
     */
    protected boolean unlinkKeepsOpenHandlesWorking() {
        return true;
    }

    /**
     * The same address without {@code create} (and {@code exclusive}), to open the queue only if it
     * exists. The default removes those keys from the query; override if the backend's addresses differ.
     */
    protected String withoutCreate(String address) {
        return CreateKeys.strip(address);
    }

    /** Opens a queue; the default goes through {@link Ipc#openQueue(String)}. */
    protected MessageQueue open(String address) throws IOException {
        return Ipc.openQueue(address);
    }

    /** A fresh queue address that is unlinked after the test. */
    protected final String newQueue(int capacity, int maxMessageSize) {
        String address = queueAddress("q" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet(),
                capacity, maxMessageSize);
        created.add(address);
        return address;
    }

    @AfterEach
    void unlinkCreatedQueues() {
        for (String address : created) {
            try (MessageQueue q = open(address)) {
                q.unlink();
            } catch (IOException | RuntimeException e) {
                // already removed by the test, or never created
            }
        }
    }

    private static void assumeCrossProcess(boolean crossProcess) {
        assumeTrue(crossProcess, "this backend's queues cannot leave this JVM (crossProcess() is false)");
    }

    // ---------------------------------------------------------------- order and boundaries

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void keepsSendOrderAndMessageBoundaries() throws IOException {
        try (MessageQueue q = open(newQueue(8, SMALL))) {
            List<String> sent = List.of("a", "bb", "", "dddd", "eeeee-eeeee", "f");
            for (String s : sent) {
                q.send(bytes(s));
            }
            assertEquals(sent.size(), q.size(), "size() after " + sent.size() + " sends");
            for (String s : sent) {
                ByteBuffer buf = ByteBuffer.allocate(q.maxMessageSize());
                Received r = q.receive(buf, PATIENCE);
                assertEquals(s.length(), r.length(), "length of message '" + s + "'");
                assertEquals(s.length(), buf.position(), "receive must advance the buffer by the message length");
                assertEquals(0, r.priority(), "priority of message '" + s + "' sent with send(ByteBuffer)");
                assertEquals(s, new String(buf.array(), 0, r.length(), UTF_8), "messages out of order or merged");
            }
            assertEquals(Optional.empty(), q.tryReceive(ByteBuffer.allocate(q.maxMessageSize())),
                    "the queue should be empty after receiving everything sent");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sendConsumesTheBufferAndReceiveWritesAtItsPosition() throws IOException {
        try (MessageQueue q = open(newQueue(8, SMALL))) {
            ByteBuffer src = ByteBuffer.wrap("xxhelloyy".getBytes(UTF_8), 2, 5);
            q.send(src);
            assertEquals(7, src.position(), "send must move the position to the limit");
            ByteBuffer dst = ByteBuffer.allocate(SMALL + 3);
            dst.position(3);
            Received r = q.receive(dst, PATIENCE);
            assertEquals(5, r.length());
            assertEquals(8, dst.position(), "receive must write at the position and advance it");
            assertEquals("hello", new String(dst.array(), 3, 5, UTF_8));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void peerReceivesInSendOrderWithBoundaries() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newQueue(8, SMALL);
        List<byte[]> sent = List.of(new byte[0], "one".getBytes(UTF_8), "two-two".getBytes(UTF_8), new byte[SMALL],
                "three".getBytes(UTF_8));
        try (MessageQueue q = open(address)) {
            for (byte[] m : sent) {
                q.send(ByteBuffer.wrap(m));
            }
            try (PeerJvm peer = PeerJvm.builder(QueueConsumerPeer.class).args(address, String.valueOf(sent.size())).start()) {
                peer.awaitReady(STARTUP);
                peer.awaitLineStartingWith("RECEIVED ", PATIENCE);
                peer.assertExit(0, PATIENCE);
                List<String> got = peer.output().stream().filter(l -> l.startsWith("GOT ")).collect(Collectors.toList());
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < sent.size(); i++) {
                    expected.add(QueueConsumerPeer.gotLine(i, sent.get(i), 0));
                }
                assertEquals(expected, got, "the peer must receive every message, in order, with its exact length");
            }
            assertEquals(0, q.size(), "the peer consumed everything");
        }
    }

    // ---------------------------------------------------------------- priorities

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void priorityOutOfRangeIsRefusedNamingTheRange() throws IOException {
        try (MessageQueue q = open(newQueue(8, SMALL))) {
            int max = q.maxPriority();
            assertTrue(max >= 0, "maxPriority() must not be negative: " + max);
            for (int bad : new int[] {max + 1, -1}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> q.send(bytes("x"), bad), "send with priority " + bad + " when maxPriority()=" + max);
                assertMessageNames(e, String.valueOf(bad), String.valueOf(max));
                assertThrows(IllegalArgumentException.class, () -> q.trySend(bytes("x"), bad),
                        "trySend with priority " + bad);
                assertThrows(IllegalArgumentException.class, () -> q.send(bytes("x"), bad, SHORT),
                        "timed send with priority " + bad);
            }
            assertEquals(0, q.size(), "a refused send must send nothing");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void higherPriorityIsReceivedFirstThenSendOrder() throws IOException {
        try (MessageQueue q = open(newQueue(8, SMALL))) {
            int max = q.maxPriority();
            assumeTrue(max > 0, "this backend has no priorities (maxPriority() == 0)");
            List<Object[]> sent = prioritised(max);
            for (Object[] m : sent) {
                q.send(bytes((String) m[0]), (Integer) m[1]);
            }
            for (Object[] m : byPriority(sent)) {
                ByteBuffer buf = ByteBuffer.allocate(q.maxMessageSize());
                Received r = q.receive(buf, PATIENCE);
                assertEquals(m[0] + "@" + m[1], new String(buf.array(), 0, r.length(), UTF_8) + "@" + r.priority(),
                        "the oldest message of the highest priority must come first; sent (text, priority): "
                                + describe(sent));
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void peerReceivesByPriorityThenSendOrder() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newQueue(8, SMALL);
        try (MessageQueue q = open(address)) {
            int max = q.maxPriority();
            assumeTrue(max > 0, "this backend has no priorities (maxPriority() == 0)");
            List<Object[]> sent = prioritised(max);
            for (Object[] m : sent) {
                q.send(bytes((String) m[0]), (Integer) m[1]);
            }
            try (PeerJvm peer = PeerJvm.builder(QueueConsumerPeer.class).args(address, String.valueOf(sent.size())).start()) {
                peer.awaitReady(STARTUP);
                peer.assertExit(0, PATIENCE);
                List<String> got = peer.output().stream().filter(l -> l.startsWith("GOT ")).collect(Collectors.toList());
                List<String> expected = new ArrayList<>();
                List<Object[]> order = byPriority(sent);
                for (int i = 0; i < order.size(); i++) {
                    expected.add(QueueConsumerPeer.gotLine(i, ((String) order.get(i)[0]).getBytes(UTF_8),
                            (Integer) order.get(i)[1]));
                }
                assertEquals(expected, got, "the peer must receive the highest priority first, then in send order; sent: "
                        + describe(sent));
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withoutPrioritiesPriorityOneIsRefused() throws IOException {
        try (MessageQueue q = open(newQueue(8, SMALL))) {
            assumeTrue(q.maxPriority() == 0, "this backend has priorities up to " + q.maxPriority()
                    + "; priorityOutOfRangeIsRefusedNamingTheRange covers the range");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.send(bytes("x"), 1),
                    "send with priority 1 on a queue without priorities");
            assertMessageNames(e, "1", "0");
            assertEquals(0, q.size(), "a refused send must send nothing");
        }
    }

    private static List<Object[]> prioritised(int max) {
        int mid = Math.max(1, max / 2);
        return List.of(new Object[] {"p0-first", 0}, new Object[] {"max-first", max}, new Object[] {"p0-second", 0},
                new Object[] {"mid-first", mid}, new Object[] {"max-second", max}, new Object[] {"mid-second", mid},
                new Object[] {"p0-third", 0});
    }

    private static List<Object[]> byPriority(List<Object[]> sent) {
        List<Object[]> order = new ArrayList<>(sent);
        order.sort(Comparator.comparing((Object[] m) -> (Integer) m[1]).reversed()); // stable: send order kept
        return order;
    }

    private static String describe(List<Object[]> sent) {
        return sent.stream().map(m -> m[0] + "@" + m[1]).collect(Collectors.joining(", "));
    }

    // ---------------------------------------------------------------- sizes

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void emptyAndMaximumSizeMessagesArriveIntact() throws IOException {
        try (MessageQueue q = open(newQueue(4, 4096))) {
            int max = q.maxMessageSize();
            assertTrue(max >= 4096, "maxMessageSize() " + max + " is below the 4096 asked for");
            byte[] big = pattern(max, 7);
            q.send(ByteBuffer.allocate(0));
            q.send(ByteBuffer.wrap(big));
            q.send(ByteBuffer.allocate(0));
            ByteBuffer buf = ByteBuffer.allocate(max);
            assertEquals(0, q.receive(buf, PATIENCE).length(), "an empty message must arrive as an empty message");
            assertEquals(0, buf.position());
            Received r = q.receive(buf, PATIENCE);
            assertEquals(max, r.length(), "a message of exactly maxMessageSize()");
            assertArrayEquals(big, buf.array(), "content of the maximum-size message");
            buf.clear();
            assertEquals(0, q.receive(buf, PATIENCE).length(), "an empty message after a big one");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void messageOverMaxMessageSizeIsRefusedAndNothingSent() throws IOException {
        try (MessageQueue q = open(newQueue(4, 256))) {
            int max = q.maxMessageSize();
            ByteBuffer tooBig = ByteBuffer.allocate(max + 1);
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> q.send(tooBig),
                    "send of " + (max + 1) + " bytes with maxMessageSize()=" + max);
            assertMessageNames(e, String.valueOf(max + 1), String.valueOf(max));
            assertEquals(0, tooBig.position(), "a refused send must not consume the buffer");
            assertThrows(MessageTooLargeException.class, () -> q.trySend(tooBig, 0), "trySend over maxMessageSize");
            assertThrows(MessageTooLargeException.class, () -> q.send(tooBig, 0, SHORT), "timed send over maxMessageSize");
            assertEquals(0, q.size(), "nothing may be sent by a refused send");
            q.send(bytes("after"));
            assertEquals("after", receiveString(q), "the queue must stay usable after a refused send");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void receiveBufferTooSmallIsRefusedNamingBothSizes() throws IOException {
        try (MessageQueue q = open(newQueue(4, SMALL))) {
            byte[] message = pattern(32, 3);
            q.send(ByteBuffer.wrap(message));
            q.send(bytes("next"));
            ByteBuffer small = ByteBuffer.allocate(8);
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> q.receive(small, PATIENCE),
                    "receive of a 32-byte message into 8 bytes");
            assertEquals(32, e.size(), "MessageTooLargeException.size() must be the message's size");
            assertEquals(8, e.limit(), "MessageTooLargeException.limit() must be the buffer's remaining space");
            assertMessageNames(e, "32", "8");
            ByteBuffer buf = ByteBuffer.allocate(q.maxMessageSize());
            if (!e.discarded()) {
                assertEquals(0, small.position(), "the buffer must be untouched when the message stays in place");
                Received r = q.receive(buf, PATIENCE);
                assertEquals(32, r.length(), "the message that did not fit must still be first (discarded() is false)");
                assertArrayEquals(message, Arrays.copyOf(buf.array(), 32));
                buf.clear();
            }
            Received r = q.receive(buf, PATIENCE);
            assertEquals("next", new String(buf.array(), 0, r.length(), UTF_8),
                    e.discarded() ? "after a discarded message the next one must follow" : "the second message");
        }
    }

    // ---------------------------------------------------------------- many messages

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void hundredThousandMessagesBetweenThreadsNothingLostOrDuplicated() throws Exception {
        String address = newQueue(10, SMALL);
        int count = 100_000;
        try (MessageQueue producerEnd = open(address); MessageQueue consumerEnd = open(address)) {
            FutureTask<Long> producer = start("queue-producer", () -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(SMALL);
                CRC32 crc = new CRC32();
                for (long seq = 0; seq < count; seq++) {
                    buf.clear();
                    QueueProducerPeer.payload(1, seq, buf);
                    buf.flip();
                    crc.update(buf.duplicate());
                    producerEnd.send(buf);
                }
                return crc.getValue();
            });
            long crc = receiveSequence(consumerEnd, 1, count);
            assertEquals(get(producer), crc, "CRC-32 of everything received against everything sent");
            assertEquals(Optional.empty(), consumerEnd.tryReceive(ByteBuffer.allocate(SMALL)), "nothing beyond what was sent");
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void hundredThousandMessagesFromPeerNothingLostOrDuplicated() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newQueue(10, SMALL);
        int count = 100_000;
        try (MessageQueue q = open(address);
                PeerJvm peer = PeerJvm.builder(QueueProducerPeer.class).args(address, String.valueOf(count), "1").start()) {
            peer.awaitReady(STARTUP);
            peer.sendLine("GO");
            long crc = receiveSequence(q, 1, count);
            String sent = peer.awaitLineStartingWith("SENT ", PATIENCE);
            assertEquals("SENT " + count + " " + crc, sent, "the peer's count and CRC-32 against what arrived here");
            peer.assertExit(0, PATIENCE);
            assertEquals(Optional.empty(), q.tryReceive(ByteBuffer.allocate(SMALL)), "nothing beyond what was sent");
        }
    }

    /** Receives count messages of one producer, checks each, returns the CRC-32 of all. */
    private static long receiveSequence(MessageQueue q, int producer, long count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(q.maxMessageSize());
        CRC32 crc = new CRC32();
        for (long seq = 0; seq < count; seq++) {
            buf.clear();
            Received r;
            try {
                r = q.receive(buf, PATIENCE);
            } catch (IpcTimeoutException e) {
                throw new AssertionError("message " + seq + " of " + count + " never arrived (lost?)", e);
            }
            buf.flip();
            assertEquals(r.length(), buf.remaining(), "Received.length() against the bytes written");
            String problem = QueueProducerPeer.checkPayload(producer, seq, buf);
            if (problem != null) {
                fail("at message " + seq + " of " + count + ": " + problem);
            }
            crc.update(buf);
        }
        return crc.getValue();
    }

    // ---------------------------------------------------------------- full and empty queues, timeouts

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fullQueueRefusesTrySendAndTimesOutTimedSendWithNothingSent() throws IOException {
        try (MessageQueue q = open(newQueue(4, SMALL))) {
            int capacity = q.capacity();
            int size = q.maxMessageSize(); // full-size messages: a queue limited in bytes is full at capacity() too
            assertTrue(capacity >= 4 && capacity <= 10_000, "capacity() " + capacity + " for a queue asked to hold 4");
            for (int i = 0; i < capacity; i++) {
                assertTrue(q.trySend(bytes(fill("m" + i, size)), 0), "trySend " + i + " on a queue of capacity " + capacity);
            }
            assertEquals(capacity, q.size(), "size() of a full queue");
            assertFalse(q.trySend(bytes(fill("over", size)), 0), "trySend on a full queue must return false");
            ByteBuffer over = bytes(fill("over-timed", size));
            long start = System.nanoTime();
            IpcTimeoutException e = assertThrows(IpcTimeoutException.class, () -> q.send(over, 0, SHORT),
                    "timed send on a full queue");
            assertOnTime(start, SHORT, "timed send on a full queue");
            assertEquals(0, over.position(), "a timed-out send must not consume the buffer");
            assertEquals(SHORT, e.timeout(), "IpcTimeoutException.timeout()");
            assertEquals(capacity, q.size(), "nothing may be sent by a refused or timed-out send");
            for (int i = 0; i < capacity; i++) {
                assertEquals(fill("m" + i, size), receiveString(q), "the queue must hold exactly what was accepted");
            }
            assertEquals(Optional.empty(), q.tryReceive(ByteBuffer.allocate(size)),
                    "nothing from a refused or timed-out send may arrive");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void blockedSendProceedsWhenAMessageIsReceived() throws Exception {
        String address = newQueue(2, SMALL);
        try (MessageQueue q = open(address); MessageQueue other = open(address)) {
            int capacity = q.capacity();
            int size = q.maxMessageSize();
            for (int i = 0; i < capacity; i++) {
                q.send(bytes(fill("m" + i, size)));
            }
            FutureTask<Void> sender = start("queue-blocked-sender", () -> {
                other.send(bytes(fill("late", size)));
                return null;
            });
            assertEquals(fill("m0", size), receiveString(q));
            get(sender);
            for (int i = 1; i < capacity; i++) {
                assertEquals(fill("m" + i, size), receiveString(q));
            }
            assertEquals(fill("late", size), receiveString(q), "the blocked send must complete once there is room");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void receiveOnEmptyQueueTimesOutOnTimeWithNothingConsumed() throws IOException {
        try (MessageQueue q = open(newQueue(4, SMALL))) {
            ByteBuffer buf = ByteBuffer.allocate(SMALL);
            long start = System.nanoTime();
            IpcTimeoutException e = assertThrows(IpcTimeoutException.class, () -> q.receive(buf, SHORT),
                    "timed receive on an empty queue");
            assertOnTime(start, SHORT, "timed receive on an empty queue");
            assertEquals(0, buf.position(), "a timed-out receive must not touch the buffer");
            assertFalse(Thread.currentThread().isInterrupted(), "a timeout must not set the interrupt status");
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "IpcTimeoutException needs a message");
            assertEquals(Optional.empty(), q.tryReceive(buf), "tryReceive on an empty queue");
            q.send(bytes("later"));
            assertEquals("later", receiveString(q), "the queue must stay usable after a timeout");
            assertEquals(0, q.size(), "size() after receiving everything");
        }
    }

    // ---------------------------------------------------------------- life: unlink, close

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unlinkRemovesTheNameButOpenHandlesKeepWorking() throws IOException {
        assumeTrue(unlinkKeepsOpenHandlesWorking(), "unlink() on this backend destroys the queue at once"
                + " (unlinkKeepsOpenHandlesWorking() is false); unlinkThatDestroysMakesOpenHandlesReportRemoval covers it");
        String address = newQueue(4, SMALL);
        try (MessageQueue first = open(address); MessageQueue second = open(withoutCreate(address))) {
            first.send(bytes("before"));
            assertEquals("before", receiveString(second), "two handles on one address must be one queue");
            first.unlink();
            first.send(bytes("after"));
            assertEquals("after", receiveString(second), "open handles must keep working after unlink()");
            ObjectNotFoundException gone = assertThrows(ObjectNotFoundException.class, () -> open(withoutCreate(address)).close(),
                    "opening an unlinked queue without create");
            assertTrue(gone.getMessage() != null && !gone.getMessage().isEmpty(), "ObjectNotFoundException needs a message");
            assertThrows(ObjectNotFoundException.class, first::unlink, "a second unlink()");
            first.send(bytes("kept"));
            try (MessageQueue fresh = open(address)) {
                assertEquals(Optional.empty(), fresh.tryReceive(ByteBuffer.allocate(SMALL)),
                        "a queue created under the unlinked name must be a new, empty queue");
                fresh.unlink();
            }
            assertEquals("kept", receiveString(second), "the unlinked queue keeps its messages for its open handles");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unlinkThatDestroysMakesOpenHandlesReportRemoval() throws IOException {
        assumeTrue(!unlinkKeepsOpenHandlesWorking(), "open handles keep working after unlink() on this backend;"
                + " unlinkRemovesTheNameButOpenHandlesKeepWorking covers it");
        String address = newQueue(4, SMALL);
        try (MessageQueue first = open(address); MessageQueue second = open(withoutCreate(address))) {
            first.send(bytes("before"));
            first.unlink();
            IOException send = assertThrows(IOException.class, () -> second.send(bytes("after"), 0, SHORT),
                    "send through another handle after the queue was destroyed");
            assertTrue(send instanceof ObjectRemovedException, "a send on a destroyed queue must throw"
                    + " ObjectRemovedException, got " + send);
            IOException receive = assertThrows(IOException.class, () -> first.receive(ByteBuffer.allocate(SMALL), SHORT),
                    "receive after the queue was destroyed");
            assertTrue(receive instanceof ObjectRemovedException, "a receive on a destroyed queue must throw"
                    + " ObjectRemovedException, got " + receive);
            assertThrows(ObjectNotFoundException.class, () -> open(withoutCreate(address)).close(),
                    "opening a destroyed queue without create");
            try (MessageQueue fresh = open(address)) {
                assertEquals(Optional.empty(), fresh.tryReceive(ByteBuffer.allocate(SMALL)),
                        "a queue created under the name of a destroyed one must be new and empty");
                fresh.unlink();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void openWithoutCreateOfMissingQueueThrowsObjectNotFound() {
        String address = newQueue(4, SMALL);
        assertThrows(ObjectNotFoundException.class, () -> open(withoutCreate(address)).close(),
                "opening a queue that was never created, without create: " + withoutCreate(address));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closeFromAnotherThreadWakesABlockedReceive() throws Exception {
        MessageQueue q = open(newQueue(4, SMALL));
        try {
            CountDownLatch entering = new CountDownLatch(1);
            FutureTask<Received> receiver = start("queue-blocked-receiver", () -> {
                entering.countDown();
                return q.receive(ByteBuffer.allocate(SMALL));
            });
            assertTrue(entering.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertThrows(TimeoutException.class, () -> receiver.get(200, TimeUnit.MILLISECONDS),
                    "receive on an empty queue must block");
            q.close();
            Throwable thrown = failure(receiver);
            assertTrue(thrown instanceof AsynchronousCloseException,
                    "a receive blocked when another thread closes the queue must end with AsynchronousCloseException, got "
                            + thrown);
            assertFalse(q.isOpen(), "isOpen() after close()");
        } finally {
            q.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void useAfterCloseThrowsClosedChannelException() throws IOException {
        String address = newQueue(4, SMALL);
        MessageQueue q = open(address);
        q.send(bytes("left"));
        assertTrue(q.isOpen(), "isOpen() before close()");
        q.close();
        q.close(); // idempotent
        assertFalse(q.isOpen(), "isOpen() after close()");
        ByteBuffer buf = ByteBuffer.allocate(SMALL);
        assertThrows(ClosedChannelException.class, () -> q.send(bytes("x")), "send after close");
        assertThrows(ClosedChannelException.class, () -> q.send(bytes("x"), 0, SHORT), "timed send after close");
        assertThrows(ClosedChannelException.class, () -> q.trySend(bytes("x"), 0), "trySend after close");
        assertThrows(ClosedChannelException.class, () -> q.receive(buf), "receive after close");
        assertThrows(ClosedChannelException.class, () -> q.receive(buf, SHORT), "timed receive after close");
        assertThrows(ClosedChannelException.class, () -> q.tryReceive(buf), "tryReceive after close");
        assertThrows(ClosedChannelException.class, q::size, "size() after close");
        assertEquals(0, buf.position());
        try (MessageQueue again = open(withoutCreate(address))) {
            assertEquals("left", receiveString(again), "close() releases the handle only; the queue and its messages stay");
        }
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentSendersAndReceiversDeliverEachMessageOnce() throws Exception {
        String address = newQueue(8, SMALL);
        int senders = 3;
        int receivers = 2;
        int perSender = 5_000;
        List<MessageQueue> handles = new ArrayList<>();
        try {
            List<FutureTask<Void>> sending = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                MessageQueue h = open(address);
                handles.add(h);
                int id = s + 1;
                sending.add(start("queue-sender-" + id, () -> {
                    ByteBuffer buf = ByteBuffer.allocate(SMALL);
                    for (long seq = 0; seq < perSender; seq++) {
                        buf.clear();
                        QueueProducerPeer.payload(id, seq, buf);
                        buf.flip();
                        h.send(buf);
                    }
                    return null;
                }));
            }
            List<FutureTask<long[]>> receiving = new ArrayList<>();
            for (int r = 0; r < receivers; r++) {
                MessageQueue h = open(address);
                handles.add(h);
                receiving.add(start("queue-receiver-" + r, () -> {
                    long[] seen = new long[senders + 1];
                    long[] last = new long[senders + 1];
                    Arrays.fill(last, -1);
                    ByteBuffer buf = ByteBuffer.allocate(SMALL);
                    while (true) {
                        buf.clear();
                        h.receive(buf, PATIENCE);
                        buf.flip();
                        if (!buf.hasRemaining()) {
                            return seen; // the end marker
                        }
                        int id = buf.getInt(0);
                        long seq = buf.getLong(4);
                        String problem = id >= 1 && id <= senders ? QueueProducerPeer.checkPayload(id, seq, buf)
                                : "unknown sender " + id;
                        if (problem == null && seq <= last[id]) {
                            problem = "sender " + id + " message " + seq + " after message " + last[id]
                                    + " (duplicated or reordered)";
                        }
                        if (problem != null) {
                            throw new AssertionError(problem);
                        }
                        last[id] = seq;
                        seen[id]++;
                    }
                }));
            }
            for (FutureTask<Void> s : sending) {
                get(s);
            }
            for (int r = 0; r < receivers; r++) {
                handles.get(0).send(ByteBuffer.allocate(0));
            }
            long[] total = new long[senders + 1];
            for (FutureTask<long[]> r : receiving) {
                long[] seen = get(r);
                for (int id = 1; id <= senders; id++) {
                    total[id] += seen[id];
                }
            }
            for (int id = 1; id <= senders; id++) {
                assertEquals(perSender, total[id], "messages of sender " + id + " received (each in increasing order)");
            }
        } finally {
            for (MessageQueue h : handles) {
                h.close();
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void twoPeerSendersAtOnceLoseAndDuplicateNothing() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newQueue(10, SMALL);
        int perPeer = 10_000;
        try (MessageQueue q = open(address);
                PeerJvm one = PeerJvm.builder(QueueProducerPeer.class).name("producer-1")
                        .args(address, String.valueOf(perPeer), "1").start();
                PeerJvm two = PeerJvm.builder(QueueProducerPeer.class).name("producer-2")
                        .args(address, String.valueOf(perPeer), "2").start()) {
            one.awaitReady(STARTUP);
            two.awaitReady(STARTUP);
            one.sendLine("GO");
            two.sendLine("GO");
            long[] next = new long[3];
            CRC32[] crc = {null, new CRC32(), new CRC32()};
            ByteBuffer buf = ByteBuffer.allocateDirect(q.maxMessageSize());
            for (int i = 0; i < 2 * perPeer; i++) {
                buf.clear();
                try {
                    q.receive(buf, PATIENCE);
                } catch (IpcTimeoutException e) {
                    throw new AssertionError("only " + i + " of " + 2 * perPeer + " messages arrived", e);
                }
                buf.flip();
                int id = buf.remaining() >= 4 ? buf.getInt(0) : -1;
                if (id != 1 && id != 2) {
                    fail("message " + i + " is from no known sender: " + buf.remaining() + " bytes, id " + id);
                }
                String problem = QueueProducerPeer.checkPayload(id, next[id], buf);
                if (problem != null) {
                    fail("from peer " + id + ": " + problem);
                }
                crc[id].update(buf);
                next[id]++;
            }
            assertEquals("SENT " + perPeer + " " + crc[1].getValue(), one.awaitLineStartingWith("SENT ", PATIENCE));
            assertEquals("SENT " + perPeer + " " + crc[2].getValue(), two.awaitLineStartingWith("SENT ", PATIENCE));
            one.assertExit(0, PATIENCE);
            two.assertExit(0, PATIENCE);
            assertEquals(Optional.empty(), q.tryReceive(buf.clear()), "nothing beyond what was sent");
        }
    }

    // ---------------------------------------------------------------- peer death

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void peerKilledWhileBlockedInReceiveLosesNoMessage() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newQueue(8, SMALL);
        try (MessageQueue q = open(address)) {
            try (PeerJvm peer = PeerJvm.builder(QueueConsumerPeer.class).args(address, "-1").start()) {
                peer.awaitReady(STARTUP);
                q.send(bytes("to-peer"));
                assertEquals(QueueConsumerPeer.gotLine(0, "to-peer".getBytes(UTF_8), 0),
                        peer.awaitLineStartingWith("GOT 0 ", PATIENCE), "the peer must receive the first message");
                peer.awaitLineStartingWith("RECEIVING 1", PATIENCE);
                // let it block in receive; a kill before it gets there tests the same thing
                assertThrows(AssertionError.class, () -> peer.awaitLineStartingWith("GOT 1 ", Duration.ofMillis(200)));
                peer.kill();
                assertFalse(peer.isAlive(), "the peer should be dead after SIGKILL");
            }
            for (int i = 0; i < 3; i++) {
                q.send(bytes("after-kill-" + i));
            }
            for (int i = 0; i < 3; i++) {
                assertEquals("after-kill-" + i, receiveString(q),
                        "a receiver killed while blocked must not take or corrupt later messages");
            }
            assertEquals(0, q.size(), "the queue is empty and usable after the receiver died");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void peerProducerKilledMidStreamLeavesOnlyWholeMessagesAndAUsableQueue() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newQueue(10, SMALL);
        try (MessageQueue q = open(address)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(q.maxMessageSize());
            long seq = 0;
            try (PeerJvm peer = PeerJvm.builder(QueueProducerPeer.class).args(address, "100000000", "1").start()) {
                peer.awaitReady(STARTUP);
                peer.sendLine("GO");
                for (; seq < 2_000; seq++) {
                    buf.clear();
                    q.receive(buf, PATIENCE);
                    buf.flip();
                    String problem = QueueProducerPeer.checkPayload(1, seq, buf);
                    if (problem != null) {
                        fail("before the kill: " + problem);
                    }
                }
                peer.kill(); // most likely blocked in send on the full queue, perhaps in the middle of one
                assertFalse(peer.isAlive(), "the peer should be dead after SIGKILL");
            }
            while (true) {
                buf.clear();
                try {
                    q.receive(buf, SHORT);
                } catch (IpcTimeoutException e) {
                    break; // drained: the dead sender left nothing half-written that blocks the queue
                }
                buf.flip();
                String problem = QueueProducerPeer.checkPayload(1, seq, buf);
                if (problem != null) {
                    fail("after the sender was killed: " + problem);
                }
                seq++;
            }
            q.send(bytes("after-kill"), 0, PATIENCE);
            assertEquals("after-kill", receiveString(q), "the queue must stay usable after a sender died");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    /** {@code s} padded with dots to {@code length} characters. */
    private static String fill(String s, int length) {
        return s + ".".repeat(Math.max(0, length - s.length()));
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 13 + seed + (i >>> 8));
        }
        return b;
    }

    private static String receiveString(MessageQueue q) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(q.maxMessageSize());
        Received r = q.receive(buf, PATIENCE);
        return new String(buf.array(), 0, r.length(), UTF_8);
    }

    private static void assertMessageNames(Throwable e, String... parts) {
        String message = e.getMessage();
        assertTrue(message != null, e.getClass().getName() + " has no message");
        for (String part : parts) {
            assertTrue(message.contains(part), "the message should name '" + part + "': " + message);
        }
    }

    private static void assertOnTime(long startNanos, Duration timeout, String what) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertTrue(took.compareTo(timeout.minus(EARLY)) >= 0, what + " gave up after " + took + ", before its " + timeout);
        assertTrue(took.compareTo(timeout.plus(LATE)) <= 0, what + " gave up after " + took + ", long after its " + timeout);
    }

    private static <T> FutureTask<T> start(String name, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(body);
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return task;
    }

    private static <T> T get(FutureTask<T> task) throws Exception {
        try {
            return task.get(PATIENCE.toSeconds() * 3, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw new AssertionError(e.getCause());
        }
    }

    private static Throwable failure(FutureTask<?> task) throws InterruptedException, TimeoutException {
        try {
            Object result = task.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            fail("expected an exception, got " + result);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
