package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.ObjectRemovedException;
import org.ipc4j.Semaphore;
import org.ipc4j.posix.internal.PosixSemaphore;
import org.ipc4j.posix.internal.SysvSemaphore;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SemaphoreTest {
    private final List<Semaphore> cleanup = new ArrayList<>();
    private int nextKey = (int) (0x1C000000 + (ProcessHandle.current().pid() & 0xFFFF) * 64);

    private String address(String kind, int initial) {
        if (kind.equals("sem")) {
            return "sem:/" + TestSupport.unique("sem") + "?create&initial=" + initial;
        }
        return "sysvsem:" + (nextKey++) + "?create&initial=" + initial;
    }

    private Semaphore open(String address) throws Exception {
        Semaphore s = Ipc.openSemaphore(address);
        cleanup.add(s);
        return s;
    }

    @AfterEach
    void unlink() {
        for (Semaphore s : cleanup) {
            try {
                s.unlink();
            } catch (Exception e) {
                // already removed by the test
            }
            try {
                s.close();
            } catch (Exception e) {
                // ignore
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sem", "sysvsem"})
    void countsPermits(String kind) throws Exception {
        Semaphore s = open(address(kind, 2));
        assertEquals(2, s.availablePermits());
        assertTrue(s.tryAcquire());
        s.acquire();
        assertFalse(s.tryAcquire());
        assertFalse(s.tryAcquire(Duration.ofMillis(30)));
        s.release();
        assertEquals(1, s.availablePermits());
        assertTrue(s.tryAcquire(Duration.ofSeconds(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sem", "sysvsem"})
    void closeAndInterruptEndABlockedAcquirePromptly(String kind) throws Exception {
        String a = address(kind, 0);
        Semaphore s = Ipc.openSemaphore(a);
        cleanup.add(s);
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                s.acquire();
                closed.complete(null);
            } catch (Throwable e) {
                closed.complete(e);
            }
        });
        t.start();
        long start = System.nanoTime();
        s.close();
        assertTrue(closed.get(5, TimeUnit.SECONDS) instanceof java.nio.channels.ClosedChannelException);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));

        Semaphore s2 = open(a.replace("?create&initial=0", ""));
        CompletableFuture<Throwable> interrupted = new CompletableFuture<>();
        Thread t2 = new Thread(() -> {
            try {
                s2.acquire();
                interrupted.complete(null);
            } catch (Throwable e) {
                interrupted.complete(e);
            }
        });
        t2.start();
        t2.interrupt();
        Throwable e = interrupted.get(5, TimeUnit.SECONDS);
        assertTrue(e instanceof InterruptedIOException, String.valueOf(e));
        assertEquals(0, s2.availablePermits());
    }

    static void awaitWaiter(Semaphore s) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (((SysvSemaphore) s).waiters() == 0) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no thread ever waited on " + s);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void asyncCloseIsReportedAsSuch() throws Exception {
        Semaphore s = open(address("sysvsem", 0));
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                s.acquire();
                closed.complete(null);
            } catch (Throwable e) {
                closed.complete(e);
            }
        });
        t.start();
        awaitWaiter(s);
        s.close();
        assertTrue(closed.get(5, TimeUnit.SECONDS) instanceof AsynchronousCloseException);
    }

    @Test
    void sysvHolderKilledWithSigkillGivesItsPermitBack() throws Exception {
        String a = address("sysvsem", 1);
        Semaphore s = open(a);
        try (PeerJvm peer = PeerJvm.builder(Peers.SemaphoreHolder.class).args(a.replace("?create&initial=1", "")).start()) {
            peer.awaitLineStartingWith("HELD", TestSupport.PEER_TIMEOUT);
            assertEquals(0, s.availablePermits());
            peer.kill();
            assertTrue(s.tryAcquire(Duration.ofSeconds(1)), "SEM_UNDO must give the permit back within 1 s");
        }
    }

    @Test
    void posixHolderKilledWithSigkillKeepsItsPermitAsDocumented() throws Exception {
        String a = address("sem", 1);
        Semaphore s = open(a);
        try (PeerJvm peer = PeerJvm.builder(Peers.SemaphoreHolder.class).args(a.replace("?create&initial=1", "")).start()) {
            peer.awaitLineStartingWith("HELD", TestSupport.PEER_TIMEOUT);
            peer.kill();
            assertFalse(s.tryAcquire(Duration.ofMillis(200)), "POSIX named semaphores do not undo");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sem", "sysvsem"})
    void peerJvmReleaseWakesOurAcquire(String kind) throws Exception {
        String a = address(kind, 0);
        Semaphore s = open(a);
        try (PeerJvm peer = PeerJvm.builder(Peers.SemaphoreReleaser.class).args(a.replace("?create&initial=0", ""), "2").start()) {
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            peer.sendLine("release");
            assertTrue(s.tryAcquire(TestSupport.PEER_TIMEOUT));
            peer.sendLine("release");
            s.acquire();
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
        }
    }

    @Test
    void cPeerPostsANamedSemaphore() throws Exception {
        String a = address("sem", 0);
        Semaphore s = open(a);
        String name = a.substring(4, a.indexOf('?'));
        var binary = TestSupport.compileC("sem_peer");
        try (PeerProcess c = PeerProcess.start("sem_peer", List.of(binary.toString(), name, "3"))) {
            assertEquals(0, c.awaitExit(TestSupport.PEER_TIMEOUT), String.join("\n", c.output()));
        }
        assertEquals(3, s.availablePermits());
        s.acquire();
        s.acquire();
        s.acquire();
        assertFalse(s.tryAcquire());
    }

    @Test
    void sysvRemovalWakesABlockedWaiterWithRemoved() throws Exception {
        String a = address("sysvsem", 0);
        Semaphore s = open(a);
        CompletableFuture<Throwable> removed = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                s.acquire();
                removed.complete(null);
            } catch (Throwable e) {
                removed.complete(e);
            }
        });
        t.start();
        awaitWaiter(s);
        s.unlink();
        Throwable e = removed.get(5, TimeUnit.SECONDS);
        assertTrue(e instanceof ObjectRemovedException, String.valueOf(e));
        assertTrue(e.getMessage().contains("removed"), e.getMessage());
        assertThrows(ObjectNotFoundException.class, s::unlink);
    }

    @Test
    void badInputIsRefused() throws Exception {
        InvalidAddressException slash = assertThrows(InvalidAddressException.class, () -> Ipc.openSemaphore("sem:/a/b?create"));
        assertTrue(slash.getMessage().contains("'/'"), slash.getMessage());
        InvalidAddressException longName = assertThrows(InvalidAddressException.class,
                () -> Ipc.openSemaphore("sem:/" + "x".repeat(252) + "?create"));
        assertTrue(longName.getMessage().contains("251"), longName.getMessage());
        InvalidAddressException negative = assertThrows(InvalidAddressException.class,
                () -> Ipc.openSemaphore("sem:/x?create&initial=-1"));
        assertTrue(negative.getMessage().contains("initial"), negative.getMessage());
        InvalidAddressException sysvTooBig = assertThrows(InvalidAddressException.class,
                () -> Ipc.openSemaphore("sysvsem:1234?create&initial=40000"));
        assertTrue(sysvTooBig.getMessage().contains("32767"), sysvTooBig.getMessage());
        String n = "/" + TestSupport.unique("semx");
        ObjectNotFoundException missing = assertThrows(ObjectNotFoundException.class, () -> Ipc.openSemaphore("sem:" + n));
        assertTrue(missing.getMessage().contains("sem_open(" + n + ")"), missing.getMessage());
        Semaphore s = open("sem:" + n + "?create");
        ObjectExistsException exists = assertThrows(ObjectExistsException.class, () -> Ipc.openSemaphore("sem:" + n + "?exclusive"));
        assertTrue(exists.getMessage().contains(n), exists.getMessage());
        ObjectNotFoundException ftok = assertThrows(ObjectNotFoundException.class,
                () -> Ipc.openSemaphore("sysvsem:/no/such/file?create"));
        assertTrue(ftok.getMessage().contains("ftok(/no/such/file)"), ftok.getMessage());
        assertTrue(PosixSemaphore.unlink(n));
        s.close();
        cleanup.remove(s);
    }
}
