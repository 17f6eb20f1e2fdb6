package org.ipc4j.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InprocSemaphoreTest {
    private final List<Semaphore> open = new ArrayList<>();

    private Semaphore semaphore(String address) throws IOException {
        Semaphore s = Ipc.openSemaphore(address);
        open.add(s);
        return s;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Semaphore s : open) {
            s.close();
        }
    }

    @Test
    void countsPermitsFromTheInitialValue() throws IOException {
        Semaphore s = semaphore(Names.unique("s") + "?create&initial=2");
        assertEquals(2, s.availablePermits());
        assertTrue(s.tryAcquire());
        s.acquire();
        assertFalse(s.tryAcquire());
        assertEquals(0, s.availablePermits());
        s.release();
        assertEquals(1, s.availablePermits());
        assertEquals(0, semaphore(Names.unique("s") + "?create").availablePermits(), "initial defaults to 0");
    }

    @Test
    void timedAcquireReturnsFalseOnTimeAndZeroPolls() throws IOException {
        Semaphore s = semaphore(Names.unique("s") + "?create");
        long start = System.nanoTime();
        assertFalse(s.tryAcquire(Duration.ofMillis(100)));
        long took = System.nanoTime() - start;
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(100) && took < TimeUnit.SECONDS.toNanos(5), took + "ns");
        assertFalse(s.tryAcquire(Duration.ZERO));
        s.release();
        assertTrue(s.tryAcquire(Duration.ZERO));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.tryAcquire(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
    }

    @Test
    void releaseWakesABlockedAcquire() throws Exception {
        String address = Names.unique("s");
        Semaphore a = semaphore(address + "?create");
        Semaphore b = semaphore(address);
        Blocker<Void> waiter = Blocker.blockedIn(() -> {
            a.acquire();
            return null;
        });
        b.release();
        waiter.value();
        assertEquals(0, b.availablePermits());
    }

    @Test
    void interruptedAcquireKeepsStatusAndTakesNoPermit() throws Exception {
        Semaphore s = semaphore(Names.unique("s") + "?create");
        Blocker<Boolean> waiter = Blocker.blockedIn(() -> {
            try {
                s.acquire();
                return false;
            } catch (InterruptedIOException e) {
                return Thread.currentThread().isInterrupted();
            }
        });
        waiter.thread.interrupt();
        assertTrue(waiter.value());
        s.release();
        assertEquals(1, s.availablePermits());
        assertTrue(s.isOpen());
    }

    @Test
    void closeWakesWaitersAndLaterUseFails() throws Exception {
        String address = Names.unique("s");
        Semaphore s = semaphore(address + "?create");
        Semaphore other = semaphore(address);
        Blocker<Void> waiter = Blocker.blockedIn(() -> {
            s.acquire();
            return null;
        });
        Blocker<Boolean> timed = Blocker.blockedIn(() -> s.tryAcquire(Duration.ofMinutes(1)));
        s.close();
        waiter.failure(AsyncClosedException.class);
        timed.failure(AsyncClosedException.class);
        s.close();
        ChannelClosedException e = assertThrows(ChannelClosedException.class, s::release);
        assertTrue(e.getMessage().contains(address), e.getMessage());
        assertThrows(ChannelClosedException.class, s::acquire);
        assertThrows(ChannelClosedException.class, s::tryAcquire);
        assertThrows(ChannelClosedException.class, s::availablePermits);
        other.release();
        assertEquals(1, other.availablePermits());
    }

    @Test
    void mutualExclusionLosesNoUpdate() throws Exception {
        String address = Names.unique("s");
        Semaphore a = semaphore(address + "?create&initial=1");
        Semaphore b = semaphore(address);
        int n = 20_000;
        long[] counter = new long[1];
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> increment(b, counter, n), Blocker.THREADS);
        increment(a, counter, n);
        other.get(30, TimeUnit.SECONDS);
        a.acquire();
        assertEquals(2L * n, counter[0]);
        a.release();
    }

    private static void increment(Semaphore s, long[] counter, int n) {
        try {
            for (int i = 0; i < n; i++) {
                s.acquire();
                try {
                    counter[0]++;
                } finally {
                    s.release();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void namesFollowCreateExclusiveAndUnlink() throws IOException {
        String address = Names.unique("s");
        ObjectNotFoundException missing = assertThrows(ObjectNotFoundException.class, () -> semaphore(address));
        assertTrue(missing.getMessage().contains(address.substring("inproc:".length())), missing.getMessage());
        Semaphore s = semaphore(address + "?exclusive&initial=3");
        assertThrows(ObjectExistsException.class, () -> semaphore(address + "?exclusive"));
        assertEquals(3, semaphore(address + "?create&initial=9").availablePermits(), "initial only on creation");
        s.unlink();
        assertThrows(ObjectNotFoundException.class, s::unlink);
        assertThrows(ObjectNotFoundException.class, () -> semaphore(address));
        assertTrue(s.tryAcquire(), "the handle keeps working after unlink");
    }

    @Test
    void badInitialNamesTheKeyAndRange() {
        InvalidAddressException e = assertThrows(InvalidAddressException.class,
                () -> semaphore(Names.unique("s") + "?create&initial=-1"));
        assertEquals("initial", e.part());
        assertTrue(e.getMessage().contains("0 to 2147483647"), e.getMessage());
        InvalidAddressException unknown = assertThrows(InvalidAddressException.class,
                () -> semaphore(Names.unique("s") + "?create&permits=1"));
        assertEquals("permits", unknown.part());
        assertTrue(unknown.getMessage().contains("initial"), unknown.getMessage());
    }
}
