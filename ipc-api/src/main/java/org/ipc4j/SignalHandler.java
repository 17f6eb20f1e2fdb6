package org.ipc4j;

/**
 * Code to run when this process receives a signal, installed with {@link SignalService#handle}.
 *
 * <p>Handlers never run inside a native signal context: they run later, on an ordinary Java thread
 * the backend owns, so they may block, allocate and log. A handler that throws is logged and does
 * not stop other handlers or later deliveries. Signals of one kind that arrive while a handler runs
 * may be merged, as the kernel merges pending standard signals.
 */
@FunctionalInterface
public interface SignalHandler {
    /** Called once per delivery of a signal this handler was registered for. */
    void handle(Signal signal);
}
