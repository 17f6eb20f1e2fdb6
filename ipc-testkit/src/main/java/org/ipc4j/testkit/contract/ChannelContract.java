package org.ipc4j.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.ipc4j.Channel;
import org.ipc4j.Channel.Property;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.testkit.Peer;
import org.ipc4j.testkit.BoundedCall;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerReaper;
import org.ipc4j.testkit.peer.ChannelCommandPeer;
import org.ipc4j.testkit.peer.ChannelPayload;
import org.ipc4j.testkit.peer.ChannelPeer;
import org.ipc4j.testkit.peer.ChannelTally;
import org.ipc4j.testkit.peer.SinkPeer;
import org.ipc4j.testkit.peer.SourcePeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Behaviour every {@link Channel} backend must show, in-process and against a peer JVM.
 * Extend it and implement {@link #newFixture(String)}.
 *
 * <p>Every case runs twice: {@code ...InProcess}, where the remote end is opened by a thread of the
 * test's JVM, and {@code ...WithPeerJvm}, where it is opened by a {@link PeerJvm} started through
 * {@link ChannelFixture#startPeer}. The remote end runs one of the peer programs of
 * {@link org.ipc4j.testkit.peer} ({@link SourcePeer}, {@link SinkPeer}, {@link ChannelCommandPeer})
 * and reports with lines that the log shows as {@code [SourcePeer 12345] ...} (peer JVM, with its
 * pid) or {@code [SourcePeer thread] ...} (in-process). Messages are {@link ChannelPayload}s, which
 * identify themselves, so a failure says which message was lost, doubled, reordered or damaged.
 *
 * <p>Skips, each with its reason: the {@code WithPeerJvm} cases when {@link #crossProcess()} is false;
 * cases needing a {@link Property} the channel does not declare ({@code RELIABLE} for counting every
 * message and for end of stream, {@code ORDERED} for order); for a one-way channel (no
 * {@code BIDIRECTIONAL}), the cases that need the local end to send or to receive, per
 * {@link ChannelFixture#localEndSends()}. The channel's properties are read once per test class,
 * from an in-process pair of ends.
 *
 * <p>A blocking call that should return is always run with a deadline, so a backend that hangs fails
 * the case with a message instead of hanging the build; each case also has a {@link Timeout}.
 */
@ExtendWith(PeerReaper.class)
public abstract class ChannelContract {

    /** The longest a step (opening the ends, starting a peer, one message, a peer's report) may take. */
    protected static final Duration STEP = Duration.ofSeconds(30);

    /** How long a send on a channel just found full waits before the channel counts as full for good. */
    private static final Duration SETTLE = Duration.ofMillis(200);

    /** How much later than its timeout a timed receive may return. */
    protected static final Duration LATE = Duration.ofSeconds(2);

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<Class<?>, Probe> PROBES = new ConcurrentHashMap<>();
    private static final byte MARK = 0x5A;

    /** For subclasses: one per backend under test. */
    protected ChannelContract() {
    }

    /**
     * A fresh pair of ends for one test.
     *
     * @param uniqueName unique per test and per run, safe in file names and IPC names (letters,
     *     digits, '-'); use it to build the address
     */
    protected abstract ChannelFixture newFixture(String uniqueName) throws IOException;

    /** False if the two ends cannot live in separate processes (the {@code inproc:} backend). */
    protected boolean crossProcess() {
        return true;
    }

    /** How many messages the bulk cases send in each direction; 100,000 unless a backend must go lower. */
    protected int bulkMessages() {
        return 100_000;
    }

    /** The backend's name in skip reasons and logs: the test class's simple name by default. */
    protected String backendName() {
        return getClass().getSimpleName();
    }

    /**
     * Adjusts every peer JVM this contract starts, before {@link ChannelFixture#startPeer}: JVM flags
     * ({@code -Djna.library.path=...}), a wrapper command, the log name. Does nothing by default.
     */
    protected void configurePeer(PeerJvm.Builder peer) {
    }

    /** Where a case runs the remote end. */
    private enum Where {
        /** A thread of this JVM. */
        IN_PROCESS,
        /** A {@link PeerJvm}. */
        PEER_JVM
    }

    // ----------------------------------------------------------------------------------------------
    // ordering and message boundaries

    /** Messages of mixed sizes (0 to 4 KiB) arrive one per receive, whole and in order. */
    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void messagesKeepOrderAndBoundariesInProcess() throws Exception {
        messagesKeepOrderAndBoundaries(Where.IN_PROCESS);
    }

    /** As {@link #messagesKeepOrderAndBoundariesInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void messagesKeepOrderAndBoundariesWithPeerJvm() throws Exception {
        messagesKeepOrderAndBoundaries(Where.PEER_JVM);
    }

    private void messagesKeepOrderAndBoundaries(Where where) throws Exception {
        require(where, "order and boundaries are checked message by message", Property.RELIABLE, Property.ORDERED);
        for (Direction d : directions()) {
            transfer(where, d, 1000, 1, "16,17,1,0,100,1000,4096,2,33,15", true);
        }
    }

    // ----------------------------------------------------------------------------------------------
    // empty and maximum-size messages

    /** Empty messages and messages of exactly {@code maxMessageSize()} bytes arrive whole. */
    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void emptyAndMaximumSizeMessagesArriveWholeInProcess() throws Exception {
        emptyAndMaximumSizeMessagesArriveWhole(Where.IN_PROCESS);
    }

    /** As {@link #emptyAndMaximumSizeMessagesArriveWholeInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void emptyAndMaximumSizeMessagesArriveWholeWithPeerJvm() throws Exception {
        emptyAndMaximumSizeMessagesArriveWhole(Where.PEER_JVM);
    }

    private void emptyAndMaximumSizeMessagesArriveWhole(Where where) throws Exception {
        require(where, "the sizes are checked message by message", Property.RELIABLE, Property.ORDERED);
        int max = probe().maxMessageSize;
        assumeTrue(max <= (64 << 20), () -> "maxMessageSize()=" + max + " of " + backendName()
                + " is too large to send in a test (above 64 MiB)");
        for (Direction d : directions()) {
            transfer(where, d, 8, 1, "0,max,0,1,max,16,0,15", true);
        }
    }

    // ----------------------------------------------------------------------------------------------
    // 100,000 messages with a checksum

    /** {@link #bulkMessages()} messages each way: same count and checksum, none lost or doubled. */
    @Test
    @Timeout(value = 180, threadMode = ThreadMode.SEPARATE_THREAD)
    void bulkMessagesNothingLostOrDuplicatedInProcess() throws Exception {
        bulkMessagesNothingLostOrDuplicated(Where.IN_PROCESS);
    }

    /** As {@link #bulkMessagesNothingLostOrDuplicatedInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 180, threadMode = ThreadMode.SEPARATE_THREAD)
    void bulkMessagesNothingLostOrDuplicatedWithPeerJvm() throws Exception {
        bulkMessagesNothingLostOrDuplicated(Where.PEER_JVM);
    }

    private void bulkMessagesNothingLostOrDuplicated(Where where) throws Exception {
        require(where, "every message is counted", Property.RELIABLE);
        boolean ordered = probe().properties.contains(Property.ORDERED);
        for (Direction d : directions()) {
            transfer(where, d, bulkMessages(), 1, "16,24,40,64,100,32", ordered);
        }
    }

    // ----------------------------------------------------------------------------------------------
    // concurrent senders

    /** Four threads sending at once: every message arrives whole (never interleaved), none lost. */
    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void concurrentSendersNeverInterleaveInProcess() throws Exception {
        concurrentSendersNeverInterleave(Where.IN_PROCESS);
    }

    /** As {@link #concurrentSendersNeverInterleaveInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void concurrentSendersNeverInterleaveWithPeerJvm() throws Exception {
        concurrentSendersNeverInterleave(Where.PEER_JVM);
    }

    private void concurrentSendersNeverInterleave(Where where) throws Exception {
        require(where, "every message is counted", Property.RELIABLE);
        boolean ordered = probe().properties.contains(Property.ORDERED);
        for (Direction d : directions()) {
            transfer(where, d, 5000, 4, "16,40,200,1000,3000,64", ordered);
        }
    }

    // ----------------------------------------------------------------------------------------------
    // timeouts

    /**
     * A timed receive with nothing to receive throws {@link IpcTimeoutException} no earlier than its
     * timeout and at most {@link #LATE} after it, leaves the buffer untouched, and a message sent
     * afterwards is received whole; {@link Duration#ZERO} polls.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void timedReceiveReturnsOnTimeAndConsumesNothingInProcess() throws Exception {
        timedReceiveReturnsOnTimeAndConsumesNothing(Where.IN_PROCESS);
    }

    /** As {@link #timedReceiveReturnsOnTimeAndConsumesNothingInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void timedReceiveReturnsOnTimeAndConsumesNothingWithPeerJvm() throws Exception {
        timedReceiveReturnsOnTimeAndConsumesNothing(Where.PEER_JVM);
    }

    private void timedReceiveReturnsOnTimeAndConsumesNothing(Where where) throws Exception {
        requireLocalReceives(where);
        try (Ends e = open(where, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            ByteBuffer buffer = marked(64);
            assertTimesOut(e.local, buffer, Duration.ZERO);
            assertTimesOut(e.local, buffer, Duration.ofMillis(300));
            assertTimesOut(e.local, buffer, Duration.ofMillis(700));

            int size = Math.min(40, e.local.maxMessageSize());
            e.remote.sendLine("SEND 7 " + size);
            awaitAnswer(e.remote, "SENT 7");
            int n = within(STEP, "receive(buffer, " + STEP + ") of a message sent after the timeouts",
                    () -> e.local.receive(buffer, STEP));
            assertEquals(size, n, "length of the message sent after the timeouts");
            assertNull(ChannelPayload.mismatch(buffer.flip(), 0, 7, size),
                    "the message sent after the timeouts must arrive whole");
            assertTimesOut(e.local, marked(64), Duration.ofMillis(200));
        }
    }

    private static void assertTimesOut(Channel local, ByteBuffer buffer, Duration timeout) throws Exception {
        int position = buffer.position();
        long start = System.nanoTime();
        IpcTimeoutException x = null;
        try {
            int n = within(timeout.plus(LATE), "receive(buffer, " + timeout + ") with nothing to receive",
                    () -> local.receive(buffer, timeout));
            fail("receive(buffer, " + timeout + ") with nothing to receive returned " + n
                    + "; expected IpcTimeoutException");
        } catch (IpcTimeoutException e) {
            x = e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String text = x.getMessage();
        assertTrue(took.compareTo(timeout.minusMillis(1)) >= 0, () -> "receive(buffer, " + timeout + ") gave up early, after "
                + took.toMillis() + " ms: " + text);
        assertTrue(took.compareTo(timeout.plus(LATE)) <= 0, "receive(buffer, " + timeout + ") gave up late, after "
                + took.toMillis() + " ms");
        assertEquals(position, buffer.position(), "a timed-out receive must not move the buffer's position");
        assertMarked(buffer, "a timed-out receive must not write into the buffer");
    }

    /**
     * With the peer not reading, sends fill the channel until {@code send(message, ZERO)} throws
     * {@link IpcTimeoutException}; a timed send then gives up on time without moving the buffer; and
     * the peer, once it reads, gets exactly the messages whose send succeeded. Skipped if 16 MiB go in
     * without the channel filling up.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void timedSendOnAFullChannelReturnsOnTimeAndSendsNothingInProcess() throws Exception {
        timedSendOnAFullChannelReturnsOnTimeAndSendsNothing(Where.IN_PROCESS);
    }

    /** As {@link #timedSendOnAFullChannelReturnsOnTimeAndSendsNothingInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void timedSendOnAFullChannelReturnsOnTimeAndSendsNothingWithPeerJvm() throws Exception {
        timedSendOnAFullChannelReturnsOnTimeAndSendsNothing(Where.PEER_JVM);
    }

    private void timedSendOnAFullChannelReturnsOnTimeAndSendsNothing(Where where) throws Exception {
        require(where, "the peer counts what arrived", Property.RELIABLE);
        requireLocalSends(where);
        int size = Math.min(1000, probe().maxMessageSize);
        long limit = (16L << 20) / Math.max(1, size);
        try (Ends e = open(where, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            AtomicLong progress = new AtomicLong();
            Duration fillLimit = STEP;
            Callable<Long> fill = () -> {
                ByteBuffer m = ByteBuffer.allocate(size);
                for (long seq = 0; seq < limit; seq++) {
                    progress.set(seq);
                    m.clear();
                    ChannelPayload.fill(m, 0, seq, size);
                    m.flip();
                    try {
                        e.local.send(m, Duration.ZERO);
                    } catch (IpcTimeoutException x) {
                        assertEquals(0, m.position(), "a send that timed out must not move the buffer");
                        // full for now; full for good only if a send that waits also finds no room (TCP
                        // frees space for a few milliseconds after a window first closes)
                        try {
                            e.local.send(m, SETTLE);
                        } catch (IpcTimeoutException y) {
                            assertEquals(0, m.position(), "a send that timed out must not move the buffer");
                            return seq;
                        }
                    }
                }
                return -1L;
            };
            long sent;
            try {
                sent = within(fillLimit, "filling the channel", fill);
            } catch (AssertionError x) {
                throw new AssertionError("filling the channel with send(message, PT0S) did not end within " + fillLimit
                        + "; it was at message " + progress.get() + " of " + size + " bytes: a send with a zero timeout"
                        + " must throw IpcTimeoutException when the channel is full, not block", x);
            }
            assumeTrue(sent >= 0, () -> "the channel of " + backendName() + " took " + limit + " messages of " + size
                    + " bytes without the peer reading and did not fill up; a full channel cannot be tested");
            ByteBuffer next = ChannelPayload.message(0, sent, size);
            for (Duration timeout : List.of(Duration.ofMillis(300), Duration.ofMillis(700))) {
                long start = System.nanoTime();
                try {
                    within(timeout.plus(LATE), "send(message, " + timeout + ") on a full channel", () -> {
                        e.local.send(next, timeout);
                        return null;
                    });
                    fail("send(message, " + timeout + ") on a channel full after " + sent
                            + " messages succeeded; expected IpcTimeoutException (the peer is not reading)");
                } catch (IpcTimeoutException x) {
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertTrue(took.compareTo(timeout.minusMillis(1)) >= 0, () -> "send(message, " + timeout
                            + ") gave up early, after " + took.toMillis() + " ms");
                    assertTrue(took.compareTo(timeout.plus(LATE)) <= 0, () -> "send(message, " + timeout
                            + ") gave up late, after " + took.toMillis() + " ms");
                }
                assertEquals(0, next.position(), "a timed-out send must not move the buffer's position");
            }
            ChannelTally tally = new ChannelTally(new int[] {size});
            for (long seq = 0; seq < sent; seq++) {
                tally.accept(ChannelPayload.message(0, seq, size));
            }
            e.remote.sendLine("DRAIN " + sent + " " + size);
            e.local.close();
            String line = e.remote.awaitLineStartingWith("RECEIVED ", STEP);
            checkTransfer("after timed-out sends on a full channel", tally.summary(sent, 1), line, sent, true);
        }
    }

    // ----------------------------------------------------------------------------------------------
    // end of stream

    /**
     * When the peer closes, receive delivers every message it sent, then returns -1 (and again -1);
     * {@code receive()} throws {@link EOFException}.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void endOfStreamAfterEveryMessageWhenPeerClosesInProcess() throws Exception {
        endOfStreamAfterEveryMessageWhenPeerCloses(Where.IN_PROCESS);
    }

    /** As {@link #endOfStreamAfterEveryMessageWhenPeerClosesInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void endOfStreamAfterEveryMessageWhenPeerClosesWithPeerJvm() throws Exception {
        endOfStreamAfterEveryMessageWhenPeerCloses(Where.PEER_JVM);
    }

    private void endOfStreamAfterEveryMessageWhenPeerCloses(Where where) throws Exception {
        require(where, "end of stream needs a connection", Property.RELIABLE);
        requireLocalReceives(where);
        String sizes = "16,100,40";
        try (Ends e = open(where, SourcePeer.class, SourcePeer::run, "50", sizes, "1", "close")) {
            int[] list = ChannelPayload.parseSizes(sizes, e.local.maxMessageSize());
            ByteBuffer buffer = ByteBuffer.allocate(largest(list));
            for (long seq = 0; seq < 50; seq++) {
                buffer.clear();
                int n = within(STEP, "receive of message " + seq + " of 50", () -> e.local.receive(buffer, STEP));
                assertNull(ChannelPayload.mismatch(buffer.flip(), 0, seq, ChannelPayload.sizeOf(list, seq)),
                        "message " + seq + " of 50 before the peer's close, " + n + " bytes");
            }
            e.remote.awaitLineStartingWith("SENT ", STEP);
            assertEquals(0, e.remote.awaitExit(STEP), "the source peer's exit code");
            buffer.clear();
            assertEquals(-1, (int) within(STEP, "receive after the peer closed", () -> e.local.receive(buffer, STEP)),
                    "receive after the peer's last message and close must return -1");
            assertEquals(-1, (int) within(STEP, "a second receive at end of stream", () -> e.local.receive(buffer)),
                    "a second receive at end of stream must return -1 again");
            assertThrows(EOFException.class, () -> within(STEP, "receive() at end of stream", () -> e.local.receive()),
                    "receive() at end of stream must throw EOFException");
        }
    }

    // ----------------------------------------------------------------------------------------------
    // peer killed

    /**
     * A receive blocked on a channel whose peer JVM is killed with SIGKILL returns -1 or throws an
     * IOException within seconds; sends then fail within seconds too. Peer JVM only: there is no
     * SIGKILL for a thread (the in-process cases close the remote end instead).
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void peerKilledWithSigkillIsSeenWithinSecondsWithPeerJvm() throws Exception {
        Where where = Where.PEER_JVM;
        require(where, "end of stream needs a connection", Property.RELIABLE);
        requireLocalReceives(where);
        String sizes = "16,100,40";
        try (Ends e = open(where, SourcePeer.class, SourcePeer::run, "10", sizes, "1", "hold")) {
            int[] list = ChannelPayload.parseSizes(sizes, e.local.maxMessageSize());
            ByteBuffer buffer = ByteBuffer.allocate(largest(list));
            for (long seq = 0; seq < 10; seq++) {
                buffer.clear();
                within(STEP, "receive of message " + seq + " of 10", () -> e.local.receive(buffer, STEP));
                assertNull(ChannelPayload.mismatch(buffer.flip(), 0, seq, ChannelPayload.sizeOf(list, seq)));
            }
            e.remote.awaitLineStartingWith("SENT ", STEP);
            buffer.clear();
            BoundedCall<Integer> blocked = BoundedCall.start("receive while the peer is killed", () -> e.local.receive(buffer));
            e.remote.kill();
            Duration limit = Duration.ofSeconds(10);
            try {
                int n = blocked.get(limit.toNanos(), TimeUnit.NANOSECONDS);
                assertEquals(-1, n, "after the peer was killed, receive must return -1 (end of stream), not a message");
            } catch (TimeoutException x) {
                fail("a receive blocked on '" + e.local.address() + "' did not return within " + limit
                        + " of the peer JVM's SIGKILL; expected -1 or an IOException");
            } catch (ExecutionException x) {
                assertTrue(x.getCause() instanceof IOException, () -> "after the peer was killed, receive threw "
                        + x.getCause() + "; expected -1 or an IOException");
            }
            if (probe().properties.contains(Property.BIDIRECTIONAL)) {
                assertSendFailsSoon(e.local, limit);
            }
        }
    }

    private static void assertSendFailsSoon(Channel local, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        ByteBuffer message = ChannelPayload.message(0, 0, Math.min(16, local.maxMessageSize()));
        int sent = 0;
        while (System.nanoTime() < deadline) {
            try {
                within(limit.plus(LATE), "send to a killed peer", () -> {
                    local.send(message.rewind(), Duration.ofSeconds(1));
                    return null;
                });
                sent++;
            } catch (IOException x) {
                return;
            }
        }
        fail("sends to the killed peer kept succeeding for " + limit + " (" + sent
                + " messages); expected PeerClosedException or another IOException");
    }

    // ----------------------------------------------------------------------------------------------
    // close from another thread, use after close

    /** {@code close()} from another thread wakes a blocked receive with {@link AsynchronousCloseException}. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void closeFromAnotherThreadWakesBlockedReceiveInProcess() throws Exception {
        closeFromAnotherThreadWakesBlockedReceive(Where.IN_PROCESS);
    }

    /** As {@link #closeFromAnotherThreadWakesBlockedReceiveInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void closeFromAnotherThreadWakesBlockedReceiveWithPeerJvm() throws Exception {
        closeFromAnotherThreadWakesBlockedReceive(Where.PEER_JVM);
    }

    /** A drain blocked for its first message is woken by close() as a receive is. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void closeFromAnotherThreadWakesBlockedDrainInProcess() throws Exception {
        closeFromAnotherThreadWakesBlocked(Where.IN_PROCESS, "drain", c -> c.drain(m -> { }, 10));
    }

    /** As {@link #closeFromAnotherThreadWakesBlockedDrainInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void closeFromAnotherThreadWakesBlockedDrainWithPeerJvm() throws Exception {
        closeFromAnotherThreadWakesBlocked(Where.PEER_JVM, "drain", c -> c.drain(m -> { }, 10));
    }

    private void closeFromAnotherThreadWakesBlockedReceive(Where where) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        closeFromAnotherThreadWakesBlocked(where, "receive", c -> c.receive(buffer));
    }

    /** A blocking receiving call on a channel. */
    @FunctionalInterface
    private interface ReceivingCall {
        int on(Channel channel) throws Exception;
    }

    private void closeFromAnotherThreadWakesBlocked(Where where, String call, ReceivingCall receiving) throws Exception {
        requireLocalReceives(where);
        try (Ends e = open(where, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            CountDownLatch entering = new CountDownLatch(1);
            BoundedCall<Integer> blocked = BoundedCall.start(call + " blocked until close", () -> {
                entering.countDown();
                return receiving.on(e.local);
            });
            assertTrue(entering.await(STEP.toMillis(), TimeUnit.MILLISECONDS));
            awaitBlocked(blocked);
            e.local.close();
            Duration limit = Duration.ofSeconds(5);
            try {
                Integer n = blocked.get(limit.toNanos(), TimeUnit.NANOSECONDS);
                fail("a " + call + " blocked while another thread closed the channel returned " + n
                        + "; expected AsynchronousCloseException");
            } catch (TimeoutException x) {
                fail("a " + call + " blocked on '" + e.local.address() + "' was not woken within " + limit
                        + " by close() from another thread; expected AsynchronousCloseException");
            } catch (ExecutionException x) {
                assertTrue(x.getCause() instanceof AsynchronousCloseException, () -> "a " + call + " blocked while another "
                        + "thread closed the channel threw " + x.getCause() + "; expected AsynchronousCloseException");
            }
            assertThrows(ClosedChannelException.class, () -> within(STEP, call + " after close",
                    () -> receiving.on(e.local)), call + " after close");
            if (probe().properties.containsAll(EnumSet.of(Property.BIDIRECTIONAL, Property.RELIABLE))) {
                e.remote.sendLine("RECV " + STEP.toMillis());
                assertEquals("EOF", awaitAnswer(e.remote, "EOF"), "the peer must see end of stream after our close");
            }
        }
    }

    /**
     * A thread interrupted while blocked in receive gets {@link InterruptedIOException} (not a
     * timeout) within seconds, keeps its interrupt status, and the channel stays open: the next message
     * arrives whole.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void interruptWakesBlockedReceiveAndKeepsChannelOpenInProcess() throws Exception {
        interruptWakesBlockedReceiveAndKeepsChannelOpen(Where.IN_PROCESS);
    }

    /** As {@link #interruptWakesBlockedReceiveAndKeepsChannelOpenInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void interruptWakesBlockedReceiveAndKeepsChannelOpenWithPeerJvm() throws Exception {
        interruptWakesBlockedReceiveAndKeepsChannelOpen(Where.PEER_JVM);
    }

    /** A drain blocked for its first message is woken by an interrupt as a receive is. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void interruptWakesBlockedDrainAndKeepsChannelOpenInProcess() throws Exception {
        interruptWakesBlockedAndKeepsChannelOpen(Where.IN_PROCESS, "drain", c -> c.drain(m -> { }, 10, STEP.multipliedBy(3)));
    }

    /** As {@link #interruptWakesBlockedDrainAndKeepsChannelOpenInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void interruptWakesBlockedDrainAndKeepsChannelOpenWithPeerJvm() throws Exception {
        interruptWakesBlockedAndKeepsChannelOpen(Where.PEER_JVM, "drain", c -> c.drain(m -> { }, 10, STEP.multipliedBy(3)));
    }

    private void interruptWakesBlockedReceiveAndKeepsChannelOpen(Where where) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        interruptWakesBlockedAndKeepsChannelOpen(where, "receive", c -> c.receive(buffer, STEP.multipliedBy(3)));
    }

    private void interruptWakesBlockedAndKeepsChannelOpen(Where where, String call, ReceivingCall receiving) throws Exception {
        requireLocalReceives(where);
        try (Ends e = open(where, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            ByteBuffer buffer = ByteBuffer.allocate(Math.min(64, probe().maxMessageSize));
            CountDownLatch entering = new CountDownLatch(1);
            BoundedCall<Boolean> blocked = BoundedCall.start(call + " blocked until interrupted", () -> {
                entering.countDown();
                try {
                    int n = receiving.on(e.local);
                    throw new AssertionError("an interrupted " + call + " returned " + n + "; expected InterruptedIOException");
                } catch (IpcTimeoutException x) {
                    throw new AssertionError("an interrupted " + call + " ran to its timeout: " + x);
                } catch (InterruptedIOException x) {
                    return Thread.currentThread().isInterrupted();
                }
            });
            assertTrue(entering.await(STEP.toMillis(), TimeUnit.MILLISECONDS));
            awaitBlocked(blocked);
            blocked.thread().interrupt();
            Duration limit = Duration.ofSeconds(5);
            try {
                assertTrue(blocked.get(limit.toNanos(), TimeUnit.NANOSECONDS),
                        "the thread's interrupt status must be kept after InterruptedIOException");
            } catch (TimeoutException x) {
                fail("a " + call + " blocked on '" + e.local.address() + "' was not woken within " + limit + " by an interrupt");
            } catch (ExecutionException x) {
                throw new AssertionError("an interrupted " + call + " on '" + e.local.address() + "' failed: " + x.getCause(),
                        x.getCause());
            }
            assertTrue(e.local.isOpen(), "an interrupt must not close the channel");
            if (probe().properties.contains(Property.RELIABLE)) {
                int size = Math.min(20, probe().maxMessageSize);
                e.remote.sendLine("SEND 7 " + size);
                buffer.clear();
                int n = within(STEP, "receive after the interrupt", () -> e.local.receive(buffer, STEP));
                awaitAnswer(e.remote, "SENT 7");
                assertEquals(size, n, "the message after the interrupt");
                assertNull(ChannelPayload.mismatch(buffer.flip(), 0, 7, size));
            }
        }
    }

    /**
     * After {@code close()} (twice: it is idempotent) every send and receive throws
     * {@link ClosedChannelException}.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void useAfterCloseThrowsClosedChannelExceptionInProcess() throws Exception {
        useAfterCloseThrowsClosedChannelException(Where.IN_PROCESS);
    }

    /** As {@link #useAfterCloseThrowsClosedChannelExceptionInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void useAfterCloseThrowsClosedChannelExceptionWithPeerJvm() throws Exception {
        useAfterCloseThrowsClosedChannelException(Where.PEER_JVM);
    }

    private void useAfterCloseThrowsClosedChannelException(Where where) throws Exception {
        try (Ends e = open(where, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            Channel c = e.local;
            c.close();
            c.close();
            ByteBuffer buffer = ByteBuffer.allocate(64);
            ByteBuffer message = ChannelPayload.message(0, 0, Math.min(16, c.maxMessageSize()));
            List<Callable<Object>> calls = new ArrayList<>();
            List<String> names = new ArrayList<>();
            names.add("receive(buffer)");
            calls.add(() -> c.receive(buffer));
            names.add("receive(buffer, 1s)");
            calls.add(() -> c.receive(buffer, Duration.ofSeconds(1)));
            names.add("receive()");
            calls.add(c::receive);
            names.add("send(message)");
            calls.add(() -> {
                c.send(message);
                return null;
            });
            names.add("send(message, 1s)");
            calls.add(() -> {
                c.send(message, Duration.ofSeconds(1));
                return null;
            });
            for (int i = 0; i < calls.size(); i++) {
                Callable<Object> call = calls.get(i);
                String name = names.get(i);
                assertThrows(ClosedChannelException.class, () -> within(STEP, name + " after close", call),
                        name + " on a closed channel must throw ClosedChannelException");
            }
            assertEquals(0, message.position(), "a refused send must not move the buffer");
        }
    }

    // ----------------------------------------------------------------------------------------------
    // messages too large

    /**
     * A message longer than the receive buffer's remaining space throws {@link MessageTooLargeException}
     * naming both sizes, leaves the buffer untouched, and the message is then receivable with a larger
     * buffer unless {@code discarded()}; the next message is received whole either way.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void tooSmallBufferNamesBothSizesAndKeepsMessageInProcess() throws Exception {
        tooSmallBufferNamesBothSizesAndKeepsMessage(Where.IN_PROCESS);
    }

    /** As {@link #tooSmallBufferNamesBothSizesAndKeepsMessageInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void tooSmallBufferNamesBothSizesAndKeepsMessageWithPeerJvm() throws Exception {
        tooSmallBufferNamesBothSizesAndKeepsMessage(Where.PEER_JVM);
    }

    private void tooSmallBufferNamesBothSizesAndKeepsMessage(Where where) throws Exception {
        requireLocalReceives(where);
        int max = probe().maxMessageSize;
        assumeTrue(max > 20, () -> "maxMessageSize()=" + max + " is too small for this case (needs more than 20)");
        try (Ends e = open(where, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            int size = Math.min(100, max);
            e.remote.sendLine("SEND 0 " + size);
            awaitAnswer(e.remote, "SENT 0");
            e.remote.sendLine("SEND 1 20");
            awaitAnswer(e.remote, "SENT 1");
            ByteBuffer small = marked(10);
            MessageTooLargeException x = assertThrows(MessageTooLargeException.class,
                    () -> within(STEP, "receive into a 10-byte buffer", () -> e.local.receive(small, STEP)),
                    "a " + size + "-byte message received into a 10-byte buffer");
            assertEquals(size, x.size(), "MessageTooLargeException.size(): " + x.getMessage());
            assertEquals(10, x.limit(), "MessageTooLargeException.limit(): " + x.getMessage());
            assertTrue(x.getMessage().contains(String.valueOf(size)) && x.getMessage().contains("10"),
                    () -> "the message must name both sizes (" + size + " and 10): " + x.getMessage());
            assertEquals(0, small.position(), "a refused receive must not move the buffer's position");
            assertMarked(small, "a refused receive must not write into the buffer");
            ByteBuffer big = ByteBuffer.allocate(size);
            if (!x.discarded()) {
                int n = within(STEP, "receive of the kept message", () -> e.local.receive(big, STEP));
                assertEquals(size, n, "the message kept after MessageTooLargeException (discarded() is false)");
                assertNull(ChannelPayload.mismatch(big.flip(), 0, 0, size));
            }
            big.clear();
            int n = within(STEP, "receive of the next message", () -> e.local.receive(big, STEP));
            assertEquals(20, n, "the message after the too large one");
            assertNull(ChannelPayload.mismatch(big.flip(), 0, 1, 20));
        }
    }

    /**
     * {@link Channel#receive()} returns each message whole in an array of its size, including one
     * larger than the first buffer it tries ({@link Channel#FIRST_RECEIVE_BUFFER}) when the maximum allows.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void receiveIntoNewArraysReturnsEachMessageWholeInProcess() throws Exception {
        receiveIntoNewArraysReturnsEachMessageWhole(Where.IN_PROCESS);
    }

    /** As {@link #receiveIntoNewArraysReturnsEachMessageWholeInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void receiveIntoNewArraysReturnsEachMessageWholeWithPeerJvm() throws Exception {
        receiveIntoNewArraysReturnsEachMessageWhole(Where.PEER_JVM);
    }

    private void receiveIntoNewArraysReturnsEachMessageWhole(Where where) throws Exception {
        requireLocalReceives(where);
        require(where, "each message is checked in turn", Property.RELIABLE, Property.ORDERED);
        int max = probe().maxMessageSize;
        int[] sizes = {0, Math.min(5, max), Math.min(Channel.FIRST_RECEIVE_BUFFER * 3 + 7, max), Math.min(7, max)};
        try (Ends e = open(where, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            for (int seq = 0; seq < sizes.length; seq++) {
                e.remote.sendLine("SEND " + seq + " " + sizes[seq]);
                // received before the peer reports SENT: a large message may not fit the transport's buffer
                byte[] message = within(STEP, "receive() of message " + seq, () -> e.local.receive());
                awaitAnswer(e.remote, "SENT " + seq);
                assertEquals(sizes[seq], message.length, "length of message " + seq);
                assertNull(ChannelPayload.mismatch(ByteBuffer.wrap(message), 0, seq, sizes[seq]));
            }
        }
    }

    /** A send longer than {@code maxMessageSize()} throws {@link MessageTooLargeException} and sends nothing. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void tooLargeSendIsRefusedAndNothingSentInProcess() throws Exception {
        tooLargeSendIsRefusedAndNothingSent(Where.IN_PROCESS);
    }

    /** As {@link #tooLargeSendIsRefusedAndNothingSentInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void tooLargeSendIsRefusedAndNothingSentWithPeerJvm() throws Exception {
        tooLargeSendIsRefusedAndNothingSent(Where.PEER_JVM);
    }

    private void tooLargeSendIsRefusedAndNothingSent(Where where) throws Exception {
        require(where, "the peer counts what arrived", Property.RELIABLE);
        requireLocalSends(where);
        int max = probe().maxMessageSize;
        assumeTrue(max < (64 << 20), () -> "maxMessageSize()=" + max + " of " + backendName()
                + " is too large to exceed in a test (64 MiB or more)");
        try (Ends e = open(where, SinkPeer.class, SinkPeer::run, "1", "1", "40")) {
            ByteBuffer tooLarge = ByteBuffer.allocate(max + 1);
            for (Duration timeout : new Duration[] {null, Duration.ofSeconds(1)}) {
                String call = timeout == null ? "send(message)" : "send(message, " + timeout + ")";
                MessageTooLargeException x = assertThrows(MessageTooLargeException.class, () -> within(STEP, call, () -> {
                    if (timeout == null) {
                        e.local.send(tooLarge);
                    } else {
                        e.local.send(tooLarge, timeout);
                    }
                    return null;
                }), call + " of " + (max + 1) + " bytes, maxMessageSize()=" + max);
                assertEquals(max + 1, x.size(), "MessageTooLargeException.size(): " + x.getMessage());
                assertEquals(max, x.limit(), "MessageTooLargeException.limit(): " + x.getMessage());
                assertTrue(x.getMessage().contains(String.valueOf(max + 1)) && x.getMessage().contains(String.valueOf(max)),
                        () -> "the message must name both sizes (" + (max + 1) + " and " + max + "): " + x.getMessage());
                assertEquals(0, tooLarge.position(), "a refused send must not move the buffer's position");
            }
            int size = Math.min(40, max);
            ChannelTally sent = new ChannelTally(new int[] {size});
            ByteBuffer ok = ChannelPayload.message(0, 0, size);
            sent.accept(ok);
            within(STEP, "send of a message after the refused one", () -> {
                e.local.send(ok);
                return null;
            });
            e.local.close();
            String line = e.remote.awaitLineStartingWith("RECEIVED ", STEP);
            checkTransfer("after a refused send", sent.summary(1, 1), line, 1, true);
        }
    }

    // ----------------------------------------------------------------------------------------------
    // drain

    /**
     * Messages taken with {@link Channel#drain(org.ipc4j.MessageHandler, int, Duration)} in batches of
     * at most 64 arrive whole, in order, none lost or doubled, each way.
     */
    @Test
    @Timeout(value = 180, threadMode = ThreadMode.SEPARATE_THREAD)
    void drainHandsOverEveryMessageInOrderInProcess() throws Exception {
        drainHandsOverEveryMessageInOrder(Where.IN_PROCESS);
    }

    /** As {@link #drainHandsOverEveryMessageInOrderInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 180, threadMode = ThreadMode.SEPARATE_THREAD)
    void drainHandsOverEveryMessageInOrderWithPeerJvm() throws Exception {
        drainHandsOverEveryMessageInOrder(Where.PEER_JVM);
    }

    private void drainHandsOverEveryMessageInOrder(Where where) throws Exception {
        require(where, "order and boundaries are checked message by message", Property.RELIABLE, Property.ORDERED);
        for (Direction d : directions()) {
            transfer(where, d, Math.min(bulkMessages(), 20_000), 1, "16,0,1,100,64,4096,33,24", true, 64);
        }
    }

    /**
     * A drain returns 0 when nothing arrives within its timeout (at once for {@link Duration#ZERO}),
     * hands over at most {@code maxMessages}, gives the handler read-only buffers, passes on the
     * handler's exception with that message consumed and the next still waiting, and returns -1 at end
     * of stream.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void drainTimesOutBoundsItsBatchAndPassesOnTheHandlersExceptionInProcess() throws Exception {
        drainTimesOutBoundsItsBatchAndPassesOnTheHandlersException(Where.IN_PROCESS);
    }

    /** As {@link #drainTimesOutBoundsItsBatchAndPassesOnTheHandlersExceptionInProcess()}, with a peer JVM. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void drainTimesOutBoundsItsBatchAndPassesOnTheHandlersExceptionWithPeerJvm() throws Exception {
        drainTimesOutBoundsItsBatchAndPassesOnTheHandlersException(Where.PEER_JVM);
    }

    private void drainTimesOutBoundsItsBatchAndPassesOnTheHandlersException(Where where) throws Exception {
        require(where, "messages are checked one by one, and end of stream needs a connection",
                Property.RELIABLE, Property.ORDERED);
        requireLocalReceives(where);
        try (Ends e = open(where, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            int size = Math.min(40, e.local.maxMessageSize());
            List<ByteBuffer> got = new ArrayList<>();
            org.ipc4j.MessageHandler keep = m -> {
                assertTrue(m.isReadOnly(), "the handler's buffer must be read-only");
                got.add(ByteBuffer.allocate(m.remaining()).put(m).flip());
            };
            for (Duration timeout : List.of(Duration.ZERO, Duration.ofMillis(300))) {
                long start = System.nanoTime();
                int n = within(STEP, "drain with nothing to take, timeout " + timeout,
                        () -> e.local.drain(keep, 10, timeout));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertEquals(0, n, "a drain that found nothing within " + timeout + " must return 0");
                assertTrue(took.compareTo(timeout) >= 0 && took.compareTo(timeout.plus(LATE)) <= 0,
                        () -> "a drain with timeout " + timeout + " returned after " + took);
            }
            assertTrue(got.isEmpty(), "nothing was sent, yet the handler got " + got.size() + " messages");

            for (int seq = 0; seq < 3; seq++) {
                e.remote.sendLine("SEND " + seq + " " + size);
                awaitAnswer(e.remote, "SENT " + seq);
            }
            assertEquals(1, (int) within(STEP, "drain of at most 1", () -> e.local.drain(keep, 1, STEP)),
                    "a drain with maxMessages=1 and three messages waiting");
            while (got.size() < 3) {
                int n = within(STEP, "drain of the other two", () -> e.local.drain(keep, 10, STEP));
                assertTrue(n >= 1 && n <= 3 - (got.size() - n), "drain returned " + n + " with "
                        + got.size() + " of 3 messages handed over");
            }
            assertEquals(3, got.size(), "messages handed over");
            for (int seq = 0; seq < 3; seq++) {
                assertNull(ChannelPayload.mismatch(got.get(seq), 0, seq, size), "drained message " + seq);
            }

            for (int seq = 3; seq < 5; seq++) {
                e.remote.sendLine("SEND " + seq + " " + size);
                awaitAnswer(e.remote, "SENT " + seq);
            }
            IOException failure = new IOException("the handler failed on purpose");
            IOException thrown = assertThrows(IOException.class, () -> within(STEP, "drain with a failing handler",
                    () -> e.local.drain(m -> {
                        throw failure;
                    }, 10, STEP)));
            assertTrue(thrown == failure, () -> "drain must pass on the handler's own exception, not " + thrown);
            ByteBuffer buffer = ByteBuffer.allocate(64);
            within(STEP, "receive after the handler failed", () -> e.local.receive(buffer, STEP));
            assertNull(ChannelPayload.mismatch(buffer.flip(), 0, 4, size),
                    "the message the handler failed on counts as received; the next one must still be waiting");

            e.remote.sendLine("CLOSE");
            assertEquals(0, e.remote.awaitExit(STEP), "the command peer's exit code");
            assertEquals(-1, (int) within(STEP, "drain at end of stream", () -> e.local.drain(keep, 10, STEP)),
                    "a timed drain at end of stream");
            assertEquals(-1, (int) within(STEP, "untimed drain at end of stream", () -> e.local.drain(keep, 10)),
                    "an untimed drain at end of stream");
            assertEquals(5 - 2, got.size(), "the handler must not be called at end of stream");
        }
    }

    /**
     * A drain handler may close its channel: the drain ends without hanging, and the channel is then
     * closed. In-process only.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void aDrainHandlerMayCloseItsChannelInProcess() throws Exception {
        require(Where.IN_PROCESS, "the messages must be there", Property.RELIABLE);
        requireLocalReceives(Where.IN_PROCESS);
        try (Ends e = open(Where.IN_PROCESS, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            int size = Math.min(16, e.local.maxMessageSize());
            for (int seq = 0; seq < 2; seq++) {
                e.remote.sendLine("SEND " + seq + " " + size);
                awaitAnswer(e.remote, "SENT " + seq);
            }
            int n = within(STEP, "drain whose handler closes the channel", () -> e.local.drain(m -> e.local.close(), 10, STEP));
            assertEquals(1, n, "the handler closed the channel on the first message; the drain must stop there");
            assertTrue(!e.local.isOpen(), "the handler closed the channel");
            assertThrows(ClosedChannelException.class, () -> within(STEP, "drain after close",
                    () -> e.local.drain(m -> { }, 10, STEP)), "drain after close");
        }
    }

    /**
     * Bad drain arguments are refused before anything is taken: {@code maxMessages} below 1 with
     * {@link IllegalArgumentException} naming it and the channel, a null handler with
     * {@link NullPointerException}, a negative timeout with {@link IllegalArgumentException}; the
     * message waiting is then received whole. In-process only.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void badDrainArgumentsAreRefusedAndTakeNothingInProcess() throws Exception {
        require(Where.IN_PROCESS, "the waiting message is checked", Property.RELIABLE);
        requireLocalReceives(Where.IN_PROCESS);
        try (Ends e = open(Where.IN_PROCESS, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            int size = Math.min(16, e.local.maxMessageSize());
            e.remote.sendLine("SEND 9 " + size);
            awaitAnswer(e.remote, "SENT 9");
            for (int max : new int[] {0, -1, Integer.MIN_VALUE}) {
                IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                        () -> e.local.drain(m -> fail("handler called"), max, STEP), "drain with maxMessages=" + max);
                assertTrue(x.getMessage().contains("maxMessages") && x.getMessage().contains("at least 1")
                        && x.getMessage().contains(e.local.address()),
                        () -> "the message must name maxMessages, what is allowed and the channel: " + x.getMessage());
            }
            assertThrows(NullPointerException.class, () -> e.local.drain(null, 10, STEP), "drain with a null handler");
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> within(STEP, "drain with a negative timeout",
                            () -> e.local.drain(m -> fail("handler called"), 10, Duration.ofMillis(-5))));
            assertTrue(negative.getMessage().toLowerCase(Locale.ROOT).contains("timeout"),
                    () -> "the message must name the timeout: " + negative.getMessage());
            ByteBuffer buffer = ByteBuffer.allocate(64);
            within(STEP, "receive after the refused drains", () -> e.local.receive(buffer, STEP));
            assertNull(ChannelPayload.mismatch(buffer.flip(), 0, 9, size), "the message waiting during the refused drains");
        }
    }

    // ----------------------------------------------------------------------------------------------
    // bad arguments

    /** A negative timeout is refused with {@link IllegalArgumentException} naming the timeout. In-process only. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void negativeTimeoutIsRefusedInProcess() throws Exception {
        try (Ends e = open(Where.IN_PROCESS, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
            Duration negative = Duration.ofMillis(-5);
            Set<Property> props = e.local.properties();
            List<String> calls = new ArrayList<>();
            if (props.contains(Property.BIDIRECTIONAL) || !e.fixture.localEndSends()) {
                calls.add("receive");
            }
            if (props.contains(Property.BIDIRECTIONAL) || e.fixture.localEndSends()) {
                calls.add("send");
            }
            for (String call : calls) {
                ByteBuffer buffer = call.equals("send") ? ChannelPayload.message(0, 0, Math.min(16, e.local.maxMessageSize()))
                        : ByteBuffer.allocate(64);
                IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                        () -> within(STEP, call + "(buffer, " + negative + ")", () -> {
                            if (call.equals("send")) {
                                e.local.send(buffer, negative);
                                return null;
                            }
                            return e.local.receive(buffer, negative);
                        }), call + " with a negative timeout");
                assertTrue(x.getMessage() != null && x.getMessage().toLowerCase(Locale.ROOT).contains("timeout"),
                        () -> "the message must name the timeout: " + x.getMessage());
                assertEquals(0, buffer.position(), "a refused " + call + " must not move the buffer");
            }
        }
    }

    // ----------------------------------------------------------------------------------------------
    // machinery

    /** Which way messages go in a transfer. */
    private enum Direction {
        REMOTE_TO_LOCAL, LOCAL_TO_REMOTE
    }

    /** What the channel says about itself, read once per test class. */
    private static final class Probe {
        final Set<Property> properties;
        final boolean localEndSends;
        final int maxMessageSize;

        Probe(Set<Property> properties, boolean localEndSends, int maxMessageSize) {
            this.properties = properties.isEmpty() ? EnumSet.noneOf(Property.class) : EnumSet.copyOf(properties);
            this.localEndSends = localEndSends;
            this.maxMessageSize = maxMessageSize;
        }
    }

    /** The two ends of one case, and what made them. */
    private static final class Ends implements AutoCloseable {
        final ChannelFixture fixture;
        final Peer remote;
        final Channel local;

        Ends(ChannelFixture fixture, Peer remote, Channel local) {
            this.fixture = fixture;
            this.remote = remote;
            this.local = local;
        }

        @Override
        public void close() throws IOException {
            try {
                local.close();
            } finally {
                try {
                    remote.close();
                } finally {
                    fixture.close();
                }
            }
        }
    }

    private Probe probe() throws IOException {
        Probe p = PROBES.get(getClass());
        if (p == null) {
            try (Ends e = open(Where.IN_PROCESS, ChannelCommandPeer.class, ChannelCommandPeer::run)) {
                p = new Probe(e.local.properties(), e.fixture.localEndSends(), e.local.maxMessageSize());
            }
            PROBES.put(getClass(), p);
            System.out.println("[contract] " + backendName() + ": properties " + p.properties + ", maxMessageSize "
                    + p.maxMessageSize + (p.properties.contains(Property.BIDIRECTIONAL) ? ""
                    : p.localEndSends ? ", one-way: the local end sends" : ", one-way: the local end receives"));
        }
        return p;
    }

    private void requireCrossProcess(Where where) {
        if (where == Where.PEER_JVM) {
            assumeTrue(crossProcess(), () -> backendName() + " channels cannot leave this JVM (crossProcess() is false)");
        }
    }

    private void require(Where where, String why, Property... needed) throws IOException {
        requireCrossProcess(where);
        Set<Property> props = probe().properties;
        for (Property p : needed) {
            assumeTrue(props.contains(p), () -> "the channel of " + backendName() + " does not declare " + p + " ("
                    + props + "), which this case needs: " + why);
        }
    }

    private void requireLocalReceives(Where where) throws IOException {
        requireCrossProcess(where);
        Probe p = probe();
        assumeTrue(p.properties.contains(Property.BIDIRECTIONAL) || !p.localEndSends, () -> "the channel of "
                + backendName() + " is one-way (no BIDIRECTIONAL) and its local end only sends; this case receives");
    }

    private void requireLocalSends(Where where) throws IOException {
        requireCrossProcess(where);
        Probe p = probe();
        assumeTrue(p.properties.contains(Property.BIDIRECTIONAL) || p.localEndSends, () -> "the channel of "
                + backendName() + " is one-way (no BIDIRECTIONAL) and its local end only receives; this case sends");
    }

    private List<Direction> directions() throws IOException {
        Probe p = probe();
        if (p.properties.contains(Property.BIDIRECTIONAL)) {
            return List.of(Direction.REMOTE_TO_LOCAL, Direction.LOCAL_TO_REMOTE);
        }
        return List.of(p.localEndSends ? Direction.LOCAL_TO_REMOTE : Direction.REMOTE_TO_LOCAL);
    }

    private String uniqueName() {
        return "t" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /**
     * Makes a fixture, starts the remote end ({@code program} on a thread, or {@code peerClass} in a
     * peer JVM, with the fixture's remote address and then {@code args}), opens the local end, and
     * waits for the remote end's {@code READY}.
     */
    private Ends open(Where where, Class<?> peerClass, ChannelPeer.Program program, String... args) throws IOException {
        requireCrossProcess(where);
        ChannelFixture fixture = newFixture(uniqueName());
        Peer remote = null;
        try {
            System.out.println("[contract] " + backendName() + ": " + peerClass.getSimpleName() + " " + String.join(" ", args)
                    + (where == Where.IN_PROCESS ? " in a thread" : " in a peer JVM") + ", " + fixture);
            if (where == Where.IN_PROCESS) {
                remote = ChannelThreadPeer.start(peerClass.getSimpleName(), fixture.remoteAddress(), program, List.of(args));
            } else {
                PeerJvm.Builder builder = PeerJvm.builder(peerClass).args(fixture.remoteAddress()).args(args);
                configurePeer(builder);
                remote = fixture.startPeer(builder);
            }
            Channel local = openLocal(fixture, remote);
            try {
                remote.awaitReady(STEP);
            } catch (RuntimeException | Error x) {
                local.close();
                throw x;
            }
            return new Ends(fixture, remote, local);
        } catch (IOException | RuntimeException | Error x) {
            if (remote != null) {
                remote.close();
            }
            try {
                fixture.close();
            } catch (IOException | RuntimeException y) {
                x.addSuppressed(y);
            }
            throw x;
        }
    }

    /**
     * Opens the local end while watching the remote one: if the remote end dies first (a peer JVM
     * that could not start, a program that threw), fail at once with its output instead of waiting
     * out the open's timeout.
     */
    private static Channel openLocal(ChannelFixture fixture, Peer remote) throws IOException {
        BoundedCall<Channel> opening = BoundedCall.start("open the local end", () -> fixture.openLocal(STEP));
        long deadline = System.nanoTime() + STEP.plus(LATE).toNanos();
        try {
            while (true) {
                try {
                    return opening.get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!remote.isAlive()) {
                        try {
                            // it may have connected and finished already: give the open a moment
                            return opening.get(5, TimeUnit.SECONDS);
                        } catch (TimeoutException again) {
                            throw new AssertionError("the remote end (" + remote + ") ended before the local end of "
                                    + fixture + " was open; its output:\n" + String.join("\n", remote.output()));
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("opening the local end of " + fixture + " did not return within "
                                + STEP.plus(LATE));
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException x) {
                throw x;
            }
            if (cause instanceof RuntimeException x) {
                throw x;
            }
            if (cause instanceof Error x) {
                throw x;
            }
            throw new IOException("opening the local end of " + fixture + " failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while opening the local end of " + fixture);
        }
    }

    private void transfer(Where where, Direction direction, long count, int streams, String sizes, boolean ordered)
            throws Exception {
        transfer(where, direction, count, streams, sizes, ordered, 0);
    }

    /**
     * Sends {@code count} messages per stream one way and checks what arrived. The receiving end
     * takes them with {@code receive}, or, if {@code drainBatch} is positive, with
     * {@code drain(handler, drainBatch, ...)}.
     */
    private void transfer(Where where, Direction direction, long count, int streams, String sizes, boolean ordered,
            int drainBatch) throws Exception {
        long total = count * streams;
        if (direction == Direction.REMOTE_TO_LOCAL) {
            try (Ends e = open(where, SourcePeer.class, SourcePeer::run, String.valueOf(count), sizes,
                    String.valueOf(streams), "close")) {
                int[] list = ChannelPayload.parseSizes(sizes, e.local.maxMessageSize());
                ChannelTally received = new ChannelTally(list);
                ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, largest(list)));
                within(STEP.multipliedBy(4), "receiving " + total + " messages", () -> {
                    while (true) {
                        if (drainBatch > 0) {
                            int n = e.local.drain(received::accept, drainBatch, STEP);
                            assertTrue(n != 0, () -> "drain on '" + e.local.address() + "' got nothing within " + STEP);
                            assertTrue(n <= drainBatch, "drain handed over " + n + " messages, over maxMessages=" + drainBatch);
                            if (n < 0) {
                                return null;
                            }
                            continue;
                        }
                        buffer.clear();
                        if (e.local.receive(buffer, STEP) < 0) {
                            return null;
                        }
                        received.accept(buffer.flip());
                    }
                });
                String sent = e.remote.awaitLineStartingWith("SENT ", STEP);
                assertEquals(0, e.remote.awaitExit(STEP), "the source peer's exit code");
                checkTransfer("remote to local", sent, received.summary(count, streams), total, ordered);
            }
        } else {
            String[] args = drainBatch > 0
                    ? new String[] {String.valueOf(count), String.valueOf(streams), sizes, "drain=" + drainBatch}
                    : new String[] {String.valueOf(count), String.valueOf(streams), sizes};
            try (Ends e = open(where, SinkPeer.class, SinkPeer::run, args)) {
                int[] list = ChannelPayload.parseSizes(sizes, e.local.maxMessageSize());
                ChannelTally sent = within(STEP.multipliedBy(4), "sending " + total + " messages",
                        () -> SourcePeer.send(e.local, count, list, streams));
                e.local.close();
                String received = e.remote.awaitLineStartingWith("RECEIVED ", STEP.multipliedBy(2));
                assertEquals(0, e.remote.awaitExit(STEP), "the sink peer's exit code");
                checkTransfer("local to remote", sent.summary(count, streams), received, total, ordered);
            }
        }
    }

    private static void checkTransfer(String what, String sentLine, String receivedLine, long total, boolean ordered) {
        Map<String, String> sent = ChannelTally.parse(sentLine);
        Map<String, String> received = ChannelTally.parse(receivedLine);
        String context = what + ": sent [" + sentLine.replaceFirst("^SENT ", "") + "], received ["
                + receivedLine.replaceFirst("^RECEIVED ", "") + "]";
        assertEquals("0", received.get("corrupt"), "messages damaged, cut or interleaved; " + context);
        assertEquals("0", received.get("lost"), "messages lost; " + context);
        assertEquals("0", received.get("duplicated"), "messages duplicated; " + context);
        if (ordered) {
            assertEquals("0", received.get("outOfOrder"), "messages out of order on an ORDERED channel; " + context);
        }
        assertEquals(String.valueOf(total), received.get("count"), "messages received; " + context);
        assertEquals(sent.get("checksum"), received.get("checksum"), "checksum; " + context);
    }

    private static String awaitAnswer(Peer remote, String expected) {
        String line = remote.awaitLine(l -> l.equals(expected) || l.startsWith("ERROR") || l.startsWith("TIMEOUT")
                || l.startsWith("GOT") || l.equals("EOF"), STEP);
        assertEquals(expected, line, "the peer's answer");
        return line;
    }

    private static int largest(int[] sizes) {
        int m = 0;
        for (int s : sizes) {
            m = Math.max(m, s);
        }
        return m;
    }

    private static ByteBuffer marked(int capacity) {
        ByteBuffer b = ByteBuffer.allocate(capacity);
        while (b.hasRemaining()) {
            b.put(MARK);
        }
        return b.clear();
    }

    private static void assertMarked(ByteBuffer b, String message) {
        for (int i = 0; i < b.capacity(); i++) {
            assertEquals(MARK, b.get(i), message + " (byte " + i + " changed)");
        }
    }

    /** A call running on its own daemon thread. */
    /**
     * Runs {@code call} with a deadline: its result, or its exception rethrown.
     *
     * @throws AssertionError if it did not return within {@code limit}
     */
    static <T> T within(Duration limit, String what, Callable<T> call) throws Exception {
        return BoundedCall.within(limit, what, call);
    }

    /**
     * Waits until the task's thread is parked or blocked (a receive implemented in Java), or for at
     * most one second (a receive blocked in native code shows as RUNNABLE).
     */
    private static void awaitBlocked(BoundedCall<?> task) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline && !task.isDone()) {
            Thread.State s = task.thread().getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
