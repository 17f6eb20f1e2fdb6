package org.ipc4j.inproc.internal;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;

/** Timeouts and condition waits shared by every inproc object. */
final class Waits {
    /** Stands for "no timeout" where a number of nanoseconds is expected. */
    static final long FOREVER = -1L;

    private Waits() {
    }

    /**
     * The timeout in nanoseconds, saturated at {@link Long#MAX_VALUE}.
     *
     * @throws IllegalArgumentException if it is negative
     */
    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Waits on {@code condition} (its lock held) for at most {@code remaining} nanoseconds, or
     * without limit if {@code remaining} is {@link #FOREVER}.
     *
     * @return the nanoseconds left, {@link #FOREVER} for an unlimited wait; 0 or less when the time ran out
     * @throws InterruptedIOException if interrupted; the interrupt status is set again
     */
    static long await(Condition condition, long remaining, String object, String operation)
            throws InterruptedIOException {
        try {
            if (remaining == FOREVER) {
                condition.await();
                return FOREVER;
            }
            return condition.awaitNanos(remaining);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException(
                    operation + " on '" + object + "' was interrupted; nothing was transferred and it stays open");
            x.initCause(e);
            throw x;
        }
    }

    /** True if a timed wait has used up its time. */
    static boolean expired(long remaining) {
        return remaining != FOREVER && remaining <= 0;
    }
}
