package org.ipc4j.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A call run on its own daemon thread so that a call that never returns fails the case with a
 * message instead of hanging the build. Used by the contracts and the fault suite.
 *
 * @param <T> the call's result
 */
public final class BoundedCall<T> extends FutureTask<T> {
    private final String what;
    private final Thread thread;

    private BoundedCall(String what, Callable<T> call) {
        super(call);
        this.what = what;
        this.thread = new Thread(this, "bounded: " + what);
        thread.setDaemon(true);
    }

    /** Starts {@code call} on a new daemon thread named after {@code what}. */
    public static <T> BoundedCall<T> start(String what, Callable<T> call) {
        BoundedCall<T> task = new BoundedCall<>(what, call);
        task.thread.start();
        return task;
    }

    /** Runs {@code call} and returns its result, or rethrows its exception; fails if it takes longer than {@code limit}. */
    public static <T> T within(Duration limit, String what, Callable<T> call) throws Exception {
        return start(what, call).result(limit);
    }

    /**
     * The result, or the call's exception rethrown.
     *
     * @throws AssertionError if the call did not return within {@code limit}
     */
    public T result(Duration limit) throws Exception {
        try {
            return get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not return within " + limit);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) {
                throw x;
            }
            if (cause instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }

    /** The thread the call runs on. */
    public Thread thread() {
        return thread;
    }
}
