package org.ipc4j.testkit.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ipc4j.Ipc;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.testkit.BoundedCall;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.peer.ChannelPayload;
import org.ipc4j.testkit.peer.ChannelTally;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * What a {@link MessageQueue} backend must survive: producer and consumer JVMs killed with SIGKILL
 * at named points (mid-stream at random counts, blocked in receive, between a claim and its
 * publish where the backend has such a point), a signal storm at the thread blocked in receive, and
 * a full file system under creation. Extend it and implement {@link #queueAddress}.
 *
 * <p>Every case asserts that no call hangs past its deadline, and that every message whose send
 * returned before the fault is received exactly once, whole (sequence numbers and checksums).
 */
public abstract class QueueFaultContract {
    /** The longest a step may take. */
    protected static final Duration STEP = Duration.ofSeconds(30);
    /** How much later than its timeout a timed call may return. */
    protected static final Duration LATE = Duration.ofSeconds(2);
    /** A receive this long with nothing arriving means the queue is drained. */
    protected static final Duration QUIET = Duration.ofMillis(700);

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String SIZES = "16,40,24,64,17";
    private static final int CAPACITY = 8;
    private static final int MAX_MESSAGE = 64;

    private final List<String> created = new ArrayList<>();

    /** For subclasses. */
    protected QueueFaultContract() {
    }

    /** The address that creates queue {@code uniqueName} with this capacity and largest message. */
    protected abstract String queueAddress(String uniqueName, int capacity, int maxMessageSize);

    /** The backend's name in skip reasons and logs. */
    protected String backendName() {
        return getClass().getSimpleName();
    }

    /** Adjusts every peer JVM before it starts. */
    protected void configurePeer(PeerJvm.Builder peer) {
    }

    /**
     * Messages the backend reports as lost to a consumer that died while copying one out (the
     * shared-memory queue counts them); 0 by default (a kernel queue hands a message over in one
     * system call).
     */
    protected long lostMessages(MessageQueue queue) {
        return 0;
    }

    /**
     * A peer that opens the queue at {@code address}, claims a slot for a message without
     * publishing it, says {@code CLAIMED ...} and waits to be killed; null (the default) when a send
     * is one system call with no such point (the case is then skipped).
     */
    protected PeerJvm.Builder claimWithoutPublish(String address) {
        return null;
    }

    /**
     * The directory the backend creates its queue file in (for the full-tmpfs case), or null (the
     * default) if a queue is a kernel object with no file there (the case is then skipped).
     */
    protected Path storageDirectory() {
        return null;
    }

    @AfterEach
    void unlinkCreatedQueues() {
        for (String address : created) {
            try (MessageQueue q = Ipc.openQueue(address)) {
                q.unlink();
            } catch (IOException | RuntimeException e) {
                // never made, or already gone
            }
        }
    }

    // ------------------------------------------------------------------------------------------ cases

    /**
     * A producer JVM streams messages and is killed at a random count, {@link FaultRandom#rounds()}
     * times (seeded): every message whose send returned before the kill is received exactly once,
     * whole and in order, and the queue stays usable.
     */
    @Test
    @Timeout(value = 180, threadMode = ThreadMode.SEPARATE_THREAD)
    void producerKilledMidStreamAtRandomCounts() throws Exception {
        Random random = FaultRandom.create(backendName() + " producerKilledMidStreamAtRandomCounts");
        String address = newQueue();
        try (MessageQueue q = Ipc.openQueue(address)) {
            int[] sizes = ChannelPayload.parseSizes(SIZES, q.maxMessageSize());
            for (int round = 0; round < FaultRandom.rounds(); round++) {
                long acked = 1 + random.nextInt(2000);
                ChannelTally tally = new ChannelTally(sizes);
                ByteBuffer buffer = ByteBuffer.allocateDirect(q.maxMessageSize());
                try (PeerJvm peer = peer(address, "produce", SIZES, String.valueOf(acked)).start()) {
                    peer.awaitReady(STEP);
                    AtomicBoolean killed = new AtomicBoolean();
                    BoundedCall<Void> drain = BoundedCall.start("receiving from the producer to be killed", () -> {
                        while (true) {
                            buffer.clear();
                            boolean after = killed.get();
                            try {
                                q.receive(buffer, Duration.ofMillis(200));
                            } catch (IpcTimeoutException x) {
                                if (after) {
                                    return null;   // drained: nothing came within 200 ms of a receive begun after the kill
                                }
                                continue;
                            }
                            tally.accept(buffer.flip());
                        }
                    });
                    peer.awaitLineStartingWith("ACKED ", STEP);
                    peer.kill();
                    killed.set(true);
                    drain.result(STEP.plus(STEP));
                }
                String summary = tally.summary(acked, 1);
                System.out.println("[fault] " + backendName() + " round " + round + ": producer killed after ACKED "
                        + acked + "; received " + summary);
                Map<String, String> got = ChannelTally.parse(summary);
                assertEquals("0", got.get("corrupt"), "damaged messages; " + summary);
                assertEquals("0", got.get("duplicated"), "duplicated messages; " + summary);
                assertEquals("0", got.get("lost"), "messages acknowledged before the kill were lost; " + summary);
                assertEquals("0", got.get("outOfOrder"), "messages of one producer out of order; " + summary);
                assertStillWorks(q);
            }
        }
    }

    /**
     * A consumer JVM killed while blocked in receive takes nothing: messages sent afterwards are all
     * received here, exactly once.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void consumerKilledWhileBlockedInReceiveTakesNothing() throws Exception {
        String address = newQueue();
        try (MessageQueue q = Ipc.openQueue(address)) {
            try (PeerJvm peer = peer(address, "consume").start()) {
                peer.awaitLineStartingWith("RECEIVING", STEP);
                peer.kill();
                assertFalse(peer.output().stream().anyMatch(l -> l.startsWith("GOT")), "the consumer received something");
            }
            int[] sizes = ChannelPayload.parseSizes(SIZES, q.maxMessageSize());
            ChannelTally tally = new ChannelTally(sizes);
            ByteBuffer buffer = ByteBuffer.allocate(q.maxMessageSize());
            for (long seq = 0; seq < CAPACITY; seq++) {
                q.send(ChannelPayload.message(0, seq, ChannelPayload.sizeOf(sizes, seq)), 0, STEP);
            }
            for (long seq = 0; seq < CAPACITY; seq++) {
                buffer.clear();
                q.receive(buffer, STEP);
                tally.accept(buffer.flip());
            }
            String summary = tally.summary(CAPACITY, 1);
            assertEquals(CAPACITY + "", ChannelTally.parse(summary).get("count"), summary);
            assertEquals("0", ChannelTally.parse(summary).get("lost"), summary);
            assertEquals("0", ChannelTally.parse(summary).get("outOfOrder"), summary);
            assertTimesOut(q, Duration.ofMillis(300));
        }
    }

    /**
     * A consumer JVM takes messages while this JVM sends, and is killed at a random count
     * (seeded): each message whose send returned is received at most once, by the consumer or here,
     * and at most the one the consumer was handling when it died (or what the backend reports as
     * lost) is missing.
     */
    @Test
    @Timeout(value = 180, threadMode = ThreadMode.SEPARATE_THREAD)
    void consumerKilledMidStreamAtRandomCounts() throws Exception {
        Random random = FaultRandom.create(backendName() + " consumerKilledMidStreamAtRandomCounts");
        String address = newQueue();
        try (MessageQueue q = Ipc.openQueue(address)) {
            int[] sizes = ChannelPayload.parseSizes(SIZES, q.maxMessageSize());
            long nextSeq = 0;
            for (int round = 0; round < FaultRandom.rounds(); round++) {
                int killAfter = 1 + random.nextInt(1000);
                long lostBefore = lostMessages(q);
                long first = nextSeq;
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong sent = new AtomicLong(first);
                BitSet seen = new BitSet();
                List<Long> duplicates = new ArrayList<>();
                Path acks = Files.createTempFile("ipc4j-acks", ".txt");
                try (PeerJvm peer = peer(address, "consume", acks.toString(), String.valueOf(killAfter)).start()) {
                    peer.awaitReady(STEP);
                    BoundedCall<Void> sender = BoundedCall.start("sending to the consumer to be killed", () -> {
                        for (long seq = first; !stop.get(); seq++) {
                            ByteBuffer m = ChannelPayload.message(0, seq, ChannelPayload.sizeOf(sizes, seq));
                            while (!stop.get()) {
                                try {
                                    q.send(m, 0, Duration.ofMillis(100));
                                    sent.set(seq + 1);
                                    break;
                                } catch (IpcTimeoutException x) {
                                    // full: the consumer is slow or dead; try again unless told to stop
                                }
                            }
                        }
                        return null;
                    });
                    peer.awaitLine(l -> l.equals("COUNT " + killAfter), STEP);
                    peer.kill();
                    stop.set(true);
                    sender.result(STEP);
                    for (String l : Files.readAllLines(acks)) {
                        int seq = Integer.parseInt(l.trim());
                        if (seen.get(seq)) {
                            duplicates.add((long) seq);
                        }
                        seen.set(seq);
                    }
                } finally {
                    Files.deleteIfExists(acks);
                }
                ByteBuffer buffer = ByteBuffer.allocate(q.maxMessageSize());
                while (true) {
                    buffer.clear();
                    try {
                        q.receive(buffer, QUIET);
                    } catch (IpcTimeoutException x) {
                        break;
                    }
                    buffer.flip();
                    int seq = (int) buffer.getLong(4);
                    assertNull(ChannelPayload.mismatch(buffer, 0, seq, ChannelPayload.sizeOf(sizes, seq)));
                    if (seen.get(seq)) {
                        duplicates.add((long) seq);
                    }
                    seen.set(seq);
                }
                long end = sent.get();
                int missing = (int) (end - first) - seen.get((int) first, (int) end).cardinality();
                long lost = lostMessages(q) - lostBefore;
                System.out.println("[fault] " + backendName() + " round " + round + ": consumer killed after " + killAfter
                        + " messages; sent " + (end - first) + ", missing " + missing + ", reported lost " + lost
                        + ", duplicated " + duplicates);
                assertTrue(duplicates.isEmpty(), "messages received twice: " + duplicates);
                assertTrue(missing <= 1 + lost, "messages whose send returned went missing: " + missing
                        + " (at most the one in the consumer's hands when it died may, plus " + lost + " reported lost)");
                nextSeq = end;
                assertStillWorks(q);
            }
        }
    }

    /**
     * A producer killed between claiming a slot and publishing its message (where the backend has
     * such a point): messages sent before and after it are all received, exactly once and in order,
     * and the half-made message never is.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void producerKilledBetweenClaimAndPublish() throws Exception {
        String address = newQueue();
        PeerJvm.Builder builder = claimWithoutPublish(address);
        assumeTrue(builder != null, () -> backendName() + ": a send is one system call; there is no point between a"
                + " claim and its publish to kill a producer at");
        configurePeer(builder);
        try (MessageQueue q = Ipc.openQueue(address)) {
            int[] sizes = ChannelPayload.parseSizes(SIZES, q.maxMessageSize());
            ChannelTally tally = new ChannelTally(sizes);
            ByteBuffer buffer = ByteBuffer.allocate(q.maxMessageSize());
            q.send(ChannelPayload.message(0, 0, sizes[0]), 0, STEP);
            try (PeerJvm peer = builder.start()) {
                peer.awaitLineStartingWith("CLAIMED", STEP);
                q.send(ChannelPayload.message(0, 1, ChannelPayload.sizeOf(sizes, 1)), 0, STEP);
                peer.kill();
            }
            for (long seq = 2; seq < 4 * CAPACITY; seq++) {
                q.send(ChannelPayload.message(0, seq, ChannelPayload.sizeOf(sizes, seq)), 0, STEP);
                buffer.clear();
                q.receive(buffer, STEP);
                tally.accept(buffer.flip());
            }
            while (true) {
                buffer.clear();
                try {
                    q.receive(buffer, QUIET);
                } catch (IpcTimeoutException x) {
                    break;
                }
                tally.accept(buffer.flip());
            }
            String summary = tally.summary(4 * CAPACITY, 1);
            System.out.println("[fault] " + backendName() + ": around a killed claim: " + summary + ", reported lost "
                    + lostMessages(q));
            Map<String, String> got = ChannelTally.parse(summary);
            assertEquals(String.valueOf(4 * CAPACITY), got.get("count"), summary);
            assertEquals("0", got.get("lost"), summary);
            assertEquals("0", got.get("corrupt"), summary);
            assertEquals("0", got.get("outOfOrder"), summary);
            assertTrue(lostMessages(q) >= 1, "the killed claim is not counted as lost");
        }
    }

    /**
     * A storm of signals at the thread blocked in receive (see {@link SignalStorm}): a timed receive
     * still times out on time, and an untimed one returns the message sent during the storm.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void signalStormWhileBlockedInReceive() throws Exception {
        String address = newQueue();
        try (MessageQueue q = Ipc.openQueue(address); MessageQueue sender = Ipc.openQueue(address)) {
            Duration timed = Duration.ofSeconds(1);
            ByteBuffer buffer = ByteBuffer.allocate(q.maxMessageSize());
            StormedCall<Integer> call = StormedCall.start("receive", timed, () -> {
                q.receive(buffer, timed);
                return null;
            }, () -> {
                buffer.clear();
                return q.receive(buffer).length();
            });
            try (SignalStorm storm = call.storm()) {
                call.assertTimedCallTimedOut(x -> x instanceof IpcTimeoutException);
                storm.awaitSent(2000, STEP);
                assertFalse(call.isDone(), "receive() returned during the signal storm before anything was sent");
                sender.send(ChannelPayload.message(0, 5, 40), 0, STEP);
                assertEquals(40, call.result(STEP), "the message sent during the storm");
                assertNull(ChannelPayload.mismatch(buffer.flip(), 0, 5, 40));
                call.assertStormed(storm, backendName());
            }
        }
    }

    /**
     * A peer fills a small tmpfs mounted over {@link #storageDirectory()} and creates a queue there:
     * refused with an {@code IpcException} naming it, no crash. Skipped for kernel queues.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void creationInAFullTmpfsIsRefusedCleanly() throws Exception {
        String reason = FullTmpfs.unavailableReason();
        assumeTrue(reason == null, reason);
        Path dir = storageDirectory();
        assumeTrue(dir != null, () -> backendName() + " queues are kernel objects, not files in a tmpfs:"
                + " a full file system cannot refuse them (their limits are the kernel's)");
        String name = uniqueName();
        PeerJvm.Builder builder = FullTmpfs.peer(dir, "queue", queueAddress(name, CAPACITY, MAX_MESSAGE));
        configurePeer(builder);
        try (PeerJvm peer = builder.start()) {
            FullTmpfs.assertRefused(peer, name, STEP);
        }
    }

    // ------------------------------------------------------------------------------------ machinery

    private static void assertStillWorks(MessageQueue q) throws Exception {
        ByteBuffer m = ChannelPayload.message(9, 1, 20);
        BoundedCall.within(STEP, "send after the fault", () -> {
            q.send(m, 0, STEP);
            return null;
        });
        ByteBuffer b = ByteBuffer.allocate(q.maxMessageSize());
        BoundedCall.within(STEP, "receive after the fault", () -> q.receive(b, STEP));
        assertNull(ChannelPayload.mismatch(b.flip(), 9, 1, 20), "the queue must work after the fault");
    }

    private static void assertTimesOut(MessageQueue q, Duration timeout) throws Exception {
        long start = System.nanoTime();
        try {
            BoundedCall.within(timeout.plus(LATE), "receive on an empty queue", () -> q.receive(ByteBuffer.allocate(q.maxMessageSize()), timeout));
            fail("receive on a queue that should be empty returned a message");
        } catch (IpcTimeoutException x) {
            assertTrue(System.nanoTime() - start >= timeout.toNanos() - 1_000_000, "gave up early");
        }
    }

    private String uniqueName() {
        return "q" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    private String newQueue() {
        String address = queueAddress(uniqueName(), CAPACITY, MAX_MESSAGE);
        created.add(address);
        return address;
    }

    private PeerJvm.Builder peer(String address, String... args) {
        PeerJvm.Builder b = PeerJvm.builder(FaultQueuePeer.class).args(address).args(args);
        configurePeer(b);
        return b;
    }
}
