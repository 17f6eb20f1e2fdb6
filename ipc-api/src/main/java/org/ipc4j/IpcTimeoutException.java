package org.ipc4j;

import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * A timed operation gave up. Like {@link java.net.SocketTimeoutException} it is an
 * {@link InterruptedIOException}; unlike an interrupt, the thread's interrupt status is not set.
 *
 * <p>Guarantee: nothing was sent or consumed by the call that threw it, and the object stays open
 * and usable.
 */
public final class IpcTimeoutException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    private final String object;
    private final Duration timeout;

    /**
     * @param object the IPC object the operation was on
     * @param operation what timed out, such as {@code "receive"}
     * @param timeout the time allowed
     */
    public IpcTimeoutException(String object, String operation, Duration timeout) {
        super(operation + " on '" + object + "' timed out after " + format(timeout));
        this.object = object;
        this.timeout = timeout;
    }

    /** The IPC object the operation was on. */
    public String object() {
        return object;
    }

    /** The time the operation was allowed. */
    public Duration timeout() {
        return timeout;
    }

    private static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return nanos / 1_000L + "us";
    }
}
