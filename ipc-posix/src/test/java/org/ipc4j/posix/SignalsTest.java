package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Signal;
import org.ipc4j.SignalRegistration;
import org.ipc4j.SignalService;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerProcess;
import org.junit.jupiter.api.Test;

class SignalsTest {
    private static final long SELF = ProcessHandle.current().pid();
    private final SignalService signals = new PosixProvider().signals().orElseThrow();

    @Test
    void everyHandlerRunsOnOurOwnThreadAndCloseRemovesIt() throws Exception {
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        SignalRegistration one = signals.handle(Signal.USR1, s -> seen.add("one " + Thread.currentThread().getName()));
        SignalRegistration two = signals.handle(Signal.USR1, s -> seen.add("two"));
        signals.send(SELF, Signal.USR1);
        List<String> got = List.of(seen.poll(10, TimeUnit.SECONDS), seen.poll(10, TimeUnit.SECONDS));
        assertTrue(got.contains("one ipc4j-signals") && got.contains("two"), got.toString());
        one.close();
        one.close();
        signals.send(SELF, Signal.USR1);
        assertEquals("two", seen.poll(10, TimeUnit.SECONDS));
        two.close();
    }

    @Test
    void everyCommonSignalReachesItsHandler() throws Exception {
        for (Signal sig : List.of(Signal.HUP, Signal.INT, Signal.TERM, Signal.USR1, Signal.WINCH, Signal.CONT,
                Signal.ALRM, Signal.CHLD)) {
            CountDownLatch ran = new CountDownLatch(1);
            try (SignalRegistration r = signals.handle(sig, s -> ran.countDown())) {
                signals.send(SELF, sig);
                assertTrue(ran.await(10, TimeUnit.SECONDS), sig + " never reached its handler");
                assertEquals(sig, r.signal());
            }
        }
    }

    @Test
    void aChildExitRaisesChld() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        try (SignalRegistration r = signals.handle(Signal.CHLD, s -> ran.countDown());
             ChildProcess child = ChildProcess.builder("true").stdin(ChildProcess.Stdio.NULL).start()) {
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertEquals(0, child.waitFor(TestSupport.PEER_TIMEOUT).orElseThrow());
            assertEquals(Signal.CHLD, r.signal());
        }
    }

    @Test
    void handlerThatThrowsDoesNotStopOthers() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        try (SignalRegistration bad = signals.handle(Signal.WINCH, s -> {
                throw new IllegalStateException("handler failure on purpose");
            });
             SignalRegistration good = signals.handle(Signal.WINCH, s -> ran.countDown())) {
            signals.send(SELF, Signal.WINCH);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertEquals(Signal.WINCH, good.signal());
            assertEquals(Signal.WINCH, bad.signal());
        }
    }

    @Test
    void sigqueueDeliversToo() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        try (SignalRegistration r = signals.handle(Signal.ALRM, s -> ran.countDown())) {
            signals.send(SELF, Signal.ALRM, 42);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertTrue(r.signal().isHandleable());
        }
    }

    @Test
    void reservedSignalsAreRefusedWithTheList() {
        for (Signal s : List.of(Signal.QUIT, Signal.ILL, Signal.FPE, Signal.SEGV, Signal.BUS, Signal.USR2,
                Signal.PIPE, Signal.XFSZ, Signal.KILL, Signal.STOP)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> signals.handle(s, x -> { }));
            assertTrue(e.getMessage().contains(s.signalName()) && e.getMessage().contains("SIGUSR2 (")
                    && e.getMessage().contains("SIGKILL ("), e.getMessage());
        }
    }

    @Test
    void sendingToAMissingPidOrABadPidIsRefused() throws Exception {
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> signals.send(4_000_000, Signal.TERM));
        assertTrue(e.getMessage().contains("ESRCH") && e.getMessage().contains("4000000"), e.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> signals.send(0, Signal.TERM));
        assertTrue(zero.getMessage().contains("pid=0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> signals.send(-1, Signal.TERM, 1));
    }

    @Test
    void shellKillReachesAJavaHandler() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        try (SignalRegistration r = signals.handle(Signal.HUP, s -> ran.countDown())) {
            Process p = new ProcessBuilder("sh", "-c", "kill -HUP " + SELF).inheritIO().start();
            assertEquals(0, p.waitFor());
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertTrue(r.signal().isHandleable());
        }
    }

    @Test
    void pythonOsKillReachesAJavaHandler() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        try (SignalRegistration r = signals.handle(Signal.CONT, s -> ran.countDown())) {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                    "import os, signal; os.kill(" + SELF + ", signal.SIGCONT)").inheritIO().start();
            assertEquals(0, p.waitFor());
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertTrue(r.signal().isHandleable());
        }
    }

    @Test
    void peerJvmHandlerGetsOurSignalAndPythonsToo() throws Exception {
        try (PeerJvm peer = PeerJvm.builder(Peers.SignalCatcher.class).args("USR1").start()) {
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            signals.send(peer.pid(), Signal.USR1);
            peer.awaitLineStartingWith("GOT USR1", TestSupport.PEER_TIMEOUT);
            try (PeerProcess py = PeerProcess.start("python", List.of("/usr/bin/python3", "-c",
                    "import os, signal; os.kill(" + peer.pid() + ", signal.SIGUSR1)"))) {
                assertEquals(0, py.awaitExit(TestSupport.PEER_TIMEOUT));
            }
            peer.awaitLine(l -> l.equals("GOT USR1") && peer.output().stream().filter("GOT USR1"::equals).count() >= 2,
                    TestSupport.PEER_TIMEOUT);
            peer.sendLine("stop");
            peer.sendLine("exit");
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
        }
    }

    @Test
    void closingTheLastRegistrationRestoresTheDefaultAction() throws Exception {
        try (PeerJvm peer = PeerJvm.builder(Peers.SignalCatcher.class).args("TERM").start()) {
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            signals.send(peer.pid(), Signal.TERM);
            peer.awaitLineStartingWith("GOT TERM", TestSupport.PEER_TIMEOUT);
            peer.sendLine("close");
            peer.awaitLineStartingWith("CLOSED", TestSupport.PEER_TIMEOUT);
            signals.send(peer.pid(), Signal.TERM);
            int code = peer.awaitExit(TestSupport.PEER_TIMEOUT);
            assertEquals(143, code, "the JVM's own TERM behaviour (exit 128+15) must be back");
        }
    }

    @Test
    void termIsRefusedUnderReducedSignals() throws Exception {
        try (PeerJvm peer = PeerJvm.builder(Peers.HandleTerm.class).jvmFlags("-Xrs").start()) {
            String line = peer.awaitLine(l -> l.startsWith("REFUSED") || l.startsWith("INSTALLED"), TestSupport.PEER_TIMEOUT);
            assertTrue(line.startsWith("REFUSED IpcException: the JVM refused a handler for SIGTERM"), line);
            assertTrue(line.contains("-Xrs"), line);
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
        }
    }
}
