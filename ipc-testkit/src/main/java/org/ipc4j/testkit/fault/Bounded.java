package org.ipc4j.testkit.fault;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A call run on its own daemon thread so that a call that never returns fails the case with a
 * message instead of hanging the build.
 *
 * @param <T> the call's result
 */
final class Bounded<T> extends FutureTask<T> {
    private final String what;

    private Bounded(String what, Callable<T> call) {
        super(call);
        this.what = what;
    }

    /** Starts {@code call} on a new daemon thread named after {@code what}. */
    static <T> Bounded<T> start(String what, Callable<T> call) {
        Bounded<T> task = new Bounded<>(what, call);
        Thread t = new Thread(task, "fault: " + what);
        t.setDaemon(true);
        t.start();
        return task;
    }

    /** Runs {@code call} and returns its result, or rethrows its exception; fails if it takes longer than {@code limit}. */
    static <T> T within(Duration limit, String what, Callable<T> call) throws Exception {
        return start(what, call).result(limit);
    }

    /**
     * The result, or the call's exception rethrown.
     *
     * @throws AssertionError if the call did not return within {@code limit}
     */
    T result(Duration limit) throws Exception {
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
}
