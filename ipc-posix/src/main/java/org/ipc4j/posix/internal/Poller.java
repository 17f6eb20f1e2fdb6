package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that waits in {@code poll(2)} for every descriptor some thread is waiting on,
 * and unparks the waiters when their descriptor is ready. Waiting threads park in Java, so a
 * virtual thread blocked in receive frees its carrier, and interrupts and {@link Handle#close()} end
 * the wait at once. Readiness is only a hint: a woken thread retries its non-blocking call and
 * waits again if another thread got there first.
 */
public final class Poller {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    private static final int POLLFD_SIZE = 8;
    private static volatile Poller instance;

    private final int wakeRead;
    private final int wakeWrite;
    private final Memory wakeByte = new Memory(8);
    private final Memory drain = new Memory(256);
    private final ConcurrentLinkedQueue<Waiter> incoming = new ConcurrentLinkedQueue<>();
    private final List<Waiter> waiting = new ArrayList<>();
    private Memory fds = new Memory(64 * POLLFD_SIZE);

    private Poller() throws IOException {
        int[] p = new int[2];
        if (LibC.pipe2(p, LibC.O_NONBLOCK | LibC.O_CLOEXEC) != 0) {
            throw Errno.last("pipe2", "poller wake-up pipe");
        }
        wakeRead = p[0];
        wakeWrite = p[1];
        Thread t = new Thread(this::run, "ipc4j-poller");
        t.setDaemon(true);
        t.start();
    }

    private static Poller get() throws IOException {
        Poller p = instance;
        if (p == null) {
            synchronized (Poller.class) {
                p = instance;
                if (p == null) {
                    p = new Poller();
                    instance = p;
                }
            }
        }
        return p;
    }

    /** One thread waiting for one descriptor. */
    private static final class Waiter {
        final Handle owner;
        final int fd;
        final short events;
        final Thread thread = Thread.currentThread();
        volatile boolean done;

        Waiter(Handle owner, int fd, short events) {
            this.owner = owner;
            this.fd = fd;
            this.events = events;
        }

        void complete() {
            done = true;
            LockSupport.unpark(thread);
        }
    }

    /**
     * Parks the calling thread until {@code fd} may be ready for {@code events}, the deadline passes,
     * the handle is closed or the thread is interrupted.
     *
     * @return false if the deadline passed first; true otherwise (the caller retries its call)
     * @throws IOException if the handle was closed or the thread interrupted (see {@link Handle#checkWake})
     */
    public static boolean await(Handle owner, int fd, short events, Deadline deadline, String operation)
            throws IOException {
        if (!isVirtual(Thread.currentThread())) {
            return awaitHere(owner, fd, events, deadline, operation);
        }
        Poller p = get();
        Waiter w = new Waiter(owner, fd, events);
        p.incoming.add(w);
        p.wake();
        try {
            while (!w.done) {
                owner.checkWake(operation);
                if (deadline.expired()) {
                    return false;
                }
                if (deadline.finite()) {
                    LockSupport.parkNanos(p, deadline.remaining());
                } else {
                    LockSupport.park(p);
                }
            }
        } finally {
            if (!w.done) {
                w.done = true;
                p.wake();
            }
        }
        owner.checkWake(operation);
        return true;
    }

    /**
     * A platform thread waits in {@code poll(2)} itself, in slices of at most
     * {@link Deadline#SLICE_NANOS}: no hand-off to the poller thread, so a wake-up costs what it
     * costs in C; close and interrupts are noticed within a slice.
     */
    private static boolean awaitHere(Handle owner, int fd, short events, Deadline deadline, String operation)
            throws IOException {
        PollFd pollFd = POLL_FD.get();
        while (true) {
            owner.checkWake(operation);
            if (deadline.expired()) {
                return false;
            }
            int millis = (int) Math.max(1, (deadline.slice() + 999_999) / 1_000_000);
            pollFd.view.putInt(0, fd).putShort(4, events).putShort(6, (short) 0);
            int r = HotCalls.poll(pollFd.address, 1, millis);
            if (r > 0) {
                owner.checkWake(operation);
                return true;
            }
            int errno = r < 0 ? HotCalls.errno() : 0;
            if (r < 0 && errno != Errno.EINTR) {
                throw Errno.exception("poll", owner.object(), errno, null);
            }
        }
    }

    private static final ThreadLocal<PollFd> POLL_FD = ThreadLocal.withInitial(PollFd::new);

    /** One {@code struct pollfd}, written through a buffer view (JNA's Memory setters are JNI calls). */
    private static final class PollFd {
        final Memory memory = new Memory(POLLFD_SIZE);
        final java.nio.ByteBuffer view = memory.getByteBuffer(0, POLLFD_SIZE).order(java.nio.ByteOrder.nativeOrder());
        final long address = com.sun.jna.Pointer.nativeValue(memory);
    }
    private static final java.lang.invoke.MethodHandle IS_VIRTUAL = isVirtualHandle();

    private static java.lang.invoke.MethodHandle isVirtualHandle() {
        try {
            return java.lang.invoke.MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    java.lang.invoke.MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // before Java 21 every thread is a platform thread
        }
    }

    /** True for a virtual thread (Java 21+). */
    static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return false;
        }
    }

    /** Shortest back-off of {@link #pause}. */
    static final long MIN_BACKOFF = 100_000L;
    private static final long MAX_BACKOFF = 5_000_000L;

    /**
     * For waits the kernel cannot time or poll without blocking a thread (semaphores on a virtual
     * thread): parks up to {@code backoff} (never past the deadline) and returns the next back-off,
     * doubling up to 5 ms.
     */
    static long pause(Handle owner, long backoff, Deadline deadline, String operation) throws IOException {
        LockSupport.parkNanos(owner, Math.min(backoff, deadline.remaining()));
        owner.checkWake(operation);
        return Math.min(backoff * 2, MAX_BACKOFF);
    }

    /** Wakes every thread waiting on {@code owner}'s descriptors. */
    static void cancel(Handle owner) {
        Poller p = instance;
        if (p == null) {
            return;
        }
        for (Waiter w : p.incoming) {
            if (w.owner == owner) {
                w.complete();
            }
        }
        synchronized (p.waiting) {
            for (Waiter w : p.waiting) {
                if (w.owner == owner) {
                    w.complete();
                }
            }
        }
        p.wake();
    }

    private void wake() {
        wakeByte.setByte(0, (byte) 1);
        LibC.write(wakeWrite, com.sun.jna.Pointer.nativeValue(wakeByte), 1);
    }

    private void run() {
        long base;
        while (true) {
            int n;
            synchronized (waiting) {
                for (Waiter w; (w = incoming.poll()) != null; ) {
                    waiting.add(w);
                }
                waiting.removeIf(w -> w.done);
                n = waiting.size() + 1;
                if (fds.size() < (long) n * POLLFD_SIZE) {
                    fds = new Memory(Math.max(fds.size() * 2, (long) n * POLLFD_SIZE));
                }
                fds.setInt(0, wakeRead);
                fds.setShort(4, LibC.POLLIN);
                fds.setShort(6, (short) 0);
                for (int i = 1; i < n; i++) {
                    Waiter w = waiting.get(i - 1);
                    fds.setInt((long) i * POLLFD_SIZE, w.fd);
                    fds.setShort((long) i * POLLFD_SIZE + 4, w.events);
                    fds.setShort((long) i * POLLFD_SIZE + 6, (short) 0);
                }
            }
            base = com.sun.jna.Pointer.nativeValue(fds);
            int ready = LibC.poll(base, n, -1);
            if (ready < 0) {
                int errno = LibC.errno();
                if (errno != Errno.EINTR) {
                    LOG.warn("poll failed: {}", Errno.describe(errno));
                }
                continue;
            }
            if (fds.getShort(6) != 0) {
                while (LibC.read(wakeRead, com.sun.jna.Pointer.nativeValue(drain), 256) > 0) {
                    // empty the wake-up pipe
                }
            }
            synchronized (waiting) {
                for (int i = 1; i < n && i - 1 < waiting.size(); i++) {
                    if (fds.getShort((long) i * POLLFD_SIZE + 6) != 0) {
                        waiting.get(i - 1).complete();
                    }
                }
            }
        }
    }
}
