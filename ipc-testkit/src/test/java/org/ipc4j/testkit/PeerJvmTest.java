package org.ipc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PeerJvm}: output, ready line, exit codes, and that a peer never outlives its parent. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PeerJvmTest {
    private static final Duration STEP = Duration.ofSeconds(30);

    /** Says hello on both streams, READY, then echoes one line and exits with code 3. */
    public static final class Talker {
        private Talker() {
        }

        /** Entry point under {@link PeerMain}. */
        public static void main(String[] args) throws Exception {
            PeerMain.say("hello " + String.join(",", args));
            System.err.println("to stderr");
            System.err.flush();
            PeerMain.ready();
            PeerMain.say("got " + PeerMain.nextLine(STEP));
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
    }

    /** Prints READY and waits for input that never comes. */
    public static final class Idle {
        private Idle() {
        }

        /** Entry point under {@link PeerMain}. */
        public static void main(String[] args) throws Exception {
            if (args.length > 0 && args[0].equals("child")) {
                Process child = new ProcessBuilder("sleep", "600").start();
                PeerMain.say("CHILD " + child.pid());
            }
            PeerMain.ready();
            PeerMain.nextLine(Duration.ofMinutes(10));
        }
    }

    /** Starts {@link Idle} as its own {@link PeerJvm}, prints {@code PEER <pid>}, and waits. */
    public static final class Intermediate {
        private Intermediate() {
        }

        /** Entry point under {@link PeerMain}. */
        public static void main(String[] args) throws Exception {
            PeerJvm peer = PeerJvm.builder(Idle.class).name("real-peer").start();
            peer.awaitReady(STEP);
            PeerMain.say("PEER " + peer.pid());
            PeerMain.ready();
            PeerMain.nextLine(Duration.ofMinutes(10));
        }
    }

    @Test
    void outputIsCopiedWithPrefixAndReadyLineIsAwaited() throws Exception {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream original = System.out;
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                copy.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                copy.write(b, off, len);
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        long pid;
        try (PeerJvm peer = PeerJvm.builder(Talker.class).name("talker").args("a", "b").start()) {
            pid = peer.pid();
            peer.awaitReady(STEP);
            assertTrue(peer.output().contains("hello a,b"), () -> "output: " + peer.output());
            // standard error is copied by its own thread: its line may come after READY
            assertEquals("to stderr", peer.awaitLine("to stderr"::equals, STEP));
            peer.sendLine("ping");
            assertEquals("got ping", peer.awaitLineStartingWith("got ", STEP));
            peer.assertExit(3, STEP);
        } finally {
            System.setOut(original);
        }
        String log = copy.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("[talker " + pid + "] hello a,b"), () -> "log:\n" + log);
        assertTrue(log.contains("[talker " + pid + " err] to stderr"), () -> "log:\n" + log);
        assertTrue(log.contains("[talker " + pid + "] READY"), () -> "log:\n" + log);
    }

    @Test
    void assertExitFailsWithTheOutputWhenTheCodeDiffers() throws Exception {
        try (PeerJvm peer = PeerJvm.builder(Talker.class).start()) {
            peer.awaitReady(STEP);
            peer.sendLine("x");
            AssertionError e = assertThrows(AssertionError.class, () -> peer.assertExit(0, STEP));
            assertTrue(e.getMessage().contains("exited with 3, expected 0"), e.getMessage());
            assertTrue(e.getMessage().contains("got x"), e.getMessage());
        }
    }

    @Test
    void awaitLineFailsWhenThePeerEndsWithoutIt() throws Exception {
        try (PeerJvm peer = PeerJvm.builder(Talker.class).start()) {
            peer.awaitReady(STEP);
            peer.sendLine("x");
            AssertionError e = assertThrows(AssertionError.class, () -> peer.awaitLineStartingWith("never", STEP));
            assertTrue(e.getMessage().contains("ended its output"), e.getMessage());
        }
    }

    @Test
    void awaitExitKillsAPeerThatDoesNotExitInTime() throws Exception {
        try (PeerJvm peer = PeerJvm.builder(Idle.class).start()) {
            peer.awaitReady(STEP);
            AssertionError e = assertThrows(AssertionError.class, () -> peer.awaitExit(Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("did not exit within"), e.getMessage());
            assertTrue(peer.process().waitFor(10, TimeUnit.SECONDS), "the peer must be dead after the failed awaitExit");
        }
    }

    @Test
    void closeKillsThePeerAndItsChildren() throws Exception {
        PeerJvm peer = PeerJvm.builder(Idle.class).args("child").start();
        long child;
        try {
            child = Long.parseLong(peer.awaitLineStartingWith("CHILD ", STEP).substring(6));
            peer.awaitReady(STEP);
            assertTrue(ProcessHandle.of(child).isPresent(), "the child runs");
        } finally {
            peer.close();
        }
        assertFalse(peer.isAlive(), "close() must kill the peer");
        assertDeadWithin(child, Duration.ofSeconds(10), "the peer's child after close()");
        peer.close();
    }

    @Test
    void closingItsInputMakesThePeerExitAsOrphaned() throws Exception {
        try (PeerJvm peer = PeerJvm.builder(Idle.class).start()) {
            peer.awaitReady(STEP);
            peer.closeInput();
            peer.assertExit(PeerMain.ORPHANED_EXIT, STEP);
        }
    }

    /**
     * The Done-when case: a peer started by an intermediate JVM that is then killed with SIGKILL
     * (so it runs no shutdown hook) exits by itself within seconds.
     */
    @Test
    void peerExitsWhenTheJvmThatStartedItIsKilled() throws Exception {
        long realPeer;
        try (PeerJvm intermediate = PeerJvm.builder(Intermediate.class).start()) {
            realPeer = Long.parseLong(intermediate.awaitLineStartingWith("PEER ", STEP).substring(5));
            intermediate.awaitReady(STEP);
            Optional<ProcessHandle> handle = ProcessHandle.of(realPeer);
            assertTrue(handle.isPresent() && handle.get().isAlive(), "the real peer runs");
            assertTrue(handle.get().parent().map(ProcessHandle::pid).orElse(-1L) == intermediate.pid(),
                    "the real peer is the intermediate's child");
            intermediate.kill();
            assertFalse(intermediate.isAlive(), "SIGKILL must end the intermediate");
            assertDeadWithin(realPeer, Duration.ofSeconds(10), "the real peer after its parent's SIGKILL");
        }
    }

    private static void assertDeadWithin(long pid, Duration limit, String what) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return;
        }
        try {
            h.get().onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            h.get().destroyForcibly();
            throw new AssertionError(what + " (pid " + pid + ") still runs after " + limit + "; killed it now");
        }
        assertFalse(h.get().isAlive(), what + " (pid " + pid + ") must be dead");
    }
}
