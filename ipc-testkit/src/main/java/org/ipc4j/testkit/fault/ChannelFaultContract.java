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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipc4j.Channel;
import org.ipc4j.Channel.Property;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.testkit.BoundedCall;
import org.ipc4j.testkit.Peer;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.contract.ChannelFixture;
import org.ipc4j.testkit.peer.ChannelCommandPeer;
import org.ipc4j.testkit.peer.ChannelPayload;
import org.ipc4j.testkit.peer.ChannelTally;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * What a {@link Channel} backend must survive: its peer JVM killed with SIGKILL at named points, a
 * signal storm at the thread blocked in receive, and a full file system where it creates its file.
 * Extend it and implement {@link #newFixture(String)}, as for
 * {@link org.ipc4j.testkit.contract.ChannelContract}.
 *
 * <p>Every case asserts that no call hangs past its deadline (seconds), that the fault shows as a
 * typed {@code IOException} or end of stream, and, on a {@code RELIABLE} channel, that every message
 * the peer's {@code send} returned for before the kill arrives exactly once, whole (sequence numbers
 * and checksums, {@link ChannelTally}). Cases that do not apply are skipped with the reason.
 */
public abstract class ChannelFaultContract {
    /** The longest a step (a peer starting, an open, a report) may take. */
    protected static final Duration STEP = Duration.ofSeconds(30);
    /** How soon a peer's death must be seen. */
    protected static final Duration DEATH = Duration.ofSeconds(10);
    /** How much later than its timeout a timed call may return. */
    protected static final Duration LATE = Duration.ofSeconds(2);

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String SIZES = "16,40,100,24,64,17";

    /** For subclasses. */
    protected ChannelFaultContract() {
    }

    /** A fresh pair of ends, as {@link org.ipc4j.testkit.contract.ChannelContract#newFixture}. */
    protected abstract ChannelFixture newFixture(String uniqueName) throws IOException;

    /** The backend's name in skip reasons and logs. */
    protected String backendName() {
        return getClass().getSimpleName();
    }

    /** Adjusts every peer JVM before it starts (flags, log name). */
    protected void configurePeer(PeerJvm.Builder peer) {
    }

    /**
     * For the full-tmpfs case: {@code "listen <address>"} or {@code "connect <address>"} that makes
     * this backend create a file named after {@code uniqueName} in {@code directory}; null (the
     * default) if the backend keeps no file (the case is then skipped).
     */
    protected String creationIn(Path directory, String uniqueName) {
        return null;
    }

    /**
     * The directory the full-tmpfs case mounts over; null (the default) for a fresh directory under
     * {@code /tmp}. A backend whose files always live in one place ({@code /dev/shm}) returns it.
     */
    protected Path creationDirectory() {
        return null;
    }

    // ------------------------------------------------------------------------------------------ cases

