package org.ipc4j.posix.internal;

import java.time.Duration;

/** An absolute point on {@link System#nanoTime()}, or never. */
public final class Deadline {
    /** Longest time one kernel wait lasts, so that close and interrupt are noticed promptly. */
    public static final long SLICE_NANOS = 50_000_000L;

    private static final Deadline NEVER = new Deadline(Long.MAX_VALUE, null);
    private final long at;
    private final Duration timeout;

    private Deadline(long at, Duration timeout) {
        this.at = at;
        this.timeout = timeout;
    }

    /** No deadline. */
    public static Deadline never() {
        return NEVER;
    }

    /**
     * {@code timeout} from now.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static Deadline after(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE / 4 : timeout.toNanos();
        return new Deadline(System.nanoTime() + nanos, timeout);
    }

    /** True if this deadline is finite. */
    public boolean finite() {
        return timeout != null;
    }

    /** The timeout this deadline was made from (null for never). */
    public Duration timeout() {
        return timeout;
    }

    /** Nanoseconds left, at least 0; {@link Long#MAX_VALUE} for never. */
    public long remaining() {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, at - System.nanoTime());
    }

    /** True if no time is left. */
    public boolean expired() {
        return timeout != null && at - System.nanoTime() <= 0;
    }

    /** Nanoseconds for the next kernel wait: the remaining time, at most one slice. */
    public long slice() {
        return Math.min(remaining(), SLICE_NANOS);
    }
}
