package org.ipc4j.inproc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a call that is expected to block on another thread, and tells when that thread is parked,
 * so that tests act on a blocked thread without sleeping.
 */
final class Blocker<T> {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /**
     * An executor that runs each task on its own new thread, for {@code CompletableFuture.runAsync}
     * with tasks that block: JDK 21+ on two cores gives the default executor a single thread.
     */
    static final Executor THREADS = task -> blockedInOrDone(() -> {
        task.run();
        return null;
    });

    final CompletableFuture<T> result = new CompletableFuture<>();
    final Thread thread;

    private Blocker(Callable<T> body) {
        thread = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "blocker-" + COUNTER.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts {@code body} on a new thread and returns once that thread is parked. */
    static <T> Blocker<T> blockedIn(Callable<T> body) {
        return new Blocker<>(body).awaitParked();
    }

    /** Starts {@code body} on a new thread and returns at once; it may block or not. */
    static <T> Blocker<T> blockedInOrDone(Callable<T> body) {
        return new Blocker<>(body);
    }

    Blocker<T> awaitParked() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Thread.State s = thread.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                return this;
            }
            if (result.isDone()) {
                fail("expected the call to block, but it finished: " + describe());
            }
            if (System.nanoTime() > deadline) {
                fail("the call neither blocked nor finished within 10s; state=" + s);
            }
            Thread.onSpinWait();
        }
    }

    /** The value the call returned, waiting at most 10 s. */
    T value() throws Exception {
        return result.get(10, TimeUnit.SECONDS);
    }

    /** The exception the call threw, of type {@code type}, waiting at most 10 s. */
    <X extends Throwable> X failure(Class<X> type) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
        if (!type.isInstance(e.getCause())) {
            throw new AssertionError("expected " + type.getName() + " but got " + e.getCause(), e.getCause());
        }
        return type.cast(e.getCause());
    }

    private String describe() {
        try {
            return String.valueOf(result.getNow(null));
        } catch (RuntimeException e) {
            return e.getCause() == null ? e.toString() : e.getCause().toString();
        }
    }
}
