package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * A platform thread's untimed, blocking native call ({@code read}, {@code mq_timedreceive} with no
 * timeout), which {@link Handle#close()} and {@link Thread#interrupt()} end by sending the thread
 * the JDK's own wake signal ({@link #WAKE_SIGNAL}): the JDK installs a handler for it that does
 * nothing, without {@code SA_RESTART}, so the call returns EINTR and the caller checks why. Waiting
 * this way costs what it costs in C: one system call, no timer, no poll first.
 *
 * <p>One per platform thread (a fresh one after an interrupt, which closes it). The interrupt comes
 * through {@link AbstractInterruptibleChannel}: between {@link #enter} and {@link #leave} the JDK
 * calls {@link #implCloseChannel()} from the interrupting thread. Close finds the threads blocked on
 * a handle in a registry of every call ({@link #wake}).
 *
 * <p>A signal sent just before the thread enters the kernel is lost, so both senders repeat it
 * until the thread has left. One sent just as the thread leaves can land in the next call the
 * thread makes, which then returns EINTR: the JDK's own I/O retries on it (the JDK wakes its
 * threads with the same signal and has the same window), as every loop here does.
 *
 * <p>{@link #available()} is false when the handler is missing or restarts calls, on other
 * systems than 64-bit Linux, and with {@code -Dipc4j.posix.blockingCalls=false}; callers then
 * wait as before (in slices, or in poll).
 */
public final class BlockingCall extends AbstractInterruptibleChannel {
    /**
     * The signal the JDK sends to wake a thread blocked in an I/O call (__SIGRTMAX - 2; libnio's
     * NativeThread installs a handler that does nothing, without SA_RESTART).
     */
    static final int WAKE_SIGNAL = 64 - 2;
    private static final int SA_RESTART = 0x10000000;
    /** glibc's struct sigaction on 64-bit Linux: handler, 128-byte mask, int flags, restorer. */
    private static final int SIGACTION_SIZE = 152;
    private static final int SIGACTION_FLAGS = 8 + 128;
    private static final long SIGNAL_PAUSE_NANOS = 50_000;
    /** How long a waker keeps signalling a thread that does not leave its call (stopped, or not scheduled). */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final String UNAVAILABLE;
    private static final ThreadLocal<BlockingCall> CURRENT = new ThreadLocal<>();
    /** Every call made so far, for {@link #wake}; a call goes with its thread. */
    private static final List<WeakReference<BlockingCall>> ALL = new ArrayList<>();

    static {
        String reason;
        try {
            reason = checkWakeSignal();
        } catch (Throwable t) {
            reason = t.toString();
        }
        UNAVAILABLE = reason;
        Handle.blockingCallsInUse = reason == null;
        if (reason != null) {
            LoggerFactory.getLogger(BlockingCall.class).debug("untimed blocking calls unavailable, waiting in slices: {}", reason);
        }
    }

    private static final VarHandle IN_CALL;
    private static final int PID = LibC.getpid();

    static {
        try {
            IN_CALL = MethodHandles.lookup().findVarHandle(BlockingCall.class, "inCall", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread thread;
    /** The kernel's id of the thread: signalled with tgkill, which answers ESRCH once the thread has ended. */
    private final int tid;
    /**
     * The handle of the current or last call: a reference written only when it changes (each
     * reference store costs a GC barrier), read by wakers after {@link #inCall}.
     */
    private Handle handle;
    /** True while the thread is between {@link #enter} and {@link #leave}. */
    private volatile boolean inCall;

    private BlockingCall(Thread thread, int tid) {
        this.thread = thread;
        this.tid = tid;
    }

    /** True if platform threads may wait in untimed blocking calls. */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /** Why {@link #available()} is false, or null. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * The calling thread's call: {@code cached} if it is the caller's and still usable (callers keep
     * the last one, saving a ThreadLocal lookup), else a new or the thread's current one.
     */
    public static BlockingCall of(BlockingCall cached) {
        Thread me = Thread.currentThread();
        if (cached != null && cached.thread == me && cached.isOpen()) {
            return cached;
        }
        BlockingCall c = CURRENT.get();
        if (c == null || !c.isOpen()) {
            int tid = c != null ? c.tid : LibC.gettid();
            c = new BlockingCall(me, tid);
            CURRENT.set(c);
            synchronized (ALL) {
                ALL.removeIf(r -> r.get() == null);
                ALL.add(new WeakReference<>(c));
            }
        }
        return c;
    }

    /**
     * Marks the calling thread as about to block in a call on {@code handle}; must be followed by
     * {@link #leave()}.
     *
     * @return false if the handle is closed or the thread interrupted: skip the call
     */
    public boolean enter(Handle handle) {
        begin();
        if (this.handle != handle) {
            this.handle = handle;
        }
        inCall = true;
        // pairs with close (sets CLOSED, then reads inCall) and interrupt (sets the status, then reads inCall)
        return handle.isOpen() && !thread.isInterrupted();
    }

    /** True if the thread is in a call on {@code h}. */
    private boolean inside(Handle h) {
        return inCall && handle == h;
    }

    /**
     * Marks the call as over. The thread's interrupt hook stays in place until its next
     * {@link #enter} sets it again or the JDK's own I/O replaces it: clearing it would cost a second
     * lock of the thread's blocker per call, and a hook left behind is harmless. An interrupt that
     * comes later only closes this object (it finds no call to end) and the thread's next call takes
     * a fresh one; the caller sees the interrupt status in either case.
     */
    public void leave() {
        IN_CALL.setRelease(this, false);   // no fence needed: a waker only waits to see it
    }

    @Override
    protected void implCloseChannel() {
        if (inCall) {
            signalWhileInside(handle);
        }
    }

    /** Ends every untimed call on {@code handle}, which was just closed. */
    static void wake(Handle handle) {
        List<BlockingCall> calls = new ArrayList<>();
        synchronized (ALL) {
            for (WeakReference<BlockingCall> r : ALL) {
                BlockingCall c = r.get();
                if (c != null && c.inside(handle)) {
                    calls.add(c);
                }
            }
        }
        for (BlockingCall c : calls) {
            c.signalWhileInside(handle);
        }
    }

    /**
     * Signals the thread until it has left its call on {@code handle}. The thread may leave, and
     * even end, between the check and the signal: {@code tgkill} by kernel thread id then answers
     * ESRCH, where {@code pthread_kill} on an ended thread's handle would touch freed memory.
     */
    private void signalWhileInside(Handle handle) {
        long start = System.nanoTime();
        while (inside(handle)) {
            if (LibC.tgkill(PID, tid, WAKE_SIGNAL) != 0) {
                return;   // the thread is gone
            }
            if (System.nanoTime() - start > GIVE_UP_NANOS) {
                LoggerFactory.getLogger(BlockingCall.class).warn(
                        "thread {} did not leave its call on '{}' within {} s of the wake signal",
                        thread.getName(), handle.object(), TimeUnit.NANOSECONDS.toSeconds(GIVE_UP_NANOS));
                return;
            }
            LockSupport.parkNanos(SIGNAL_PAUSE_NANOS);
        }
    }

    /** Null if the wake signal has a handler that interrupts a blocked call, else why not. */
    private static String checkWakeSignal() {
        if (!Boolean.parseBoolean(System.getProperty("ipc4j.posix.blockingCalls", "true"))) {
            return "turned off with -Dipc4j.posix.blockingCalls=false";
        }
        if (!com.sun.jna.Platform.isLinux() || !com.sun.jna.Platform.is64Bit()) {
            return "written for 64-bit Linux";
        }
        loadJdkHandler();
        try (Memory old = new Memory(SIGACTION_SIZE)) {
            old.clear();
            if (LibC.sigaction(WAKE_SIGNAL, 0L, Pointer.nativeValue(old)) != 0) {
                return "sigaction(" + WAKE_SIGNAL + ") failed: " + Errno.describe(LibC.errno());
            }
            long handler = old.getLong(0);
            int flags = old.getInt(SIGACTION_FLAGS);
            if (handler == 0 || handler == 1 || (flags & SA_RESTART) != 0) {
                return "signal " + WAKE_SIGNAL + " has no handler that interrupts a blocked call (handler=" + handler
                        + ", flags=0x" + Integer.toHexString(flags) + ")";
            }
        }
        return null;
    }

    /** The JDK installs its handler when its native I/O thread support loads. */
    private static void loadJdkHandler() {
        try {
            Class.forName("sun.nio.ch.NativeThread", true, ClassLoader.getPlatformClassLoader());
            return;
        } catch (Throwable e) {
            // renamed or moved: open a pipe channel instead, whose reads use the same support
        }
        try {
            java.nio.channels.Pipe p = java.nio.channels.Pipe.open();
            p.source().close();
            p.sink().close();
        } catch (java.io.IOException e) {
            // the check that follows reports what is missing
        }
    }
}
