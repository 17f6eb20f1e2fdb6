package org.ipc4j.testkit.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.ipc4j.testkit.BoundedCall;

/**
 * One thread that makes a timed blocking call and then an untimed one while a {@link SignalStorm}
 * hits it: the case checks that the timed call ended as a timeout, on time, and that the untimed
 * call waits through the storm until the case lets it return.
 *
 * @param <T> the untimed call's result
 */
final class StormedCall<T> {
    /** How long the storm lasts. */
    static final Duration STORM = Duration.ofSeconds(3);
    /** How much later than its timeout a timed call may return. */
    static final Duration LATE = Duration.ofMillis(500);
    private static final Duration STEP = Duration.ofSeconds(30);

    private final String what;
    private final Duration timeout;
    private final AtomicLong tid = new AtomicLong();
    private final AtomicLong took = new AtomicLong(-1);
    private final AtomicReference<Object> outcome = new AtomicReference<>();
    private final CountDownLatch known = new CountDownLatch(1);
    private final CountDownLatch stormOn = new CountDownLatch(1);
    private final CountDownLatch timedDone = new CountDownLatch(1);
    private BoundedCall<T> task;

    private StormedCall(String what, Duration timeout) {
        this.what = what;
        this.timeout = timeout;
    }

    /**
     * Starts the thread: once the storm is on, it runs {@code timed} (which should time out after
     * {@code timeout}), then {@code untimed}.
     */
    static <T> StormedCall<T> start(String what, Duration timeout, Callable<?> timed, Callable<T> untimed)
            throws InterruptedException {
        StormedCall<T> c = new StormedCall<>(what, timeout);
        c.task = BoundedCall.start(what + " under a signal storm", () -> {
            c.tid.set(SignalStorm.currentThreadId());
            c.known.countDown();
            assertTrue(c.stormOn.await(STEP.toSeconds(), TimeUnit.SECONDS), "the storm did not start");
            long start = System.nanoTime();
            try {
                c.outcome.set(String.valueOf(timed.call()));
            } catch (Exception x) {
                c.outcome.set(x);
            }
            c.took.set(System.nanoTime() - start);
            c.timedDone.countDown();
            return untimed.call();
        });
        assertTrue(c.known.await(STEP.toSeconds(), TimeUnit.SECONDS), "the calling thread did not start");
        return c;
    }

    /** Starts the storm at the calling thread and lets it make its calls. */
    SignalStorm storm() throws IOException {
        SignalStorm storm = SignalStorm.start(tid.get(), 1000, STORM);
        stormOn.countDown();
        return storm;
    }

    /**
     * Asserts that the timed call ended with an outcome {@code expected} accepts (its exception, or
     * its result as a string), no earlier than its timeout and at most {@link #LATE} after it: a
     * wait that restarts with its whole timeout after each interruption, or loses the time an
     * interrupted wait took, overshoots by about the length of the storm.
     */
    void assertTimedCallTimedOut(Predicate<Object> expected) throws InterruptedException {
        assertTrue(timedDone.await(timeout.plus(LATE).plus(LATE).toMillis(), TimeUnit.MILLISECONDS),
                what + "(" + timeout + ") under a signal storm did not return within " + timeout.plus(LATE));
        Object o = outcome.get();
        assertTrue(expected.test(o), () -> what + "(" + timeout + ") under a signal storm ended with " + o
                + (o instanceof Throwable t ? " " + stack(t) : "") + "; expected a timeout");
        Duration d = Duration.ofNanos(took.get());
        assertTrue(d.compareTo(timeout) >= 0, () -> what + "(" + timeout + ") under a signal storm gave up early, after "
                + d.toMillis() + " ms: an interrupted wait was taken for a timeout");
        assertTrue(d.compareTo(timeout.plus(LATE)) <= 0, () -> what + "(" + timeout + ") under a signal storm gave up late,"
                + " after " + d.toMillis() + " ms");
    }

    /** True once the untimed call returned or threw. */
    boolean isDone() {
        return task.isDone();
    }

    /** The untimed call's result. */
    T result(Duration limit) throws Exception {
        return task.result(limit);
    }

    /** Waits for the storm's end and asserts it really stormed. */
    void assertStormed(SignalStorm storm, String backend) {
        int signals = storm.awaitEnd(STEP);
        System.out.println("[fault] " + backend + ": " + signals + " signals at the thread in " + what + "; the timed call took "
                + took.get() / 1_000_000 + " ms");
        assertTrue(signals >= 500, "the storm sent only " + signals + " signals");
    }

    private static String stack(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
