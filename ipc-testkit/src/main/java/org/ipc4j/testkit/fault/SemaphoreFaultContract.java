package org.ipc4j.testkit.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipc4j.Ipc;
import org.ipc4j.Semaphore;
import org.ipc4j.testkit.BoundedCall;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.peer.SemaphoreHolderPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * What a {@link Semaphore} backend must survive: a holder JVM killed while holding permits, a
 * waiter JVM killed while blocked in acquire, a signal storm at the thread blocked in acquire, and
 * a full file system under creation. Extend it and implement {@link #semaphoreAddress}.
 */
public abstract class SemaphoreFaultContract {
    /** The longest a step may take. */
    protected static final Duration STEP = Duration.ofSeconds(30);
    /** How much later than its timeout a timed call may return. */
    protected static final Duration LATE = Duration.ofSeconds(2);

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final List<String> created = new ArrayList<>();

    /** For subclasses. */
    protected SemaphoreFaultContract() {
    }

    /** The address that creates semaphore {@code uniqueName} with {@code initialPermits}. */
    protected abstract String semaphoreAddress(String uniqueName, int initialPermits);

    /**
     * True if the permits a killed holder held come back (SysV {@code SEM_UNDO}); false (the
     * default) if they stay taken (POSIX named semaphores).
     */
    protected boolean deadHoldersPermitsComeBack() {
        return false;
    }

    /** The backend's name in skip reasons and logs. */
    protected String backendName() {
        return getClass().getSimpleName();
    }

    /** Adjusts every peer JVM before it starts. */
    protected void configurePeer(PeerJvm.Builder peer) {
    }

    /** The directory the backend creates its semaphore file in, or null (the default) for a kernel object. */
    protected Path storageDirectory() {
        return null;
    }

    @AfterEach
    void unlinkCreatedSemaphores() {
        for (String address : created) {
            try (Semaphore s = Ipc.openSemaphore(address)) {
                s.unlink();
            } catch (IOException | RuntimeException e) {
                // never made, or already gone
            }
        }
    }

    /**
     * A holder JVM takes both permits of a semaphore and is killed: with
     * {@link #deadHoldersPermitsComeBack()} both come back (a waiter gets them within seconds);
     * without, they stay taken and a timed acquire says so on time; either way nothing hangs.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void holderKilledWhileHoldingPermits() throws Exception {
        String address = newSemaphore(2);
        try (Semaphore s = Ipc.openSemaphore(address); PeerJvm peer = peer(address).start()) {
            peer.awaitReady(STEP);
            peer.sendLine("acquire a");
            peer.awaitLineStartingWith("ACQUIRED a", STEP);
            peer.sendLine("acquire b");
            peer.awaitLineStartingWith("ACQUIRED b", STEP);
            assertEquals(0, s.availablePermits(), "both permits are held by the peer");
            peer.kill();
            boolean back = deadHoldersPermitsComeBack();
            Duration wait = back ? Duration.ofSeconds(10) : Duration.ofMillis(500);
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                boolean got = BoundedCall.within(wait.plus(LATE), "tryAcquire after the holder died", () -> s.tryAcquire(wait));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertTrue(took.compareTo(wait.plus(LATE)) <= 0, "tryAcquire(" + wait + ") took " + took);
                assertEquals(back, got, back ? "a killed holder's permit did not come back (SEM_UNDO)"
                        : "a killed holder's permit came back though deadHoldersPermitsComeBack() is false");
            }
        }
    }

    /**
     * A waiter JVM killed while blocked in acquire takes nothing: a permit released afterwards is
     * acquired here at once.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void waiterKilledWhileBlockedTakesNothing() throws Exception {
        String address = newSemaphore(0);
        try (Semaphore s = Ipc.openSemaphore(address); PeerJvm peer = peer(address).start()) {
            peer.awaitReady(STEP);
            peer.sendLine("acquire w");
            peer.awaitLineStartingWith("WAITING w", STEP);
            peer.kill();
            assertFalse(peer.output().stream().anyMatch(l -> l.startsWith("ACQUIRED")), "the waiter got a permit");
            s.release();
            assertTrue(BoundedCall.within(STEP, "tryAcquire", () -> s.tryAcquire(Duration.ofSeconds(5))),
                    "the permit released after the waiter died must be free");
            assertEquals(0, s.availablePermits());
        }
    }

    /**
     * A storm of signals at the thread blocked in acquire (see {@link SignalStorm}): a timed
     * {@code tryAcquire} still returns false on time, and {@code acquire()} waits through the storm
     * and returns once a permit is released.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void signalStormWhileBlockedInAcquire() throws Exception {
        String address = newSemaphore(0);
        try (Semaphore s = Ipc.openSemaphore(address); Semaphore other = Ipc.openSemaphore(address)) {
            Duration timed = Duration.ofSeconds(1);
            StormedCall<Boolean> call = StormedCall.start("acquire", timed, () -> s.tryAcquire(timed), () -> {
                s.acquire();
                return true;
            });
            try (SignalStorm storm = call.storm()) {
                call.assertTimedCallTimedOut("false"::equals);
                storm.awaitSent(2000, STEP);
                assertFalse(call.isDone(), "acquire() returned during the signal storm with no permit released");
                other.release();
                assertTrue(call.result(STEP));
                call.assertStormed(storm, backendName());
            }
            assertEquals(0, s.availablePermits(), "exactly the one permit released was taken");
        }
    }

    /**
     * A peer fills a small tmpfs mounted over {@link #storageDirectory()} and creates a semaphore
     * there: refused with an {@code IpcException} naming it, no crash. Skipped for kernel objects.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void creationInAFullTmpfsIsRefusedCleanly() throws Exception {
        String reason = FullTmpfs.unavailableReason();
        assumeTrue(reason == null, reason);
        Path dir = storageDirectory();
        assumeTrue(dir != null, () -> backendName() + " semaphores are kernel objects, not files in a tmpfs:"
                + " a full file system cannot refuse them");
        String name = uniqueName();
        PeerJvm.Builder builder = FullTmpfs.peer(dir, "semaphore", semaphoreAddress(name, 1));
        configurePeer(builder);
        try (PeerJvm peer = builder.start()) {
            FullTmpfs.assertRefused(peer, name, STEP);
        }
    }

    private String uniqueName() {
        return "s" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    private String newSemaphore(int permits) {
        String address = semaphoreAddress(uniqueName(), permits);
        created.add(address);
        return address;
    }

    private PeerJvm.Builder peer(String address) {
        PeerJvm.Builder b = PeerJvm.builder(SemaphoreHolderPeer.class).args(address);
        configurePeer(b);
        return b;
    }
}
