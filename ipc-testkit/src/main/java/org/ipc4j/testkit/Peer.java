package org.ipc4j.testkit;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The other side of a cross-process test, however it was started: {@link PeerJvm}, {@link PeerProcess},
 * or a backend's own launcher (a child spawned with inherited pipe descriptors).
 *
 * <p>{@link #close()} must kill the process and its descendants and never throw.
 */
public interface Peer extends AutoCloseable {

    /** The process id. */
    long pid();

    /** True while the process runs. */
    boolean isAlive();

    /** Every line the process printed so far. */
    List<String> output();

    /**
     * Waits for the first line that matches, printed before or after this call.
     *
     * @throws AssertionError if the process ends or the time runs out first; the message holds its output
     */
    String awaitLine(Predicate<String> matcher, Duration timeout);

    /** Waits for a line starting with {@code prefix}. */
    default String awaitLineStartingWith(String prefix, Duration timeout) {
        return awaitLine(l -> l.startsWith(prefix), timeout);
    }

    /** Waits for the {@link PeerProcess#READY} line. */
    default void awaitReady(Duration timeout) {
        awaitLine(PeerProcess.READY::equals, timeout);
    }

    /** Sends one line to the process's standard input. */
    void sendLine(String line);

    /**
     * Waits for the exit and returns its code.
     *
     * @throws AssertionError if it is still running after the timeout (it is then killed)
     */
    int awaitExit(Duration timeout);

    /** Waits for the exit and asserts its code, showing the output if it differs. */
    default void assertExit(int expected, Duration timeout) {
        int code = awaitExit(timeout);
        if (code != expected) {
            throw new AssertionError("peer (pid " + pid() + ") exited with " + code + ", expected " + expected
                    + "; output:\n" + String.join("\n", output()));
        }
    }

    /** Sends SIGKILL to the process and waits until it is dead. */
    void kill();

    /** Kills the process and its descendants. Idempotent; never throws. */
    @Override
    void close();
}
