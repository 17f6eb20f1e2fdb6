package org.ipc4j.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ipc4j.Ipc;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.ObjectRemovedException;
import org.ipc4j.Semaphore;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerReaper;
import org.ipc4j.testkit.peer.SemaphoreCounterPeer;
import org.ipc4j.testkit.peer.SemaphoreHolderPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Behaviour every {@link org.ipc4j.Semaphore} backend must show, in-process and across JVMs.
 * Extend it and implement {@link #semaphoreAddress(String, int)}.
 *
 * <p>Every semaphore a case creates is unlinked after it. Cases that need a second process are
 * skipped (with the reason) when {@link #crossProcess()} is false. Mutual exclusion across JVMs is
 * checked on a plain file (a counter read and rewritten under the semaphore, and a marker file that
 * exists while someone is inside), so it needs nothing but the semaphore itself.
 */
@ExtendWith(PeerReaper.class)
public abstract class SemaphoreContract {
    /** How long a step that should succeed may take on a loaded machine. */
    protected static final Duration PATIENCE = Duration.ofSeconds(20);
    /** How long a peer JVM may take to start and print READY. */
    protected static final Duration STARTUP = Duration.ofSeconds(60);
    /** The timeout given to timed acquires that are expected to time out. */
    protected static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration EARLY = Duration.ofMillis(20);
    private static final Duration LATE = Duration.ofSeconds(3);

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final List<String> created = new ArrayList<>();

    /** For subclasses: one per backend under test. */
    protected SemaphoreContract() {
    }

    /**
     * The address of a fresh semaphore holding {@code initialPermits}, with {@code create}.
     *
     * @param uniqueName unique per test and run; letters, digits and '-'
     */
    protected abstract String semaphoreAddress(String uniqueName, int initialPermits);

    /** False if the semaphore cannot be shared with another process (the {@code inproc:} backend). */
    protected boolean crossProcess() {
        return true;
    }

    /**
     * True if handles opened before {@link Semaphore#unlink()} keep working after it, as the API
     * documents (POSIX {@code sem_unlink}). A backend whose unlink destroys the object at once (SysV
     * {@code IPC_RMID}) returns false and documents it; the contract then checks instead that open
     * handles report {@link ObjectRemovedException}.
     */
    protected boolean unlinkKeepsOpenHandlesWorking() {
        return true;
    }

    /**
     * True if a permit held by a process that dies comes back by itself (SysV with {@code SEM_UNDO});
     * false if it stays taken (POSIX named semaphores). Either way a waiter must not hang past its
     * timeout; with true, the contract also checks that the waiter gets the dead holder's permit.
     */
    protected boolean deadHoldersPermitsComeBack() {
        return false;
    }

    /**
     * The same address without {@code create} (and {@code exclusive}), to open the semaphore only if
     * it exists. The default removes those keys from the query; override if the backend's addresses differ.
     */
    protected String withoutCreate(String address) {
        return CreateKeys.strip(address);
    }

    /** Opens a semaphore; the default goes through {@link Ipc#openSemaphore(String)}. */
    protected Semaphore open(String address) throws IOException {
        return Ipc.openSemaphore(address);
    }

    /** A fresh semaphore address that is unlinked after the test. */
    protected final String newSemaphore(int initialPermits) {
        String address = semaphoreAddress("s" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet(),
                initialPermits);
        created.add(address);
        return address;
    }

    @AfterEach
    void unlinkCreatedSemaphores() {
        for (String address : created) {
            try (Semaphore s = open(address)) {
                s.unlink();
            } catch (IOException | RuntimeException e) {
                // already removed by the test, or never created
            }
        }
    }

    private static void assumeCrossProcess(boolean crossProcess) {
        assumeTrue(crossProcess, "this backend's semaphores cannot leave this JVM (crossProcess() is false)");
    }

    // ---------------------------------------------------------------- counting

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void permitsAreCountedByAcquireTryAcquireAndRelease() throws IOException {
        try (Semaphore s = open(newSemaphore(3))) {
            assertEquals(3, s.availablePermits(), "availablePermits() of a semaphore created with 3");
            s.acquire();
            assertEquals(2, s.availablePermits(), "after acquire()");
            assertTrue(s.tryAcquire(), "tryAcquire() with 2 permits");
            assertTrue(s.tryAcquire(SHORT), "tryAcquire(timeout) with 1 permit");
            assertEquals(0, s.availablePermits(), "after taking all 3");
            assertFalse(s.tryAcquire(), "tryAcquire() with no permit must return false");
            assertEquals(0, s.availablePermits(), "a failed tryAcquire() takes nothing");
            s.release();
            s.release();
            assertEquals(2, s.availablePermits(), "after 2 releases");
            s.release();
            s.release();
            assertEquals(4, s.availablePermits(), "release may raise the count above the initial permits");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tryAcquireWithNoPermitReturnsFalseAtOnce() throws IOException {
        try (Semaphore s = open(newSemaphore(0))) {
            assertEquals(0, s.availablePermits(), "availablePermits() of a semaphore created with 0");
            long start = System.nanoTime();
            assertFalse(s.tryAcquire(), "tryAcquire() with no permit");
            assertFalse(s.tryAcquire(Duration.ZERO), "tryAcquire(Duration.ZERO) with no permit");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(LATE) < 0, "tryAcquire() must not block; took " + took);
            s.release();
            assertTrue(s.tryAcquire(), "tryAcquire() after a release");
            assertEquals(0, s.availablePermits());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void timedTryAcquireReturnsFalseOnTime() throws IOException {
        try (Semaphore s = open(newSemaphore(0))) {
            long start = System.nanoTime();
            boolean got;
            try {
                got = s.tryAcquire(SHORT);
            } catch (IpcTimeoutException e) {
                throw new AssertionError("tryAcquire(timeout) must return false on timeout, not throw", e);
            }
            assertFalse(got, "tryAcquire(" + SHORT + ") with no permit must return false");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(SHORT.minus(EARLY)) >= 0, "tryAcquire(" + SHORT + ") gave up after " + took);
            assertTrue(took.compareTo(SHORT.plus(LATE)) <= 0, "tryAcquire(" + SHORT + ") gave up only after " + took);
            assertFalse(Thread.currentThread().isInterrupted(), "a timeout must not set the interrupt status");
            assertEquals(0, s.availablePermits(), "a timed-out tryAcquire takes nothing");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.tryAcquire(Duration.ofMillis(-1)), "tryAcquire with a negative timeout");
            assertTrue(e.getMessage() != null && e.getMessage().contains("-"),
                    "the message should give the negative value: " + e.getMessage());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void releaseWakesAThreadWaitingInTimedTryAcquire() throws Exception {
        String address = newSemaphore(0);
        try (Semaphore s = open(address); Semaphore other = open(withoutCreate(address))) {
            CountDownLatch entering = new CountDownLatch(1);
            FutureTask<Boolean> waiter = start("semaphore-waiter", () -> {
                entering.countDown();
                return other.tryAcquire(PATIENCE);
            });
            assertTrue(entering.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertThrows(TimeoutException.class, () -> waiter.get(200, TimeUnit.MILLISECONDS),
                    "tryAcquire(timeout) with no permit must wait");
            long start = System.nanoTime();
            s.release();
            assertTrue(get(waiter), "the waiter must get the released permit");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(PATIENCE.minus(Duration.ofSeconds(5))) < 0,
                    "the waiter must wake when the permit is released, not at its timeout; took " + took);
            assertEquals(0, s.availablePermits(), "the waiter took the one permit");
        }
    }

    // ---------------------------------------------------------------- mutual exclusion

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mutualExclusionBetweenThreadsLosesNoUpdate() throws Exception {
        String address = newSemaphore(1);
        int perThread = 20_000;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        long[] counter = {0};
        try (Semaphore a = open(address); Semaphore b = open(withoutCreate(address))) {
            CyclicBarrier together = new CyclicBarrier(2);
            List<FutureTask<Void>> workers = new ArrayList<>();
            for (Semaphore s : List.of(a, b)) {
                workers.add(start("semaphore-worker", () -> {
                    together.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        s.acquire();
                        try {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            long v = counter[0];
                            if ((i & 63) == 0) {
                                Thread.yield(); // widen the window a lost update needs
                            }
                            counter[0] = v + 1;
                            inside.decrementAndGet();
                        } finally {
                            s.release();
                        }
                    }
                    return null;
                }));
            }
            for (FutureTask<Void> w : workers) {
                get(w);
            }
            assertEquals(0, overlaps.get(), "two threads were inside the semaphore (1 permit) at once");
            assertEquals(2L * perThread, counter[0], "updates made under the semaphore were lost");
            assertEquals(1, a.availablePermits(), "the permit is back");
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void mutualExclusionAcrossJvmsLosesNoUpdate() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newSemaphore(1);
        int perJvm = 400;
        Path dir = Files.createTempDirectory("ipc4j-semaphore-");
        try (Semaphore s = open(address);
                PeerJvm peer = PeerJvm.builder(SemaphoreCounterPeer.class)
                        .args(address, dir.toString(), String.valueOf(perJvm)).start()) {
            Files.writeString(dir.resolve(SemaphoreCounterPeer.COUNTER), "0");
            peer.awaitReady(STARTUP);
            peer.sendLine("GO");
            for (int i = 0; i < perJvm; i++) {
                SemaphoreCounterPeer.increment(s, dir);
            }
            peer.awaitLineStartingWith("COUNTED ", PATIENCE);
            peer.assertExit(0, PATIENCE);
            assertEquals(String.valueOf(2 * perJvm), Files.readString(dir.resolve(SemaphoreCounterPeer.COUNTER)).trim(),
                    "a counter file updated " + perJvm + " times by each of two JVMs under the semaphore lost updates");
            assertEquals(1, s.availablePermits(), "the permit is back");
        } finally {
            deleteTree(dir);
        }
    }

    // ---------------------------------------------------------------- across JVMs

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void releaseWakesAWaiterInTheOtherJvmAndPermitsAreShared() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newSemaphore(0);
        try (Semaphore s = open(address);
                PeerJvm peer = PeerJvm.builder(SemaphoreHolderPeer.class).args(address).start()) {
            peer.awaitReady(STARTUP);
            peer.sendLine("acquire 1");
            peer.awaitLineStartingWith("WAITING 1", PATIENCE);
            assertThrows(AssertionError.class, () -> peer.awaitLine("ACQUIRED 1"::equals, Duration.ofMillis(300)),
                    "the peer's acquire() must block while there is no permit");
            s.release();
            peer.awaitLine("ACQUIRED 1"::equals, PATIENCE);
            assertEquals(0, s.availablePermits(), "the peer took the permit we released");

            CountDownLatch entering = new CountDownLatch(1);
            FutureTask<Void> here = start("semaphore-acquire", () -> {
                entering.countDown();
                s.acquire();
                return null;
            });
            assertTrue(entering.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertThrows(TimeoutException.class, () -> here.get(200, TimeUnit.MILLISECONDS),
                    "acquire() here must block while there is no permit");
            peer.sendLine("release 2");
            get(here);
            peer.awaitLine("RELEASED 2"::equals, PATIENCE);

            s.release();
            s.release();
            peer.sendLine("permits 3");
            assertEquals("PERMITS 3 2", peer.awaitLineStartingWith("PERMITS 3 ", PATIENCE),
                    "the peer must count the permits released here");
            peer.sendLine("tryAcquire 4 0");
            assertEquals("TRIED 4 true", peer.awaitLineStartingWith("TRIED 4 ", PATIENCE));
            assertEquals(1, s.availablePermits(), "we must count the permit the peer took");
            peer.sendLine("exit 5");
            peer.assertExit(0, PATIENCE);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void peerKilledHoldingAPermitNeverHangsAWaiter() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newSemaphore(1);
        try (Semaphore s = open(address)) {
            try (PeerJvm peer = PeerJvm.builder(SemaphoreHolderPeer.class).args(address).start()) {
                peer.awaitReady(STARTUP);
                peer.sendLine("acquire 1");
                peer.awaitLine("ACQUIRED 1"::equals, PATIENCE);
                assertEquals(0, s.availablePermits(), "the peer holds the only permit");
                peer.kill();
                assertFalse(peer.isAlive(), "the peer should be dead after SIGKILL");
            }
            boolean comesBack = deadHoldersPermitsComeBack();
            Duration wait = comesBack ? PATIENCE : SHORT;
            long start = System.nanoTime();
            boolean got = s.tryAcquire(wait);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(wait.plus(LATE)) <= 0, "tryAcquire(" + wait + ") after the holder died took " + took);
            if (comesBack) {
                assertTrue(got, "deadHoldersPermitsComeBack() is true, but the killed holder's permit did not come back");
            } else {
                s.release(); // the permit the dead holder kept: give it back so the semaphore is usable again
                assertTrue(s.tryAcquire(SHORT), "the semaphore must stay usable after a holder died");
            }
        }
    }

    // ---------------------------------------------------------------- close, interrupt, life

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closeFromAnotherThreadEndsABlockedAcquire() throws Exception {
        Semaphore s = open(newSemaphore(0));
        try {
            CountDownLatch entering = new CountDownLatch(1);
            FutureTask<Void> waiter = start("semaphore-blocked", () -> {
                entering.countDown();
                s.acquire();
                return null;
            });
            assertTrue(entering.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertThrows(TimeoutException.class, () -> waiter.get(200, TimeUnit.MILLISECONDS),
                    "acquire() with no permit must block");
            s.close();
            Throwable thrown = failure(waiter);
            assertTrue(thrown instanceof AsynchronousCloseException, "an acquire() blocked when another thread closes the"
                    + " semaphore must end with AsynchronousCloseException, got " + thrown);
        } finally {
            s.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void interruptEndsABlockedAcquireKeepingTheInterruptStatus() throws Exception {
        String address = newSemaphore(0);
        try (Semaphore s = open(address)) {
            for (String form : List.of("acquire()", "tryAcquire(timeout)")) {
                CountDownLatch entering = new CountDownLatch(1);
                Thread[] thread = new Thread[1];
                FutureTask<Boolean> waiter = start("semaphore-interrupted", () -> {
                    thread[0] = Thread.currentThread();
                    entering.countDown();
                    try {
                        if (form.equals("acquire()")) {
                            s.acquire();
                        } else {
                            s.tryAcquire(PATIENCE);
                        }
                        throw new AssertionError(form + " returned after an interrupt instead of throwing");
                    } catch (IpcTimeoutException e) {
                        throw new AssertionError(form + " reported an interrupt as a timeout", e);
                    } catch (InterruptedIOException e) {
                        return Thread.currentThread().isInterrupted();
                    }
                });
                assertTrue(entering.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
                assertThrows(TimeoutException.class, () -> waiter.get(200, TimeUnit.MILLISECONDS),
                        form + " with no permit must block");
                thread[0].interrupt();
                assertTrue(get(waiter), form + " ended by an interrupt must keep the thread's interrupt status");
                assertEquals(0, s.availablePermits(), "an interrupted " + form + " takes nothing");
                s.release();
                assertEquals(1, s.availablePermits(), "the permit released after the interrupt stays available");
                assertTrue(s.tryAcquire());
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void useAfterCloseThrowsClosedChannelException() throws IOException {
        String address = newSemaphore(2);
        Semaphore s = open(address);
        assertTrue(s.isOpen(), "isOpen() before close()");
        s.close();
        s.close(); // idempotent
        assertFalse(s.isOpen(), "isOpen() after close()");
        assertThrows(ClosedChannelException.class, s::acquire, "acquire() after close");
        assertThrows(ClosedChannelException.class, s::tryAcquire, "tryAcquire() after close");
        assertThrows(ClosedChannelException.class, () -> s.tryAcquire(SHORT), "tryAcquire(timeout) after close");
        assertThrows(ClosedChannelException.class, s::release, "release() after close");
        assertThrows(ClosedChannelException.class, s::availablePermits, "availablePermits() after close");
        try (Semaphore again = open(withoutCreate(address))) {
            assertEquals(2, again.availablePermits(), "close() releases the handle only; the semaphore stays");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unlinkRemovesTheNameButOpenHandlesKeepWorking() throws IOException {
        assumeTrue(unlinkKeepsOpenHandlesWorking(), "unlink() on this backend destroys the semaphore at once"
                + " (unlinkKeepsOpenHandlesWorking() is false); unlinkThatDestroysMakesOpenHandlesReportRemoval covers it");
        String address = newSemaphore(1);
        try (Semaphore first = open(address); Semaphore second = open(withoutCreate(address))) {
            assertTrue(second.tryAcquire(), "two handles on one address must be one semaphore");
            assertFalse(first.tryAcquire(), "two handles on one address must share the count");
            first.unlink();
            second.release();
            assertTrue(first.tryAcquire(), "open handles must keep working after unlink()");
            assertThrows(ObjectNotFoundException.class, () -> open(withoutCreate(address)).close(),
                    "opening an unlinked semaphore without create");
            assertThrows(ObjectNotFoundException.class, first::unlink, "a second unlink()");
            try (Semaphore fresh = open(address)) {
                assertEquals(1, fresh.availablePermits(),
                        "a semaphore created under the unlinked name must be new, with its initial permits");
                fresh.unlink();
            }
            assertEquals(0, second.availablePermits(), "the unlinked semaphore keeps its own count");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unlinkThatDestroysMakesOpenHandlesReportRemoval() throws IOException {
        assumeTrue(!unlinkKeepsOpenHandlesWorking(), "open handles keep working after unlink() on this backend;"
                + " unlinkRemovesTheNameButOpenHandlesKeepWorking covers it");
        String address = newSemaphore(0);
        try (Semaphore first = open(address); Semaphore second = open(withoutCreate(address))) {
            first.unlink();
            IOException release = assertThrows(IOException.class, second::release,
                    "release through another handle after the semaphore was destroyed");
            assertTrue(release instanceof ObjectRemovedException, "a release on a destroyed semaphore must throw"
                    + " ObjectRemovedException, got " + release);
            IOException acquire = assertThrows(IOException.class, () -> first.tryAcquire(SHORT),
                    "tryAcquire(timeout) after the semaphore was destroyed");
            assertTrue(acquire instanceof ObjectRemovedException, "a wait on a destroyed semaphore must throw"
                    + " ObjectRemovedException, got " + acquire);
            assertThrows(ObjectNotFoundException.class, () -> open(withoutCreate(address)).close(),
                    "opening a destroyed semaphore without create");
            try (Semaphore fresh = open(address)) {
                assertEquals(0, fresh.availablePermits(), "a semaphore created under the name of a destroyed one"
                        + " must be new, with its initial permits");
                fresh.unlink();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void openWithoutCreateOfMissingSemaphoreThrowsObjectNotFound() {
        String address = newSemaphore(1);
        assertThrows(ObjectNotFoundException.class, () -> open(withoutCreate(address)).close(),
                "opening a semaphore that was never created, without create: " + withoutCreate(address));
    }

    // ---------------------------------------------------------------- helpers

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
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
