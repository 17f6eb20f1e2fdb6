package org.ipc4j.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.ipc4j.IpcException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Signal;
import org.ipc4j.SignalRegistration;
import org.ipc4j.SignalService;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerReaper;
import org.ipc4j.testkit.peer.SignalReceiverPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Behaviour every {@link SignalService} must show: handlers run on delivery in this JVM and in a
 * peer JVM, closing a registration restores what was there, refused signals are refused.
 * Extend it and implement {@link #signals()}.
 *
 * <p>In this JVM the cases only ever send a signal while a handler for it is installed, and wait
 * for that handler to run before removing it: a USR1 or HUP reaching this JVM with no handler would
 * end the test run. The default action coming back after the last registration closes is checked in a
 * peer JVM, which dies of it. Cases that need a second process are skipped (with the reason) when
 * {@link #crossProcess()} is false.
 */
@ExtendWith(PeerReaper.class)
public abstract class SignalHandlerContract {
    /** How long a step that should succeed may take on a loaded machine. */
    protected static final Duration PATIENCE = Duration.ofSeconds(20);
    /** How long a peer JVM may take to start and print READY. */
    protected static final Duration STARTUP = Duration.ofSeconds(60);
    /** How long to watch for a handler that must not run. */
    protected static final Duration QUIET = Duration.ofMillis(300);

    /** For subclasses: one per backend under test. */
    protected SignalHandlerContract() {
    }

    /** The service under test; a peer JVM gets its own through {@link org.ipc4j.Ipc#signals()}. */
    protected abstract SignalService signals();

    /** False if signals cannot reach another process (the {@code inproc:} backend). */
    protected boolean crossProcess() {
        return true;
    }

    /**
     * JVM flags for the peer, such as {@code -Dipc.provider=posix} when several providers on the class
     * path offer signals and the peer's {@link org.ipc4j.Ipc#signals()} must pick the one under test.
     */
    protected List<String> peerJvmFlags() {
        return List.of();
    }

    private PeerJvm startPeer() throws IOException {
        return PeerJvm.builder(SignalReceiverPeer.class).jvmFlags(peerJvmFlags().toArray(new String[0])).start();
    }

    private static long self() {
        return ProcessHandle.current().pid();
    }

    private static void assumeCrossProcess(boolean crossProcess) {
        assumeTrue(crossProcess, "this backend's signals cannot reach another process (crossProcess() is false)");
    }

    // ---------------------------------------------------------------- in this JVM

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void handlerRunsWhenThisJvmSignalsItselfUsr1() throws Exception {
        handlerRunsOnSelfDelivery(Signal.USR1);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void handlerRunsWhenThisJvmSignalsItselfHup() throws Exception {
        handlerRunsOnSelfDelivery(Signal.HUP);
    }

    private void handlerRunsOnSelfDelivery(Signal signal) throws Exception {
        SignalService signals = signals();
        CountDownLatch ran = new CountDownLatch(1);
        List<Signal> seen = new ArrayList<>();
        try (SignalRegistration r = signals.handle(signal, s -> {
            synchronized (seen) {
                seen.add(s);
            }
            ran.countDown();
        })) {
            assertEquals(signal, r.signal(), "SignalRegistration.signal()");
            signals.send(self(), signal);
            assertTrue(ran.await(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                    "the handler for " + signal + " did not run within " + PATIENCE + " of send(ownPid, " + signal + ")");
            synchronized (seen) {
                assertEquals(List.of(signal), seen, "the handler must be called with the signal delivered");
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyHandlerOfASignalRunsAndClosingOneLeavesTheOthers() throws Exception {
        SignalService signals = signals();
        AtomicInteger firstRuns = new AtomicInteger();
        AtomicInteger secondRuns = new AtomicInteger();
        CountDownLatch firstRanOnce = new CountDownLatch(1);
        CountDownLatch firstRanTwice = new CountDownLatch(2);
        CountDownLatch secondRanOnce = new CountDownLatch(1);
        CountDownLatch secondRanTwice = new CountDownLatch(2);
        try (SignalRegistration first = signals.handle(Signal.USR1, s -> {
            firstRuns.incrementAndGet();
            firstRanOnce.countDown();
            firstRanTwice.countDown();
        })) {
            SignalRegistration second = signals.handle(Signal.USR1, s -> {
                secondRuns.incrementAndGet();
                secondRanOnce.countDown();
                secondRanTwice.countDown();
            });
            assertEquals(Signal.USR1, first.signal(), "SignalRegistration.signal()");
            try {
                signals.send(self(), Signal.USR1);
                assertTrue(secondRanOnce.await(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                        "the second handler of USR1 did not run");
                assertTrue(firstRanOnce.await(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                        "the first handler of USR1 did not run when a second was added");
            } finally {
                second.close();
            }
            second.close(); // idempotent
            signals.send(self(), Signal.USR1);
            assertTrue(firstRanTwice.await(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                    "the remaining handler did not run after another registration of the same signal was closed");
            assertFalse(secondRanTwice.await(QUIET.toMillis(), TimeUnit.MILLISECONDS),
                    "a closed registration's handler still runs");
            assertEquals(1, secondRuns.get(), "runs of the closed handler");
            assertEquals(2, firstRuns.get(), "runs of the remaining handler");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sendWithAValueReachesTheHandler() throws Exception {
        SignalService signals = signals();
        CountDownLatch ran = new CountDownLatch(1);
        try (SignalRegistration r = signals.handle(Signal.USR1, s -> ran.countDown())) {
            assertEquals(Signal.USR1, r.signal(), "SignalRegistration.signal()");
            try {
                signals.send(self(), Signal.USR1, 12345);
            } catch (UnsupportedOperationException e) {
                assumeTrue(false, "this backend cannot attach a value to a signal: " + e.getMessage());
            }
            assertTrue(ran.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the handler did not run after send(pid, USR1, value)");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyRefusedSignalIsRefusedNamingIt() {
        SignalService signals = signals();
        List<String> failures = new ArrayList<>();
        for (Signal s : Signal.values()) {
            if (s.refusal().isEmpty()) {
                continue;
            }
            try {
                SignalRegistration r = signals.handle(s, x -> { });
                r.close();
                failures.add(s + " was accepted");
            } catch (IllegalArgumentException e) {
                if (e.getMessage() == null || !e.getMessage().contains(s.name())) {
                    failures.add(s + ": the message should name it: " + e.getMessage());
                }
            } catch (IpcException | RuntimeException e) {
                failures.add(s + " threw " + e + " instead of IllegalArgumentException");
            }
        }
        assertEquals(List.of(), failures, "handle() of every signal with a refusal() must throw IllegalArgumentException");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void nullArgumentsAreRefused() {
        SignalService signals = signals();
        assertThrows(NullPointerException.class, () -> signals.handle(null, s -> { }), "handle(null, handler)");
        assertThrows(NullPointerException.class, () -> signals.handle(Signal.USR1, null), "handle(USR1, null)");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sendToAProcessThatDoesNotExistThrowsObjectNotFound() throws IOException {
        long pid = absentPid();
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class,
                () -> signals().send(pid, Signal.USR1), "send(" + pid + ", USR1) with no such process");
        assertTrue(e.getMessage() != null && e.getMessage().contains(String.valueOf(pid)),
                "the message should name the pid " + pid + ": " + e.getMessage());
        for (long bad : new long[] {0, -1}) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> signals().send(bad, Signal.USR1), "send(" + bad + ", USR1): process groups are not addressed");
            assertTrue(x.getMessage() != null && x.getMessage().contains(String.valueOf(bad)),
                    "the message should give the pid " + bad + ": " + x.getMessage());
        }
    }

    /** A pid no process can have: the kernel's pid_max itself (pids are below it). */
    private static long absentPid() throws IOException {
        try {
            // readAllLines, not readString: procfs reports size 0 and readString stops after one byte
            return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return 4_194_304L; // the largest pid_max Linux allows on 64-bit
        }
    }

    // ---------------------------------------------------------------- in a peer JVM

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void peerHandlersRunAndClosingRestoresThePreviousHandlerThenTheDefault() throws Exception {
        assumeCrossProcess(crossProcess());
        SignalService signals = signals();
        try (PeerJvm peer = startPeer()) {
            peer.awaitReady(STARTUP);
            command(peer, "handle USR1 a", "REGISTERED a");
            signals.send(peer.pid(), Signal.USR1);
            peer.awaitLine("HANDLED a 1"::equals, PATIENCE);

            command(peer, "handle USR1 b", "REGISTERED b");
            signals.send(peer.pid(), Signal.USR1);
            peer.awaitLine("HANDLED a 2"::equals, PATIENCE);
            peer.awaitLine("HANDLED b 1"::equals, PATIENCE);

            command(peer, "close b", "CLOSED b");
            signals.send(peer.pid(), Signal.USR1);
            peer.awaitLine("HANDLED a 3"::equals, PATIENCE);

            command(peer, "close a", "CLOSED a");
            signals.send(peer.pid(), Signal.USR1);
            int code = peer.awaitExit(PATIENCE);
            assertEquals(128 + Signal.USR1.number(), code, "after the last USR1 registration is closed, USR1's default"
                    + " action (terminate) must be back, so the peer must die of it; output:\n" + String.join("\n", peer.output()));
            List<String> handled = peer.output().stream().filter(l -> l.startsWith("HANDLED")).collect(Collectors.toList());
            assertEquals(List.of("HANDLED a 1", "HANDLED a 2", "HANDLED b 1", "HANDLED a 3"), sortedPairs(handled),
                    "each handler must run exactly once per delivery while registered, and never after its close");
        }
    }

    /** Lines of one delivery may come in either order; sort each delivery's pair for comparison. */
    private static List<String> sortedPairs(List<String> handled) {
        List<String> out = new ArrayList<>(handled);
        if (out.size() >= 3 && out.get(1).startsWith("HANDLED b") && out.get(2).startsWith("HANDLED a")) {
            out.set(1, handled.get(2));
            out.set(2, handled.get(1));
        }
        return out;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void peerHandlerRunsForHup() throws Exception {
        assumeCrossProcess(crossProcess());
        try (PeerJvm peer = startPeer()) {
            peer.awaitReady(STARTUP);
            command(peer, "handle HUP h", "REGISTERED h");
            signals().send(peer.pid(), Signal.HUP);
            peer.awaitLine("HANDLED h 1"::equals, PATIENCE);
            signals().send(peer.pid(), Signal.HUP);
            peer.awaitLine("HANDLED h 2"::equals, PATIENCE);
            command(peer, "close h", "CLOSED h");
            command(peer, "exit x", "BYE x");
            peer.assertExit(0, PATIENCE);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void peerHandlersOfDifferentSignalsRunOnlyForTheirOwn() throws Exception {
        assumeCrossProcess(crossProcess());
        try (PeerJvm peer = startPeer()) {
            peer.awaitReady(STARTUP);
            command(peer, "handle USR1 u", "REGISTERED u");
            command(peer, "handle HUP h", "REGISTERED h");
            signals().send(peer.pid(), Signal.HUP);
            peer.awaitLine("HANDLED h 1"::equals, PATIENCE);
            signals().send(peer.pid(), Signal.USR1);
            peer.awaitLine("HANDLED u 1"::equals, PATIENCE);
            command(peer, "close u", "CLOSED u");
            command(peer, "close h", "CLOSED h");
            command(peer, "exit x", "BYE x");
            peer.assertExit(0, PATIENCE);
            List<String> handled = peer.output().stream().filter(l -> l.startsWith("HANDLED")).collect(Collectors.toList());
            assertEquals(List.of("HANDLED h 1", "HANDLED u 1"), handled, "each handler runs for its own signal only");
        }
    }

    private static void command(PeerJvm peer, String line, String answer) {
        peer.sendLine(line);
        peer.awaitLine(answer::equals, PATIENCE);
    }
}
