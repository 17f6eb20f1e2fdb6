package org.ipc4j.socket.internal;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;

/**
 * Waits until a non-blocking channel is ready for one kind of operation, with a deadline. One per
 * direction per channel, used only under that direction's lock; the selector is opened on the first
 * wait, so a channel that never waits holds no extra descriptor.
 *
 * <p>Waking: {@link #shutdown()} from {@code close()}; an interrupt also ends the wait (the caller checks).
 *
 * <p>Signals: a timed wait lasts at most {@link #SLICE_MILLIS} per select, because the JDK's epoll
 * selector loses the time of each interrupted wait shorter than a millisecond (it truncates the
 * elapsed time when it retries after EINTR), so under a storm of signals a single long select
 * overshoots its timeout by about the storm's length; the caller's deadline check bounds the whole
 * wait. junixsocket's selector reports EINTR as a {@code SocketException}: taken here as a spurious
 * return.
 */
public final class Readiness {
    /** A deadline that never passes. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** The longest single timed select. */
    static final long SLICE_MILLIS = 50;

    private final SelectableChannel channel;
    private final int ops;
    private volatile Selector selector;
    private volatile boolean shutdown;

    /**
     * @param channel a channel in non-blocking mode
     * @param ops the interest set, such as {@link java.nio.channels.SelectionKey#OP_READ}
     */
    public Readiness(SelectableChannel channel, int ops) {
        this.channel = channel;
        this.ops = ops;
    }

    /** A deadline {@code nanos} from now, saturating; negative or huge values mean none. */
    public static long deadline(long nanos) {
        long now = System.nanoTime();
        return nanos < 0 || nanos > Long.MAX_VALUE / 4 ? NO_DEADLINE : now + nanos;
    }

    /** True if {@code deadline} has passed. */
    public static boolean passed(long deadline) {
        return deadline != NO_DEADLINE && deadline - System.nanoTime() <= 0;
    }

    /**
     * Blocks until the channel may be ready, the deadline passes, {@link #shutdown()} is called or the
     * thread is interrupted. Spurious returns are allowed: the caller retries its operation and
     * checks the deadline, its closed flag and the interrupt status.
     *
     * @return false if the deadline had already passed, true otherwise
     */
    public boolean await(long deadline) throws IOException {
        long millis = 0;
        if (deadline != NO_DEADLINE) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            millis = Math.max(1, (left + 999_999) / 1_000_000);
        }
        Selector s = selector;
        if (s == null) {
            s = channel.provider().openSelector();
            channel.register(s, ops);
            selector = s;
        }
        // shutdown() writes its flag then reads the selector; this wrote the selector, now reads the
        // flag: one of the two sees the other, so a close racing with the creation is never missed
        if (shutdown) {
            return true;
        }
        try {
            if (millis == 0) {
                s.select();
            } else {
                s.select(Math.min(millis, SLICE_MILLIS));
            }
        } catch (java.net.SocketException e) {
            if (!String.valueOf(e.getMessage()).contains("Interrupted system call")) {
                throw e;
            }
            // EINTR from junixsocket's poll: a spurious return; the caller retries with the time left
        }
        s.selectedKeys().clear();
        return true;
    }

    /** Makes a current and every later {@link #await} return at once. Safe from any thread. */
    public void shutdown() {
        shutdown = true;
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    /** Releases the selector; call under the direction's lock after the channel was closed. */
    public void close() {
        Selector s = selector;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