    /**
     * The peer is killed before it connects: opening the local end gives up within seconds with an
     * {@code IOException}, or opens an end whose receive times out or sees end of stream.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void peerKilledBeforeConnect() throws Exception {
        try (ChannelFixture fixture = newFixture(uniqueName())) {
            Peer peer = fixture.startPeer(peer(fixture, "before-connect"));
            try {
                peer.awaitLineStartingWith("BEFORE_CONNECT", STEP);
                peer.kill();
                long start = System.nanoTime();
                Channel local;
                try {
                    local = BoundedCall.within(DEATH.plus(LATE), "opening the local end of " + fixture
                            + " after the peer was killed before connecting", () -> fixture.openLocal(Duration.ofSeconds(2)));
                } catch (IOException x) {
                    System.out.println("[fault] " + backendName() + ": open after the peer died before connecting: " + x);
                    return;
                }
                try (Channel c = local) {
                    Set<Property> props = c.properties();
                    if (props.contains(Property.BIDIRECTIONAL) || !fixture.localEndSends()) {
                        ByteBuffer buffer = ByteBuffer.allocate(Math.max(1, c.maxMessageSize()));
                        try {
                            int n = BoundedCall.within(Duration.ofSeconds(1).plus(LATE), "receive on " + c.address(),
                                    () -> c.receive(buffer, Duration.ofSeconds(1)));
                            assertEquals(-1, n, "a peer killed before connecting sent a message of " + n + " bytes");
                        } catch (IOException x) {
                            // a timeout or a typed error: both are clean
                        }
                    }
                }
                assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(DEATH.plus(LATE)) <= 0,
                        "the peer killed before connecting was not dealt with within " + DEATH.plus(LATE));
            } finally {
                peer.close();
            }
        }
    }

    /**
     * The peer is killed after connecting, before any message: a receive sees end of stream (or an
     * {@code IOException}) within {@link #DEATH}, and sends fail within {@link #DEATH}.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void peerKilledAfterConnectBeforeFirstMessage() throws Exception {
        try (Ends e = open("idle")) {
            e.peer.kill();
            boolean reliable = e.props.contains(Property.RELIABLE);
            if (e.localReceives()) {
                ByteBuffer buffer = ByteBuffer.allocate(Math.max(1, e.local.maxMessageSize()));
                // without a connection a dead peer is only silence: a short timeout shows the receive still ends
                Duration wait = reliable ? DEATH : Duration.ofSeconds(1);
                try {
                    int n = BoundedCall.within(wait.plus(LATE), "receive after the peer was killed",
                            () -> e.local.receive(buffer, wait));
                    assertEquals(-1, n, "the peer was killed before sending, yet a message of " + n + " bytes arrived");
                } catch (IpcTimeoutException x) {
                    assertFalse(reliable, () -> "a RELIABLE channel must see its peer's death within " + DEATH
                            + " as end of stream or an IOException, not a timeout: " + x);
                } catch (IOException x) {
                    System.out.println("[fault] " + backendName() + ": receive after the peer died: " + x);
                }
            }
            if (reliable && e.localSends()) {
                assertSendFailsSoon(e.local);
            }
        }
    }

    /**
     * The peer streams messages and is killed at a random count, {@link FaultRandom#rounds()} times
     * (seeded, the seed printed): every message whose send returned before the kill (the peer says
     * {@code ACKED n}) arrives exactly once, whole, in order if {@code ORDERED}; then end of stream
     * (or an {@code IOException}) within {@link #DEATH}. On a channel that is not {@code RELIABLE}:
     * nothing duplicated or damaged, and the receive times out cleanly.
     */
    @Test
    @Timeout(value = 180, threadMode = ThreadMode.SEPARATE_THREAD)
    void peerKilledMidStreamAtRandomCounts() throws Exception {
        Random random = FaultRandom.create(backendName() + " peerKilledMidStreamAtRandomCounts");
        int rounds = FaultRandom.rounds();
        for (int round = 0; round < rounds; round++) {
            long acked = 1 + random.nextInt(3000);
            try (Ends e = open("stream", SIZES, String.valueOf(acked))) {
                assumeTrue(e.localReceives(), () -> "the local end of " + backendName() + " only sends; this case receives");
                boolean reliable = e.props.contains(Property.RELIABLE);
                int[] sizes = ChannelPayload.parseSizes(SIZES, e.local.maxMessageSize());
                ChannelTally tally = new ChannelTally(sizes);
                ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, e.local.maxMessageSize()));
                Duration wait = reliable ? DEATH : Duration.ofSeconds(1);
                BoundedCall<String> drain = BoundedCall.start("receiving from the peer to be killed", () -> {
                    while (true) {
                        buffer.clear();
                        int n;
                        try {
                            n = e.local.receive(buffer, wait);
                        } catch (IpcTimeoutException x) {
                            if (reliable) {
                                throw new AssertionError("a RELIABLE channel did not report its killed peer within "
                                        + wait + " (end of stream or an IOException): " + x, x);
                            }
                            return "timeout";
                        } catch (IOException x) {
                            return x.toString();
                        }
                        if (n < 0) {
                            return "end of stream";
                        }
                        tally.accept(buffer.flip());
                    }
                });
                e.peer.awaitLineStartingWith("ACKED ", STEP);
                e.peer.kill();
                String end = drain.result(STEP.plus(DEATH));
                String summary = tally.summary(acked, 1);
                System.out.println("[fault] " + backendName() + " round " + round + ": killed after ACKED " + acked
                        + "; received " + summary + "; then " + end);
                Map<String, String> got = ChannelTally.parse(summary);
                assertEquals("0", got.get("corrupt"), "damaged messages; " + summary);
                assertEquals("0", got.get("duplicated"), "duplicated messages; " + summary);
                if (reliable) {
                    assertEquals("0", got.get("lost"), "messages acknowledged before the kill were lost; " + summary);
                    assertTrue(tally.count() >= acked, "fewer messages than acknowledged; " + summary);
                }
                if (reliable && e.props.contains(Property.ORDERED)) {
                    assertEquals("0", got.get("outOfOrder"), "messages out of order on an ORDERED channel; " + summary);
                }
            }
        }
    }

    /**
     * The peer is killed while blocked in receive: the local end's sends fail with an
     * {@code IOException} within {@link #DEATH} (never hang on a full channel). {@code RELIABLE}
     * channels only: a datagram channel has no peer to lose.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void peerKilledWhileBlockedInReceive() throws Exception {
        try (Ends e = open("receive")) {
            assumeTrue(e.props.contains(Property.RELIABLE), () -> "the channel of " + backendName()
                    + " is not RELIABLE: a datagram channel has no connection to its peer to lose");
            assumeTrue(e.localSends(), () -> "the local end of " + backendName() + " only receives: the peer cannot block"
                    + " in receive on a one-way channel it sends on");
            e.peer.awaitLineStartingWith("RECEIVING", STEP);
            e.peer.kill();
            assertSendFailsSoon(e.local);
        }
    }

    /**
     * A storm of signals (about 1 kHz, see {@link SignalStorm}) at the thread blocked in receive:
     * a timed receive still throws {@link IpcTimeoutException} no earlier than its timeout and at most
     * 500 ms after it, and an untimed receive keeps waiting and returns the message sent
     * during the storm, whole.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void signalStormWhileBlockedInReceive() throws Exception {
        try (Ends e = open(ChannelCommandPeer.class)) {
            assumeTrue(e.localReceives(), () -> "the local end of " + backendName() + " only sends; this case receives");
            Duration timed = Duration.ofSeconds(1);
            ByteBuffer buffer = ByteBuffer.allocate(Math.max(64, Math.min(4096, e.local.maxMessageSize())));
            StormedCall<Integer> call = StormedCall.start("receive", timed, () -> e.local.receive(buffer, timed), () -> {
                buffer.clear();
                return e.local.receive(buffer);
            });
            try (SignalStorm storm = call.storm()) {
                call.assertTimedCallTimedOut(x -> x instanceof IpcTimeoutException);
                storm.awaitSent(2000, STEP);
                assertFalse(call.isDone(), "receive() returned during the signal storm before anything was sent");
                int size = Math.min(40, e.local.maxMessageSize());
                e.peer.sendLine("SEND 7 " + size);
                int n = call.result(STEP);
                assertEquals(size, n, "the message sent during the signal storm");
                assertNull(ChannelPayload.mismatch(buffer.flip(), 0, 7, size), "the message sent during the storm");
                call.assertStormed(storm, backendName());
            }
        }
    }

    /**
     * A peer in a private mount namespace fills a small tmpfs mounted over
     * {@link #creationDirectory()} and creates the backend's file there: refused with an
     * {@code IpcException} that names the object, no crash. Skipped for backends that keep no file.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void creationInAFullTmpfsIsRefusedCleanly() throws Exception {
        String reason = FullTmpfs.unavailableReason();
        assumeTrue(reason == null, reason);
        String name = uniqueName();
        Path dir = creationDirectory();
        boolean made = dir == null;
        if (made) {
            dir = Files.createTempDirectory(Path.of("/tmp"), "ipcfull");
        }
        try {
            String spec = creationIn(dir, name);
            assumeTrue(spec != null, () -> backendName() + " keeps no file for a channel: a full file system cannot refuse it");
            String[] kindAndAddress = spec.split(" ", 2);
            PeerJvm.Builder builder = FullTmpfs.peer(dir, kindAndAddress[0], kindAndAddress[1]);
            configurePeer(builder);
            try (PeerJvm peer = builder.start()) {
                FullTmpfs.assertRefused(peer, name, STEP);
            }
        } finally {
            if (made) {
                Files.deleteIfExists(dir);
            }
        }
    }

    // ------------------------------------------------------------------------------------ machinery

    private static void assertSendFailsSoon(Channel local) throws Exception {
        long deadline = System.nanoTime() + DEATH.toNanos();
        ByteBuffer message = ChannelPayload.message(0, 0, Math.min(16, local.maxMessageSize()));
        int sent = 0;
        while (System.nanoTime() < deadline) {
            try {
                BoundedCall.within(Duration.ofSeconds(1).plus(LATE), "send to a killed peer", () -> {
                    local.send(message.rewind(), Duration.ofSeconds(1));
                    return null;
                });
                sent++;
            } catch (IpcTimeoutException x) {
                // full: keep trying until the death is seen
            } catch (IOException x) {
                System.out.println("[fault] send to the killed peer failed after " + sent + " sends: " + x);
                return;
            }
        }
        fail("sends to the killed peer kept succeeding or timing out for " + DEATH + " (" + sent
                + " went through); expected PeerClosedException or another IOException");
    }

    private String uniqueName() {
        return "f" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    private PeerJvm.Builder peer(ChannelFixture fixture, String... args) {
        PeerJvm.Builder b = PeerJvm.builder(FaultChannelPeer.class).args(fixture.remoteAddress()).args(args);
        configurePeer(b);
        return b;
    }

    private Ends open(String... args) throws Exception {
        return open(FaultChannelPeer.class, args);
    }

    /** Makes a fixture, starts the peer, opens the local end meanwhile, waits for READY. */
    private Ends open(Class<?> peerClass, String... args) throws Exception {
        ChannelFixture fixture = newFixture(uniqueName());
        Peer peer = null;
        try {
            PeerJvm.Builder b = PeerJvm.builder(peerClass).args(fixture.remoteAddress()).args(List.of(args));
            configurePeer(b);
            peer = fixture.startPeer(b);
            Peer started = peer;
            BoundedCall<Channel> opening = BoundedCall.start("opening the local end of " + fixture, () -> fixture.openLocal(STEP));
            Channel local;
            long deadline = System.nanoTime() + STEP.plus(LATE).toNanos();
            while (true) {
                try {
                    local = opening.result(Duration.ofMillis(100));
                    break;
                } catch (AssertionError x) {
                    if (!started.isAlive() && !opening.isDone()) {
                        local = opening.result(Duration.ofSeconds(5));
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw x;
                    }
                }
            }
            try {
                peer.awaitReady(STEP);
            } catch (RuntimeException | Error x) {
                local.close();
                throw x;
            }
            return new Ends(fixture, peer, local);
        } catch (Exception | Error x) {
            if (peer != null) {
                peer.close();
            }
            fixture.close();
            throw x;
        }
    }

    /** The two ends of one case. */
    private static final class Ends implements AutoCloseable {
        final ChannelFixture fixture;
        final Peer peer;
        final Channel local;
        final Set<Property> props;

        Ends(ChannelFixture fixture, Peer peer, Channel local) {
            this.fixture = fixture;
            this.peer = peer;
            this.local = local;
            this.props = local.properties();
        }

        boolean localReceives() {
            return props.contains(Property.BIDIRECTIONAL) || !fixture.localEndSends();
        }

        boolean localSends() {
            return props.contains(Property.BIDIRECTIONAL) || fixture.localEndSends();
        }

        @Override
        public void close() throws IOException {
            try {
                local.close();
            } finally {
                try {
                    peer.close();
                } finally {
                    fixture.close();
                }
            }
        }
    }
}
