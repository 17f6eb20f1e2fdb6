package org.ipc4j;

/**
 * One installed {@link SignalHandler}. Closing it removes the handler; when the last handler of a
 * signal is removed, what was there before the first registration (the default action, or another
 * handler) is restored.
 */
public interface SignalRegistration extends AutoCloseable {

    /** The signal this registration is for. */
    Signal signal();

    /** Removes the handler. Idempotent; safe from any thread, including from the handler itself. */
    @Override
    void close();
}
