package org.ipc4j.testkit;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each task on a new daemon platform thread, for tests whose tasks block (a receive waiting for
 * a peer, a producer waiting for room).
 *
 * <p>Blocking tasks must not go to {@code CompletableFuture}'s default executor: on a 2-core machine
 * the common pool has one thread, JDK 17 then falls back to a thread per task, but JDK 21+ keeps the
 * one pool thread, so two tasks waiting for each other deadlock and a task blocked for good starves
 * every later one in the JVM. Pass {@link #INSTANCE} to {@code supplyAsync}/{@code runAsync}.
 */
public final class ThreadPerTaskExecutor implements Executor {
    /** The one instance. */
    public static final ThreadPerTaskExecutor INSTANCE = new ThreadPerTaskExecutor();

    private final AtomicInteger started = new AtomicInteger();

    private ThreadPerTaskExecutor() {
    }

    @Override
    public void execute(Runnable task) {
        Thread thread = new Thread(task, "test-task-" + started.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }
}
